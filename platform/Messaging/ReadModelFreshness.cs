using System.ComponentModel.DataAnnotations;
using Mep.ServiceDefaults.Health;
using Microsoft.EntityFrameworkCore;

namespace Mep.Messaging;

/// <summary>
/// How fresh the service's read models fed by events are: the time the last event was applied, from the inbox every consumer writes in
/// the same transaction as its effect (so every replica of the service sees the same answer). While the broker is away it stops
/// moving, and answers built on the replicas say so instead of looking current.
/// </summary>
public sealed class ReadModelFreshness(IServiceScopeFactory scopes, Func<IServiceProvider, DbContext> context) : IReadModelFreshness
{
    /// <summary>Response header of every read: when the service last applied an event (ISO 8601, UTC); absent before the first one.</summary>
    public const string Header = "Mep-Last-Event-Applied-At";

    /// <summary>How long a read may reuse the last answer: one indexed query per second instead of one per request.</summary>
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);

    // Real elapsed time, not the service's TimeProvider: a test's fixed clock must not freeze the cache.
    private (DateTimeOffset? Value, long ReadAtTicks)? _cached;

    /// <summary>Per consumer (the inbox's name), when it last applied an event.</summary>
    public sealed record ConsumerFreshness([MaxLength(ErrorQueues.MaxQueueNameLength)] string Consumer, DateTimeOffset LastAppliedAt);

    public async Task<DateTimeOffset?> LastEventAppliedAtAsync(CancellationToken cancellationToken)
    {
        var now = Environment.TickCount64;
        if (_cached is { } cached && now - cached.ReadAtTicks < CacheFor.TotalMilliseconds)
        {
            return cached.Value;
        }

        // Requests that find the cache expired at the same moment each read once; that costs less than making them wait on one another.
        await using var scope = scopes.CreateAsyncScope();
        var value = await context(scope.ServiceProvider).Set<InboxMessage>().MaxAsync(m => (DateTimeOffset?)m.ProcessedAt, cancellationToken);
        _cached = (value, now);
        return value;
    }

    public static string Format(DateTimeOffset instant) => instant.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>For the operator view: each consumer's last applied event, newest first (read each time, not cached).</summary>
    public static async Task<IReadOnlyList<ConsumerFreshness>> ByConsumerAsync(DbContext db, CancellationToken cancellationToken) =>
        (await db.Set<InboxMessage>().GroupBy(m => m.Consumer)
            .Select(g => new { Consumer = g.Key, LastAppliedAt = g.Max(m => m.ProcessedAt) })
            .OrderByDescending(c => c.LastAppliedAt).ToListAsync(cancellationToken))
        .ConvertAll(c => new ConsumerFreshness(c.Consumer, c.LastAppliedAt));
}

/// <summary>Adds <see cref="ReadModelFreshness.Header"/> to every GET, before the endpoint runs (so also to feeds and problems).</summary>
internal sealed class ReadModelFreshnessStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (HttpMethods.IsGet(context.Request.Method) && !context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
            {
                var freshness = context.RequestServices.GetRequiredService<ReadModelFreshness>();
                try
                {
                    if (await freshness.LastEventAppliedAtAsync(context.RequestAborted) is { } appliedAt)
                    {
                        context.Response.Headers[ReadModelFreshness.Header] = ReadModelFreshness.Format(appliedAt);
                    }
                }
                catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
                {
                    // This runs ahead of the problem-details handler: without a database the endpoint answers for itself.
                }
            }

            await nextMiddleware(context);
        });
        next(app);
    };
}
