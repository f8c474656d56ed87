using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Mep.ServiceDefaults.Logging;

/// <summary>
/// JSON console logs, one object a line, with the request id in scope of everything logged for a request.
/// Request logs carry the route template, never the raw path or query, so ids and search words that could
/// identify a person stay out of the logs.
/// </summary>
public static partial class StructuredLogging
{
    public const string RequestIdHeader = "X-Request-Id";

    public static WebApplicationBuilder AddStructuredLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        // EF logs every command with its parameters at Information; keep those out.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Warning);
        // The framework's per-request chatter repeats what the request log line already says.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Off entirely: its request scope would put the raw path (with ids) on every log line.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        return builder;
    }

    public static WebApplication UseRequestIdAndLogging(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Mep.Requests");
        app.Use(async (context, next) =>
        {
            string? incoming = context.Request.Headers[RequestIdHeader];
            var requestId = incoming is not null && SafeRequestId().IsMatch(incoming)
                ? incoming
                : Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
            context.TraceIdentifier = requestId;
            context.Response.Headers[RequestIdHeader] = requestId;
            using var scope = logger.BeginScope("RequestId:{RequestId}", requestId);
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                if (logger.IsEnabled(LogLevel.Information))
                {
                    var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
                    var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    LogRequest(logger, context.Request.Method, route, context.Response.StatusCode, elapsedMs);
                }
            }
        });
        return app;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex SafeRequestId();

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "{Method} {Route} answered {Status} in {ElapsedMs:0.0} ms")]
    private static partial void LogRequest(ILogger logger, string method, string route, int status, double elapsedMs);
}
