using System.Diagnostics;
using Mep.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;

namespace Mep.Messaging;

/// <summary>An integration event waiting to be (or already) published, written in the same transaction as the change it reports.</summary>
public sealed class OutboxMessage
{
    public long Sequence { get; private set; }
    public Guid MessageId { get; private set; }

    /// <summary>The event's type name in <c>Mep.Contracts</c>, e.g. "Mep.Contracts.Schools.SchoolRegistered".</summary>
    public string MessageType { get; private set; } = string.Empty;

    /// <summary>What the event is about (a school id, ...); events of one aggregate are published in order.</summary>
    public string AggregateId { get; private set; } = string.Empty;

    public string Body { get; private set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public string? LastError { get; private set; }
    public DateTimeOffset? PublishedAt { get; private set; }

    /// <summary>The trace the event was written in (W3C traceparent), continued by the relay's publish; null outside any trace.</summary>
    public string? TraceParent { get; private set; }

    /// <summary>A W3C traceparent: version, trace id, span id, flags (55 characters).</summary>
    public const int MaxTraceParentLength = 55;

    internal static OutboxMessage Create(Guid messageId, string messageType, string aggregateId, string body, DateTimeOffset now) =>
        new()
        {
            MessageId = messageId,
            MessageType = messageType,
            AggregateId = aggregateId,
            Body = body,
            CreatedAt = now,
            NextAttemptAt = now,
            TraceParent = Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id.Length: <= MaxTraceParentLength } current ? current.Id : null,
        };
}

/// <summary>A message a consumer has processed; its row and the consumer's effect commit together, so a redelivery has no second effect.</summary>
public sealed class InboxMessage
{
    public string Consumer { get; private set; } = string.Empty;
    public Guid MessageId { get; private set; }
    public DateTimeOffset ProcessedAt { get; private set; }
}

public static class MessagingTables
{
    /// <summary>Maps the outbox, inbox and stored idempotent answers (created by the platform migrations) into a service's model.</summary>
    public static ModelBuilder AddMessagingTables(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable("outbox_messages");
            outbox.HasKey(m => m.Sequence);
            outbox.Property(m => m.Sequence).UseIdentityAlwaysColumn();
            outbox.Property(m => m.Body).HasColumnType("text");
            outbox.HasIndex(m => m.MessageId).IsUnique();
            outbox.HasIndex(m => new { m.AggregateId, m.Sequence }).HasFilter("published_at IS NULL");
            outbox.HasIndex(m => m.Sequence).HasFilter("published_at IS NULL");
            outbox.HasIndex(m => m.PublishedAt).HasFilter("published_at IS NOT NULL");
        });
        modelBuilder.Entity<InboxMessage>(inbox =>
        {
            inbox.ToTable("inbox_messages");
            inbox.HasKey(m => new { m.Consumer, m.MessageId });
            inbox.HasIndex(m => m.ProcessedAt);
        });
        return modelBuilder.AddIdempotentRequestsTable();
    }
}
