using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Microsoft.Extensions.Options;

namespace Mep.ServiceDefaults.Hosting;

/// <summary>Configuration section "RateLimits": requests per minute per caller.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Per school API key. Schools' inventory software retries in loops; one runaway script must not slow everyone.</summary>
    public int SchoolKeyRequestsPerMinute { get; set; } = 600;

    /// <summary>Per staff member (token subject).</summary>
    public int StaffRequestsPerMinute { get; set; } = 3_000;

    /// <summary>
    /// Refused credentials (unknown API key, bad token) per client address; beyond it the client's credentials are not
    /// even checked until the minute is over. A mistyped key costs a few tries; guessing keys costs minutes per 30.
    /// </summary>
    public int FailedAuthenticationsPerMinute { get; set; } = 30;
}

public static class RateLimits
{
    public static WebApplicationBuilder AddPlatformRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<RateLimitOptions>(builder.Configuration.GetSection(RateLimitOptions.Section));
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(Partition);
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ApiProblems.Problem(429, ProblemTypes.TooManyRequests, "Too many requests",
                    $"This caller sent more requests than allowed per minute. Retry in {seconds} s.").ExecuteAsync(context.HttpContext);
            };
        });
        return builder;
    }

    /// <summary>
    /// Counts refused credentials per client address (behind the edge: the X-Forwarded-For address the trusted edge gave)
    /// and answers 429 with Retry-After to every request with credentials from a client over its budget. The limiter
    /// behind <see cref="AddPlatformRateLimits"/> cannot do this: it counts callers it knows, and a refused caller is nobody.
    /// </summary>
    public static WebApplication UseFailedAuthenticationThrottle(this WebApplication app)
    {
        var permits = app.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value.FailedAuthenticationsPerMinute;
        var window = TimeSpan.FromMinutes(1);
        var failures = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(client,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 }));
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (!request.Headers.ContainsKey(SchoolApiKeyHandler.HeaderName) && !request.Headers.ContainsKey("Authorization"))
            {
                await next(context);
                return;
            }

            var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            TimeSpan? refusedFor = null;
            if (context.User.Identity?.IsAuthenticated == true)
            {
                // Still locked out: a right guess must not be told apart from a wrong one while the client is over its budget.
                if (failures.GetStatistics(client) is { CurrentAvailablePermits: 0 })
                {
                    refusedFor = window;
                }
            }
            else
            {
                using var lease = failures.AttemptAcquire(client);
                if (!lease.IsAcquired)
                {
                    refusedFor = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : window;
                }
            }

            if (refusedFor is { } retryAfter)
            {
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ApiProblems.Problem(429, ProblemTypes.TooManyRequests, "Too many requests",
                    $"Too many refused credentials from this client. Retry in {seconds} s.").ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        return app;
    }

    /// <summary>One window per school key and per staff member; unauthenticated requests (health, docs, 401s) are not counted.</summary>
    private static RateLimitPartition<string> Partition(HttpContext context)
    {
        var limits = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        var user = context.User;
        if (user.FindFirstValue(CallerClaims.ApiKeyId) is { } keyId)
        {
            return PerMinute($"school-key:{keyId}", limits.SchoolKeyRequestsPerMinute);
        }

        return user.Identity?.IsAuthenticated == true
            ? PerMinute($"staff:{user.Actor()}", limits.StaffRequestsPerMinute)
            : RateLimitPartition.GetNoLimiter("anonymous");
    }

    private static RateLimitPartition<string> PerMinute(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
}
