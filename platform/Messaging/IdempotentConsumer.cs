using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Mep.Messaging;

/// <summary>
/// Base of every consumer with an effect on the service's database. The message id goes into the inbox
/// in the same transaction as the effect: a redelivered or replayed message finds its id there and has no
/// second effect; a concurrent duplicate waits on the first one's row and then finds it too.
/// </summary>
public abstract class IdempotentConsumer<TMessage, TContext>(TContext db, TimeProvider clock) : IConsumer<TMessage>
    where TMessage : class
    where TContext : DbContext
{
    /// <summary>
    /// Attempts of one delivery that lost a race for a row to a concurrent transaction. Each attempt re-reads what the other one
    /// committed, so only a row that is contended again and again uses them up; then the bus's own retry takes over.
    /// </summary>
    internal const int ConflictAttempts = 10;

    protected TContext Db => db;

    protected TimeProvider Clock => clock;

    /// <summary>
    /// The consumer's name in the inbox. Must stay the same across deploys, or duplicates that straddle one are
    /// applied twice: the default is the type's name without generic arguments (which carry assembly versions).
    /// </summary>
    protected virtual string ConsumerName => System.Text.RegularExpressions.Regex.Replace(GetType().FullName!, @"\[\[.*\]\]", string.Empty);

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException("A message without MessageId cannot be deduplicated.");
        if (context.GetRetryAttempt() > 0)
        {
            CountRetry(context);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ApplyOnceAsync(context, messageId);
                return;
            }
            catch (Exception e) when (attempt < ConflictAttempts && IsLostRace(e))
            {
                // Another transaction changed (optimistic version), inserted (unique key) or locked (deadlock) the same row between this
                // one's read and write. Its state is committed now: apply again on it, so the newest-wins rule compares with what is
                // stored. A jittered pause keeps the losers of one race from meeting again in lockstep, as the bus's fixed intervals did.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25) * attempt), context.CancellationToken);
                CountRetry(context);
            }
        }
    }

    /// <summary>
    /// The consumer's class name (with the class it is declared in: "InventoryConsumers.Registered"), without namespace and generic
    /// arguments: the label of its retries in the metrics.
    /// </summary>
    private string MetricName => GetType() is { DeclaringType: { } outer } inner
        ? $"{outer.Name.Split('`')[0]}.{inner.Name.Split('`')[0]}"
        : GetType().Name.Split('`')[0];

    private void CountRetry(ConsumeContext context) => context.GetServiceOrCreateInstance<MessagingMetrics>().ConsumerRetried(MetricName);

    private Task ApplyOnceAsync(ConsumeContext<TMessage> context, Guid messageId)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return strategy.ExecuteAsync(async () =>
        {
            // Whatever an earlier attempt tracked is stale (a version another transaction has since replaced): every attempt reads anew.
            db.ChangeTracker.Clear();
            // The service's default is no-tracking; an effect made on a loaded entity must be saved, not dropped.
            db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.TrackAll;
            await using var transaction = await db.Database.BeginTransactionAsync(context.CancellationToken);
            var firstTime = await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO inbox_messages (consumer, message_id, processed_at) VALUES ({ConsumerName}, {messageId}, {clock.GetUtcNow()})
                ON CONFLICT DO NOTHING
                """, context.CancellationToken) == 1;
            if (firstTime)
            {
                await HandleAsync(context.Message, context);
                await db.SaveChangesAsync(context.CancellationToken);
            }

            await transaction.CommitAsync(context.CancellationToken);
        });
    }

    /// <summary>Whether the failure is a lost race for a row, which applying again on the committed state resolves (by SQL state, never message text).</summary>
    private static bool IsLostRace(Exception e) => e switch
    {
        DbUpdateConcurrencyException => true,
        _ when (e as PostgresException ?? e.InnerException as PostgresException ?? e.InnerException?.InnerException as PostgresException) is { } postgres =>
            postgres.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure,
        _ => false,
    };

    /// <summary>The effect: change tracked entities of <see cref="Db"/> (saved by the base) or run SQL in its transaction.</summary>
    protected abstract Task HandleAsync(TMessage message, ConsumeContext<TMessage> context);
}
