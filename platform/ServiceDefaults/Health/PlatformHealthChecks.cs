using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Mep.ServiceDefaults.Health;

public static class PlatformHealthChecks
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddPlatformHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks();
        return services;
    }

    /// <summary>
    /// /health/live: the process answers (no dependency checked, so a database outage does not get the
    /// process restarted). /health/ready: every dependency tagged "ready" answers.
    /// </summary>
    public static WebApplication MapPlatformHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .AllowAnonymous();
        return app;
    }

    /// <summary>
    /// The report, and what it means for reads: "fresh"; "stale" when a dependency the read models are fed through is down (the broker:
    /// answers still come, 200, but from replicas that stopped at <c>lastEventAppliedAt</c>); "cannot" when the service cannot answer
    /// at all (its database: 503). A balancer keeps a stale instance, an operator sees how stale.
    /// </summary>
    private static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var freshness = context.RequestServices.GetService<IReadModelFreshness>();
        DateTimeOffset? lastEventAppliedAt = null;
        // Liveness checks nothing and must not touch the database; without it (Unhealthy) there is nothing to read either.
        if (freshness is not null && report.Entries.Count > 0 && report.Status != HealthStatus.Unhealthy)
        {
            lastEventAppliedAt = await freshness.LastEventAppliedAtAsync(context.RequestAborted);
        }

        await JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            serving = report.Status switch { HealthStatus.Healthy => "fresh", HealthStatus.Degraded => "stale", _ => "cannot" },
            lastEventAppliedAt,
            checks = report.Entries.ToDictionary(entry => entry.Key, entry => new
            {
                status = entry.Value.Status.ToString(),
                durationMs = Math.Round(entry.Value.Duration.TotalMilliseconds, 1),
                entry.Value.Description,
            }),
        });
    }
}

/// <summary>Ready when the service's database answers a query.</summary>
public sealed class DatabaseHealthCheck<TContext>(TContext database) : IHealthCheck where TContext : DbContext
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await database.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The database does not answer.");
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.");
        }
    }
}
