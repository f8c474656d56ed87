using Npgsql;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Mep.TestKit;

/// <summary>
/// PostgreSQL and RabbitMQ (with its management API, which the kit uses for a virtual host per test class) as containers for
/// this test process; Testcontainers' reaper removes them when the process ends.
/// </summary>
internal static class TestContainers
{
    private const int ManagementPort = 15672;

    public static (string Postgres, string RabbitMq, string Management) Start()
    {
        var postgres = new PostgreSqlBuilder("postgres:16-alpine").WithUsername("mep").WithPassword("mep-local-only")
            .WithCommand("-c", "max_connections=300", "-c", "fsync=off", "-c", "synchronous_commit=off").Build();
        var rabbit = new RabbitMqBuilder("rabbitmq:3.13-management-alpine").WithUsername("guest").WithPassword("guest")
            .WithPortBinding(ManagementPort, assignRandomHostPort: true).Build();
        Task.WhenAll(postgres.StartAsync(), rabbit.StartAsync()).GetAwaiter().GetResult();
        // The kit wants the server, not a database: each test class creates its own.
        var server = new NpgsqlConnectionStringBuilder(postgres.GetConnectionString()) { Database = null }.ConnectionString;
        var management = $"http://guest:guest@{rabbit.Hostname}:{rabbit.GetMappedPublicPort(ManagementPort)}/";
        return (server, rabbit.GetConnectionString(), management);
    }
}
