using MassTransit;
using Mep.Assets.Data;
using Mep.Contracts.Replication;
using Microsoft.EntityFrameworkCore;

namespace Mep.Assets.Inventory;

/// <summary>
/// A service that rebuilt its replica asks every owner for its current state: Assets republishes the whole inventory.
/// Not an <see cref="Messaging.IdempotentConsumer{TMessage, TContext}"/>: that commits its effect with the inbox
/// row in one transaction, and the inventory commits chunk by chunk. The inbox row is written after the last chunk instead: a
/// request redelivered after a complete run finds it and does nothing; one redelivered after a run that failed part-way runs
/// again, which consumers absorb.
/// </summary>
public sealed class ReplicaResyncConsumer(AssetsDbContext db, InventoryRepublication republication, TimeProvider clock,
    ILogger<ReplicaResyncConsumer> logger) : IConsumer<ReplicaResyncRequested>
{
    private const string ConsumerName = "assets/replica-resync-requested";

    public async Task Consume(ConsumeContext<ReplicaResyncRequested> context)
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException("A message without MessageId cannot be deduplicated.");
        var message = context.Message;
        if (await db.Database.SqlQuery<int>($"SELECT 1 AS \"Value\" FROM inbox_messages WHERE consumer = {ConsumerName} AND message_id = {messageId}")
                .AnyAsync(context.CancellationToken))
        {
            logger.LogInformation("Resync {RequestId} of {RequestedBy} was answered already", message.RequestId, message.RequestedBy);
            return;
        }

        var result = await republication.RepublishAsync(context.CancellationToken);
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO inbox_messages (consumer, message_id, processed_at) VALUES ({ConsumerName}, {messageId}, {clock.GetUtcNow()})
            ON CONFLICT DO NOTHING
            """, context.CancellationToken);
        logger.LogInformation("Inventory republished for resync {RequestId} of {RequestedBy}: {Devices} devices of {Schools} schools",
            message.RequestId, message.RequestedBy, result.Devices, result.Schools);
    }
}

public static class ReplicaResyncRegistration
{
    /// <summary>One republication at a time per replica: two requests at once would only publish the same state twice over.</summary>
    public static IBusRegistrationConfigurator AddReplicaResyncConsumer(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ReplicaResyncConsumer>(consumer => consumer.ConcurrentMessageLimit = 1);
        return bus;
    }
}
