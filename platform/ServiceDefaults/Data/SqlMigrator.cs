using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace Mep.ServiceDefaults.Data;

/// <summary>
/// Applies a service's versioned SQL migrations (embedded resources <c>migrations/NNNN_name.sql</c>, after the
/// platform's own <c>platform-migrations/NNNN_name.sql</c>) at
/// start-up. Replicas starting at once serialise on a PostgreSQL advisory lock, so each migration runs
/// exactly once; each runs in its own transaction together with its row in <c>schema_migrations</c>.
/// An applied migration whose text has changed stops the start: migrations are history, not drafts.
/// </summary>
public sealed partial class SqlMigrator(ILogger<SqlMigrator> logger)
{
    /// <summary>Arbitrary but fixed: advisory locks are per database, so one key serves every service.</summary>
    private const long MigrationLockKey = 0x4D45505F4D494752; // "MEP_MIGR"

    public sealed partial record Migration(string Version, string Name, string Sql)
    {
        public string Checksum { get; } = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

        /// <summary>
        /// Checksums of earlier texts of this file that differ from it only in comments, each named on a line
        /// <c>-- Earlier checksum (comments reworded): HEX</c>. A database that applied an earlier text takes the new one as the
        /// same migration; anything else that changed still stops the start.
        /// </summary>
        public IReadOnlySet<string> EarlierChecksums { get; } =
            EarlierChecksumLine().Matches(Sql).Select(match => match.Groups["checksum"].Value).ToHashSet(StringComparer.Ordinal);

        [GeneratedRegex(@"^-- Earlier checksum \(comments reworded\): (?<checksum>[0-9A-F]{64})\s*$", RegexOptions.Multiline)]
        private static partial Regex EarlierChecksumLine();
    }

    /// <summary>
    /// The platform's own tables first (outbox, inbox, job runs: "platform-0001", ...),
    /// then the service's migrations.
    /// </summary>
    /// <param name="modules">Optional platform modules the service uses (e.g. the school directory), whose tables come after the platform's.</param>
    public static IReadOnlyList<Migration> ForService(Assembly serviceAssembly, IEnumerable<MigrationModule>? modules = null) =>
    [
        .. LoadFrom(typeof(SqlMigrator).Assembly, "platform-migrations/", "platform-"),
        .. (modules ?? []).SelectMany(module => LoadFrom(module.Assembly, $"module-migrations/{module.Name}/", $"{module.Name}-")),
        .. LoadFrom(serviceAssembly, "migrations/", string.Empty),
    ];

    public static IReadOnlyList<Migration> LoadFrom(Assembly assembly, string folder = "migrations/", string versionPrefix = "") =>
        [.. assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(folder, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                var file = name[folder.Length..^".sql".Length];
                var separator = file.IndexOf('_', StringComparison.Ordinal);
                return new Migration(versionPrefix + file[..separator], file[(separator + 1)..], reader.ReadToEnd());
            })];

    /// <returns>The versions this call applied (empty when the database was up to date).</returns>
    public async Task<IReadOnlyList<string>> MigrateAsync(string connectionString, IReadOnlyList<Migration> migrations,
        CancellationToken cancellationToken)
    {
        await EnsureDatabaseExistsAsync(connectionString, cancellationToken);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version text PRIMARY KEY,
                    name text NOT NULL,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken);
            var applied = await AppliedAsync(connection, cancellationToken);
            var newlyApplied = new List<string>();
            foreach (var migration in migrations)
            {
                if (applied.TryGetValue(migration.Version, out var checksum))
                {
                    if (migration.EarlierChecksums.Contains(checksum))
                    {
                        await using var reworded = new NpgsqlCommand("UPDATE schema_migrations SET checksum = @checksum WHERE version = @version", connection);
                        reworded.Parameters.AddWithValue("checksum", migration.Checksum);
                        reworded.Parameters.AddWithValue("version", migration.Version);
                        await reworded.ExecuteNonQueryAsync(cancellationToken);
                    }
                    else if (checksum != migration.Checksum)
                    {
                        throw new InvalidOperationException(
                            $"Migration {migration.Version}_{migration.Name} was changed after it was applied; add a new migration instead.");
                    }

                    continue;
                }

                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using (var apply = new NpgsqlCommand(migration.Sql, connection, transaction))
                {
                    await apply.ExecuteNonQueryAsync(cancellationToken);
                }

                await using (var record = new NpgsqlCommand(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES (@version, @name, @checksum)", connection, transaction))
                {
                    record.Parameters.AddWithValue("version", migration.Version);
                    record.Parameters.AddWithValue("name", migration.Name);
                    record.Parameters.AddWithValue("checksum", migration.Checksum);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                LogApplied(logger, migration.Version, migration.Name);
                newlyApplied.Add(migration.Version);
            }

            return newlyApplied;
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
        }
    }

    /// <summary>Creates the service's database if it is missing; two replicas racing here both succeed.</summary>
    private static async Task EnsureDatabaseExistsAsync(string connectionString, CancellationToken cancellationToken)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var database = target.Database ?? throw new InvalidOperationException("The connection string names no database.");
        var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return;
        }

        try
        {
            await ExecuteAsync(connection, $"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another replica created it between our check and our CREATE: the database is there, as wanted.
        }
    }

    private static async Task<Dictionary<string, string>> AppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetString(0)] = reader.GetString(1);
        }

        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Applied migration {Version} {Name}")]
    private static partial void LogApplied(ILogger logger, string version, string name);
}
