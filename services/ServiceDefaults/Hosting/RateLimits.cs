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
