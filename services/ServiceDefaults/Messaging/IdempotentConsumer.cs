using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Mep.ServiceDefaults.Messaging;

/// <summary>
/// Base of every consumer with an effect on the service's database. The message id goes into the inbox
/// in the same transaction as the effect: a redelivered or replayed message finds its id there and has no
/// second effect; a concurrent duplicate waits on the first one's row and then finds it too.
/// </summary>
public abstract class IdempotentConsumer<TMessage, TContext>(TContext db, TimeProvider clock) : IConsumer<TMessage>
    where TMessage : class
    where TContext : DbContext
{
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
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
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

    /// <summary>The effect: change tracked entities of <see cref="Db"/> (saved by the base) or run SQL in its transaction.</summary>
    protected abstract Task HandleAsync(TMessage message, ConsumeContext<TMessage> context);
}
