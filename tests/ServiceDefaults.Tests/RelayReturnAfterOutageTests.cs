namespace Mep.ServiceDefaults.Tests;

/// <summary>
/// The broker stays away long enough for the relay's backoff to grow past a few seconds; once it is back, the waiting events leave
/// within seconds, with the production retry settings.
/// </summary>
public sealed class RelayReturnAfterOutageTests : IAsyncLifetime
{
    // A port of this test's own: BrokerOutageTests' node (56731) may run at the same time.
    private const int BrokerPort = 56791;
    private DedicatedBroker _node = null!;
    private PostgresDatabase _schoolsDb = null!;

    public async Task InitializeAsync()
    {
        _node = await DedicatedBroker.StartAsync("relay-return-rabbitmq", BrokerPort);
        _schoolsDb = await PostgresDatabase.CreateAsync("relay-return-schools", create: false);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _schoolsDb.DisposeAsync();
    }

    [Fact]
    public async Task Events_waiting_through_a_long_outage_leave_within_seconds_of_the_brokers_return()
    {
        await using var api = SchoolsApi.WithSettingsOn(_schoolsDb, RabbitMqVirtualHost.Existing(_node.AmqpUrl), []);
        await ((IAsyncLifetime)api).InitializeAsync();
        await api.Planner.RegisterSchoolAsync();
        await Eventually.AssertAsync(async () => await PendingAsync() == 0, "the relay publishes while the broker runs");

        await _node.StopAsync();
        await api.Planner.RegisterSchoolAsync();
        // Seven failed attempts: with the old exponential backoff (0.25 s x 2^attempt, up to a minute) the next one was 26 to 38 s away.
        await Eventually.AssertAsync(async () => await _schoolsDb.ScalarAsync<int>("SELECT coalesce(min(attempts), 0) FROM outbox_messages WHERE published_at IS NULL") >= 7,
            "the relay has failed seven times on the absent broker", TimeSpan.FromSeconds(90));
        await _node.StartAgainAsync();

        await Eventually.AssertAsync(async () => await PendingAsync() == 0, "every waiting event left after the broker returned",
            TimeSpan.FromSeconds(8));
    }

    private async Task<long> PendingAsync() => await _schoolsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE published_at IS NULL");
}
