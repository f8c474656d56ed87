using System.Net;
using System.Net.Http.Headers;
using Mep.Contracts;
using Mep.Contracts.Schools;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Data;
using Mep.TestKit.Probe;
using Npgsql;

namespace Mep.ServiceDefaults.Tests;

/// <summary>
/// A service holds no more PostgreSQL connections than its pools are sized for, however many events arrive at once: a
/// republished school directory (3,000 events) is applied on a database role that the server lets open exactly that many
/// connections, with no consumer retry to hide a refused one (PostgreSQL's 53300 would put the event in an error queue).
/// </summary>
public sealed class ConnectionBudgetTests : IAsyncLifetime
{
    private const int Schools = 3_000;

    private readonly string _role = $"t_budget_{Guid.NewGuid():N}"[..30];
    private PostgresDatabase _db = null!;
    private RabbitMqVirtualHost _broker = null!;

    public async Task InitializeAsync()
    {
        _db = await PostgresDatabase.CreateAsync("budget");
        _broker = await RabbitMqVirtualHost.CreateAsync("budget");
        // Not a superuser (the server enforces no connection limit on those), owning the database so that it can migrate it.
        await _db.ExecuteAsync($"CREATE ROLE {_role} LOGIN PASSWORD 'budget' CONNECTION LIMIT {new DatabaseOptions().ConnectionsPerProcess}");
        await _db.ExecuteAsync($"ALTER DATABASE \"{_db.Name}\" OWNER TO {_role}");
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        await _db.DisposeAsync();
        var server = new NpgsqlConnectionStringBuilder(TestInfrastructure.PostgresServer) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP ROLE IF EXISTS {_role}", connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_republished_directory_of_3000_schools_is_applied_within_the_pools_without_one_refused_connection()
    {
        var asRole = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Username = _role, Password = "budget" }.ConnectionString;
        await using var probe = await ProbeService.StartAsync(_db, _broker, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = asRole,
            ["Messaging:ConsumerRetries"] = "0",
        });
        await using var schools = await BrokerListener.StartAsync(_broker, _ => { });
        using var admin = new HttpClient { BaseAddress = probe.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(PlatformRoles.Admin));

        var now = DateTimeOffset.UtcNow;
        await Task.WhenAll(Enumerable.Range(0, Schools).Select(i =>
            schools.PublishAsync(new SchoolRegistered(Guid.NewGuid(), $"B{i:D5}", $"Budget school {i}", SchoolType.GS, "Mitte", now))));
        var readsDuringTheRepublish = new List<HttpStatusCode>();
        await Eventually.AssertAsync(async () =>
        {
            readsDuringTheRepublish.Add((await admin.GetAsync("/api/probe/admin/operations")).StatusCode);
            return (await probe.KnownSchoolsAsync()).Count == Schools && (await probe.ReceivedAsync()).Count == Schools;
        }, "the probe applied every school", TimeSpan.FromMinutes(3));

        var operations = await (await admin.GetAsync("/api/probe/admin/operations")).ReadJsonAsync();
        // No error queue at all (null) is what a queue that never faulted has: the broker creates one at the first fault.
        Assert.All(operations.GetProperty("errorQueues").EnumerateArray(), queue =>
        {
            var errors = queue.GetProperty("errorMessages");
            Assert.True(errors.ValueKind == System.Text.Json.JsonValueKind.Null || errors.GetUInt32() == 0, queue.ToString());
        });
        Assert.All(readsDuringTheRepublish, status => Assert.Equal(HttpStatusCode.OK, status));
    }
}
