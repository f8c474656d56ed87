using Mep.ServiceDefaults.Health;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Mep.ServiceDefaults.Data;

public static class ServiceDatabase
{
    public const string ConnectionStringName = "Database";

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
        builder.Services.AddDbContextPool<TContext>((services, options) => options
            .UseNpgsql(WithPreparedStatements(ConnectionString(services), planForEveryValue), npgsql => npgsql.EnableRetryOnFailure(3))
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

    private static string ConnectionString(IServiceProvider services) =>
        services.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName)
        ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not configured.");

    /// <summary>
    /// No automatic preparation of statements, whatever the connection string says. With it (Max Auto Prepare 100 after two uses),
    /// a statement that failed in PostgreSQL while Npgsql was preparing it in place of an older one (a NUL in a text parameter is
    /// refused at Bind, 22021) left the connection's record of its prepared statements out of step with the server: later
    /// commands on that pooled connection ran another statement's plan and failed with "The underlying reader doesn't have as
    /// many fields as expected" or "Received unexpected backend message DataRow", for whoever got the connection next, until it
    /// was closed. Unprepared statements cost a parse per execution (plans are made per execution anyway where
    /// <paramref name="planForEveryValue"/> is set); a failed statement then leaves nothing behind on its connection.
    /// </summary>
    private static string WithPreparedStatements(string connectionString, bool planForEveryValue)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 0 };
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
        var connectionString = ConnectionString(services);
        var migrator = services.GetRequiredService<SqlMigrator>();
        var modules = services.GetServices<MigrationModule>().Select(module => module.Name);
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
public sealed record MigrationModule(string Name);
