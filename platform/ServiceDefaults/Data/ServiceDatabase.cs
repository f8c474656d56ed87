using Mep.ServiceDefaults.Health;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Mep.ServiceDefaults.Data;

/// <summary>
/// Configuration section "Database": how many PostgreSQL connections one service process may hold. Every process's pools
/// together must stay under the server's max_connections (./mep, docker-compose.yml and deploy/k8s size it from these):
/// Npgsql's default of 100 per pool let five services ask for far more than the server has, and the server refused them
/// with 53300 "too many clients" while the school directory was republished.
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>The pool of the service's EF contexts: requests, consumers and the outbox relay (default 20).</summary>
    public int MaxPoolSize { get; set; } = 20;

    /// <summary>The pool of everything else on the same database: migrations, Hangfire and its dashboard, job runs (default 8).</summary>
    public int HousekeepingMaxPoolSize { get; set; } = 8;

    /// <summary>Both pools: what one process can hold at most.</summary>
    public int ConnectionsPerProcess => MaxPoolSize + HousekeepingMaxPoolSize;
}

public static class ServiceDatabase
{
    public const string ConnectionStringName = "Database";

    private static readonly string[] PoolSizeKeywords = ["Maximum Pool Size", "Max Pool Size", "MaxPoolSize"];

    /// <summary>
    /// The service's own PostgreSQL database (connection string "Database"), its EF context, its SQL
    /// migrations (embedded in the context's assembly) and a readiness check.
    /// </summary>
    /// <param name="planForEveryValue">
    /// Plan prepared statements for the values at hand every time (plan_cache_mode=force_custom_plan), as unprepared ones are.
    /// For services whose queries filter skewed data: PostgreSQL's generic plan for one school's tablets among a million
    /// devices was slower than a plan for that school. Since statements are no longer prepared automatically (see
    /// <see cref="WithPreparedStatements"/>) this only concerns statements a service prepares explicitly.
    /// </param>
    public static WebApplicationBuilder AddServiceDatabase<TContext>(this WebApplicationBuilder builder, bool planForEveryValue = false)
        where TContext : DbContext
    {
        // Read when the first context is made, not now: test hosts supply the connection string late. Pooled, with the
        // options built once: building them and a context's services per request was a tenth of a request's CPU.
        builder.Services.Configure<DatabaseOptions>(builder.Configuration.GetSection(DatabaseOptions.Section));
        builder.Services.AddDbContextPool<TContext>((services, options) => options
            .UseNpgsql(WithPreparedStatements(ContextConnectionString(services.GetRequiredService<IConfiguration>()), planForEveryValue),
                npgsql => npgsql.EnableRetryOnFailure(3))
            .UseSnakeCaseNamingConvention()
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            .AddInterceptors(services.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>())
            .AddInterceptors(NoAutomaticSavepoints.Instance));
        builder.Services.AddSingleton<SqlMigrator>();
        // Migrations run as the first hosted service, so the server takes no request before the schema is there.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, MigrateOnStart<TContext>>());
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck<TContext>>("database", tags: [PlatformHealthChecks.ReadyTag]);
        return builder;
    }

    /// <summary>The connection string of the service's EF contexts, with the pool size of <see cref="DatabaseOptions.MaxPoolSize"/>.</summary>
    public static string ContextConnectionString(IConfiguration configuration) =>
        WithPoolSize(configuration, Options(configuration).MaxPoolSize);

    /// <summary>
    /// The connection string of every other connection to the service's database (migrations, Hangfire, job runs), with the
    /// pool size of <see cref="DatabaseOptions.HousekeepingMaxPoolSize"/>.
    /// </summary>
    public static string HousekeepingConnectionString(IConfiguration configuration) =>
        WithPoolSize(configuration, Options(configuration).HousekeepingMaxPoolSize);

    private static DatabaseOptions Options(IConfiguration configuration) =>
        configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();

    /// <summary>The configured connection string with a pool size of its own, unless the string names one itself.</summary>
    private static string WithPoolSize(IConfiguration configuration, int maxPoolSize)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not configured.");
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (PoolSizeKeywords.Any(given.ContainsKey))
        {
            return connectionString;
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = maxPoolSize }.ConnectionString;
    }

    /// <summary>
    /// No automatic preparation of statements, whatever the connection string says. With it (Max Auto Prepare 100 after two uses),
    /// a statement that failed in PostgreSQL while Npgsql was preparing it in place of an older one (a NUL in a text parameter is
    /// refused at Bind, 22021) left the connection's record of its prepared statements out of step with the server: later
    /// commands on that pooled connection ran another statement's plan and failed with "The underlying reader doesn't have as
    /// many fields as expected" or "Received unexpected backend message DataRow", for whoever got the connection next, until it
    /// was closed. Unprepared statements cost a parse per execution (plans are made per execution anyway where
    /// <paramref name="planForEveryValue"/> is set); a failed statement then leaves nothing behind on its connection.
    /// <para>
    /// No reset when a connection goes back to the pool: the contexts keep no session state (their locks and settings are the
    /// transaction's: pg_advisory_xact_lock, SET LOCAL; an open transaction is rolled back all the same), and the reset was seven
    /// statements (RESET ALL, UNLISTEN *, DISCARD SEQUENCES and more) that PostgreSQL ran before the next command of every request.
    /// Session advisory locks are taken only on the housekeeping connections, which keep the reset.
    /// </para>
    /// </summary>
    private static string WithPreparedStatements(string connectionString, bool planForEveryValue)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 0, NoResetOnClose = true };
        if (planForEveryValue)
        {
            settings.Options = $"{settings.Options} -c plan_cache_mode=force_custom_plan".Trim();
        }

        return settings.ConnectionString;
    }

    /// <summary>Brings the database to the newest migration; safe when several replicas start at once.</summary>
    public static async Task MigrateDatabaseAsync<TContext>(this IServiceProvider services, CancellationToken cancellationToken = default)
        where TContext : DbContext
    {
        var connectionString = HousekeepingConnectionString(services.GetRequiredService<IConfiguration>());
        var migrator = services.GetRequiredService<SqlMigrator>();
        var modules = services.GetServices<MigrationModule>();
        await migrator.MigrateAsync(connectionString, SqlMigrator.ForService(typeof(TContext).Assembly, modules), cancellationToken);
    }
}

/// <summary>Brings the database up to date while the host starts, before the server accepts requests.</summary>
internal sealed class MigrateOnStart<TContext>(IServiceProvider services) : IHostedService where TContext : DbContext
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        services.MigrateDatabaseAsync<TContext>(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>A platform module whose tables a service's migrator applies (registered by the module's Add... call).</summary>
/// <param name="Name">The module's name: its migrations are versioned "name-NNNN".</param>
/// <param name="Assembly">Where the module's migrations are embedded, as <c>module-migrations/name/NNNN_title.sql</c>.</param>
public sealed record MigrationModule(string Name, System.Reflection.Assembly Assembly);
