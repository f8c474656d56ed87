using System.Net;

namespace Mep.ServiceDefaults.Tests;

/// <summary>Without its database a service cannot answer at all: readiness says "cannot" (503), so a balancer takes it out.</summary>
public sealed class ReadinessWhileDatabaseIsDownTests : IAsyncLifetime
{
    private PostgresDatabase _schoolsDb = null!;
    private RabbitMqVirtualHost _broker = null!;

    public async Task InitializeAsync()
    {
        _schoolsDb = await PostgresDatabase.CreateAsync("readiness-db-down", create: false);
        _broker = await RabbitMqVirtualHost.CreateAsync("readiness-db-down");
    }

    public async Task DisposeAsync()
    {
        await _schoolsDb.AllowConnectionsAsync();
        await _broker.DisposeAsync();
        await _schoolsDb.DisposeAsync();
    }

    [Fact]
    public async Task Without_its_database_readiness_answers_503_cannot_serve_and_200_fresh_once_it_is_back()
    {
        await using var api = SchoolsApi.WithSettingsOn(_schoolsDb, _broker, []);
        await ((IAsyncLifetime)api).InitializeAsync();
        await Eventually.AssertAsync(async () => await api.ReadinessAsync() == (HttpStatusCode.OK, "fresh"), "ready and fresh with the database");

        await _schoolsDb.RefuseConnectionsAsync();

        await Eventually.AssertAsync(async () => await api.ReadinessAsync() == (HttpStatusCode.ServiceUnavailable, "cannot"),
            "not ready, cannot serve, without the database", TimeSpan.FromSeconds(60));
        await _schoolsDb.AllowConnectionsAsync();
        await Eventually.AssertAsync(async () => await api.ReadinessAsync() == (HttpStatusCode.OK, "fresh"), "fresh again once the database is back",
            TimeSpan.FromSeconds(60));
    }
}
