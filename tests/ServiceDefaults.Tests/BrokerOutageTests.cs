using Mep.TestKit.Probe;

namespace Mep.ServiceDefaults.Tests;

/// <summary>The broker goes away for 30 s while schools are registered: the API keeps answering, and nothing is lost.</summary>
public sealed class BrokerOutageTests : IAsyncLifetime
{
    private const int BrokerPort = 56731;
    private DedicatedBroker _node = null!;
    private PostgresDatabase _schoolsDb = null!;
    private PostgresDatabase _probeDb = null!;

    public async Task InitializeAsync()
    {
        _node = await DedicatedBroker.StartAsync("outage-rabbitmq", BrokerPort);
        _schoolsDb = await PostgresDatabase.CreateAsync("outage-schools", create: false);
        _probeDb = await PostgresDatabase.CreateAsync("outage-probe", create: false);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _schoolsDb.DisposeAsync();
        await _probeDb.DisposeAsync();
    }

    [Fact]
    public async Task Events_written_while_the_broker_is_down_for_30_seconds_are_all_delivered_after_it_returns()
    {
        var broker = RabbitMqVirtualHost.Existing(_node.AmqpUrl);
        await using var probe = await ProbeService.StartAsync(_probeDb, broker);
        await using var api = SchoolsApi.WithSettingsOn(_schoolsDb, broker, new() { ["Messaging:MaxRetryDelay"] = "00:00:02" });
        await ((IAsyncLifetime)api).InitializeAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await api.Planner.RegisterSchoolAsync());
        }

        await Eventually.AssertAsync(async () => Applied(await probe.ReceivedAsync(), ids), "delivered before the outage");

        await _node.StopAsync();
        var outage = System.Diagnostics.Stopwatch.StartNew();
        while (outage.Elapsed < TimeSpan.FromSeconds(30))
        {
            // The producing API stays available: writes go to the database, events wait in the outbox.
            ids.Add(await api.Planner.RegisterSchoolAsync());
            // Pacing, not waiting for an outcome: one write a second spreads the writes over the whole outage, so the relay meets
            // a broker that stays gone rather than one blip.
            await Task.Delay(1_000);
        }

        Assert.True(await _schoolsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE published_at IS NULL") >= ids.Count - 5,
            "events written during the outage wait in the outbox");
        await _node.StartAgainAsync();

        await Eventually.AssertAsync(async () => Applied(await probe.ReceivedAsync(), ids), $"all {ids.Count} events delivered after the broker returned",
            TimeSpan.FromSeconds(120));
        Assert.Equal(0, await _schoolsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE published_at IS NULL"));
        Assert.All(probe.Deliveries.Snapshot(), delivery => Assert.InRange(delivery.Value, 1, 2));
    }

    private static bool Applied(List<ReceivedEvent> received, List<Guid> ids)
    {
        var applied = received.Select(e => e.AggregateId).ToHashSet(StringComparer.Ordinal);
        return ids.All(id => applied.Contains(id.ToString()));
    }
}
