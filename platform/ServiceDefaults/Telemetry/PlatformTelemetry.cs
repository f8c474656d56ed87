using System.Diagnostics;
using Mep.ServiceDefaults.Hosting;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Mep.ServiceDefaults.Telemetry;

/// <summary>
/// Traces and metrics with OpenTelemetry: one trace from a request through its database commands, the outbox, the broker and every
/// consumer's effect; the meters of ASP.NET Core, the runtime, Npgsql, MassTransit and the platform's own (docs/observability.md),
/// answered to Prometheus at <see cref="ScrapePath"/>; spans leave the process over OTLP only when an endpoint is configured.
/// </summary>
public static class PlatformTelemetry
{
    /// <summary>The platform's own spans (the outbox relay's publish) and instruments.</summary>
    public const string SourceName = "Mep.Platform";

    /// <summary>MassTransit's activity source and meter (its publish, send and consume spans; its receive and consume counts).</summary>
    public const string MassTransitName = "MassTransit";

    /// <summary>Npgsql's activity source (its commands and connection opens).</summary>
    private const string NpgsqlSourceName = "Npgsql";

    /// <summary>Prometheus' scrape. On the service's own port only: the edge routes no path to it.</summary>
    public const string ScrapePath = "/metrics";

    /// <summary>Spans of the platform's own work that no request or message started.</summary>
    public static readonly ActivitySource Source = new(SourceName);

    public static WebApplicationBuilder AddPlatformTelemetry(this WebApplicationBuilder builder, ServiceDescription service)
    {
        // Every log line written inside a span names its trace and span, so a log line leads to its trace and back.
        builder.Logging.Configure(options =>
            options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName: service.Name, serviceNamespace: "mep"))
            .WithTracing(tracing => tracing
                .AddProcessor(new DropUnparentedDatabaseCommands())
                .AddSource(SourceName, MassTransitName)
                .AddAspNetCoreInstrumentation(options => options.Filter = http => !IsOperational(http.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddMeter(SourceName, MassTransitName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    public static WebApplication MapPlatformMetrics(this WebApplication app)
    {
        // Without a token, as the health checks: Prometheus presents none. The edge routes no path here, and in Kubernetes a
        // NetworkPolicy lets only Prometheus reach a service's port for it.
        app.MapPrometheusScrapingEndpoint(ScrapePath).AllowAnonymous();
        return app;
    }

    /// <summary>Probes and scrapes: every few seconds, the same answer, nothing anyone follows.</summary>
    private static bool IsOperational(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.Ordinal) || path.StartsWithSegments(ScrapePath, StringComparison.Ordinal);

    /// <summary>
    /// A database command that no request, message or job started is the platform's own polling (the relay's claim, the job server's
    /// queue, the gauges' sampling): every second, in every replica, and nobody's trace. Marked unwanted as it starts, as the ASP.NET Core
    /// instrumentation's filter does, so no exporter gets it. (Not a sampler: a sampler of its own makes the SDK skip ASP.NET Core's
    /// server spans.)
    /// </summary>
    private sealed class DropUnparentedDatabaseCommands : BaseProcessor<Activity>
    {
        public override void OnStart(Activity data)
        {
            if (data.Source.Name == NpgsqlSourceName && data.Parent is null && data.ParentSpanId == default)
            {
                data.IsAllDataRequested = false;
                data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            }
        }
    }
}
