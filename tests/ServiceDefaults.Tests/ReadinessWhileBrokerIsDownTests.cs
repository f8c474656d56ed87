using System.Net;

namespace Mep.ServiceDefaults.Tests;

/// <summary>Readiness tells "serving stale" (the broker is away: reads go on from replicas that stopped) from "cannot serve".</summary>
public sealed class ReadinessWhileBrokerIsDownTests : IAsyncLifetime
{
    // A port of this test's own: BrokerOutageTests (56731) and RelayReturnAfterOutageTests (56791) may run at the same time.
    private const int BrokerPort = 56792;
    private DedicatedBroker _node = null!;
    private PostgresDatabase _schoolsDb = null!;

    public async Task InitializeAsync()
    {
        _node = await DedicatedBroker.StartAsync("readiness-rabbitmq", BrokerPort);
        _schoolsDb = await PostgresDatabase.CreateAsync("readiness-schools", create: false);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _schoolsDb.DisposeAsync();
    }

    [Fact]
    public async Task Without_the_broker_readiness_answers_200_serving_stale_and_fresh_again_once_it_is_back()
    {
        await using var api = SchoolsApi.WithSettingsOn(_schoolsDb, RabbitMqVirtualHost.Existing(_node.AmqpUrl), []);
        await ((IAsyncLifetime)api).InitializeAsync();
        await Eventually.AssertAsync(async () => await api.ReadinessAsync() == (HttpStatusCode.OK, "fresh"), "ready and fresh with the broker");

        await _node.StopAsync();

        await Eventually.AssertAsync(async () => await api.ReadinessAsync() == (HttpStatusCode.OK, "stale"), "ready but serving stale without the broker",
            TimeSpan.FromSeconds(60));
        await _node.StartAgainAsync();
        await Eventually.AssertAsync(async () => await api.ReadinessAsync() == (HttpStatusCode.OK, "fresh"), "fresh again once the broker is back",
            TimeSpan.FromSeconds(60));
    }
}
