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
    /// <summary>The answers' rate limit headers (the IETF draft's names): requests per window, left in it, seconds until it ends.</summary>
    public const string LimitHeader = "RateLimit-Limit";

    public const string RemainingHeader = "RateLimit-Remaining";
    public const string ResetHeader = "RateLimit-Reset";

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static WebApplicationBuilder AddPlatformRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<RateLimitOptions>(builder.Configuration.GetSection(RateLimitOptions.Section));
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = new AnnouncingLimiter(PartitionedRateLimiter.Create<HttpContext, string>(Partition));
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
        var window = Window;
        var failures = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.Get(client,
            _ => new AnnouncedWindowLimiter(permits, window, TimeProvider.System)));
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
                Announce(context.Response, lease);
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
        RateLimitPartition.Get(key, _ => new AnnouncedWindowLimiter(permits, Window, TimeProvider.System));

    /// <summary>Writes the caller's quota (from an <see cref="AnnouncedWindowLimiter"/>'s lease) into the answer's headers.</summary>
    private static void Announce(HttpResponse response, RateLimitLease lease)
    {
        if (!response.HasStarted && lease.TryGetMetadata(AnnouncedWindowLimiter.QuotaMetadata, out var metadata) && metadata is Quota quota)
        {
            response.Headers[LimitHeader] = quota.Limit.ToString(CultureInfo.InvariantCulture);
            response.Headers[RemainingHeader] = quota.Remaining.ToString(CultureInfo.InvariantCulture);
            response.Headers[ResetHeader] = Math.Max(0, (int)Math.Ceiling(quota.ResetAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The platform's per-caller limiter, announcing each caller's quota in the answer to every request it lets through or refuses.</summary>
    private sealed class AnnouncingLimiter(PartitionedRateLimiter<HttpContext> inner) : PartitionedRateLimiter<HttpContext>
    {
        public override RateLimiterStatistics? GetStatistics(HttpContext resource) => inner.GetStatistics(resource);

        protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount)
        {
            var lease = inner.AttemptAcquire(resource, permitCount);
            Announce(resource.Response, lease);
            return lease;
        }

        protected override async ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken)
        {
            var lease = await inner.AcquireAsync(resource, permitCount, cancellationToken);
            Announce(resource.Response, lease);
            return lease;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        protected override async ValueTask DisposeAsyncCore()
        {
            await inner.DisposeAsync();
            await base.DisposeAsyncCore();
        }
    }
}

/// <summary>A caller's quota as an answer announces it.</summary>
internal sealed record Quota(int Limit, int Remaining, TimeSpan ResetAfter);

/// <summary>
/// A fixed window of <c>permitLimit</c> requests that opens with the first request after the last window ended, as the framework's
/// FixedWindowRateLimiter counts, but telling in every lease how many are left and when the window ends: the framework's limiter
/// keeps its window's end to itself, and an answer must not announce a reset it cannot know.
/// </summary>
internal sealed class AnnouncedWindowLimiter(int permitLimit, TimeSpan window, TimeProvider clock) : RateLimiter
{
    public const string QuotaMetadata = "MEP.Quota";

    private readonly Lock _gate = new();
    private DateTimeOffset _windowEnds = DateTimeOffset.MinValue;
    private int _used;
    private long _successful;
    private long _failed;

    /// <summary>Idle once the window has ended: the partitioned limiter then drops it, and the caller's next request opens a new one.</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
            {
                var now = clock.GetUtcNow();
                return now >= _windowEnds ? now - (_windowEnds == DateTimeOffset.MinValue ? now : _windowEnds) : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            var open = clock.GetUtcNow() < _windowEnds;
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = open ? permitLimit - _used : permitLimit,
                CurrentQueuedCount = 0,
                TotalSuccessfulLeases = _successful,
                TotalFailedLeases = _failed,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (now >= _windowEnds)
            {
                _windowEnds = now + window;
                _used = 0;
            }

            var granted = _used + permitCount <= permitLimit;
            if (granted)
            {
                _used += permitCount;
                _successful++;
            }
            else
            {
                _failed++;
            }

            return new QuotaLease(granted, new Quota(permitLimit, permitLimit - _used, _windowEnds - now));
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private sealed class QuotaLease(bool isAcquired, Quota quota) : RateLimitLease
    {
        public override bool IsAcquired => isAcquired;

        public override IEnumerable<string> MetadataNames => isAcquired ? [QuotaMetadata] : [QuotaMetadata, MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == QuotaMetadata ? quota
                : !isAcquired && metadataName == MetadataName.RetryAfter.Name ? quota.ResetAfter
                : null;
            return metadata is not null;
        }
    }
}
