using Npgsql;

namespace Mep.TestKit;

/// <summary>A fresh, empty database on the test PostgreSQL server, dropped again on dispose.</summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private PostgresDatabase(string name, string connectionString) => (Name, ConnectionString) = (name, connectionString);

    public string Name { get; }
    public string ConnectionString { get; }

    /// <param name="purpose">Part of the database name, to find it while a test runs (e.g. the test class).</param>
    /// <param name="create">False leaves creating it to the service under test (its migrator creates missing databases).</param>
    public static async Task<PostgresDatabase> CreateAsync(string purpose, bool create = true)
    {
        var safe = new string(purpose.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(30).ToArray());
        var name = $"t_{safe}_{Guid.NewGuid():N}";
        name = name[..Math.Min(63, name.Length)];
        var server = new NpgsqlConnectionStringBuilder(TestInfrastructure.PostgresServer);
        if (create)
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new PostgresDatabase(name, new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString);
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The database becomes unreachable for everyone, as if its server were down: new connections are refused and the open ones
    /// are ended (other tests' databases on the same server are not touched).
    /// </summary>
    public Task RefuseConnectionsAsync() => OnServerAsync(
        $"ALTER DATABASE \"{Name}\" ALLOW_CONNECTIONS false; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{Name}'");

    public Task AllowConnectionsAsync() => OnServerAsync($"ALTER DATABASE \"{Name}\" ALLOW_CONNECTIONS true");

    private static async Task OnServerAsync(string sql)
    {
        var server = new NpgsqlConnectionStringBuilder(TestInfrastructure.PostgresServer) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await OnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }
}
