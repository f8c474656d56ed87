using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Mep.ServiceDefaults.Messaging;

/// <summary>One integration event for <see cref="OutboxCopy.CopyIntegrationEventsAsync"/>.</summary>
public readonly record struct PendingEvent(object Event, string AggregateId);

public static class OutboxCopy
{
    /// <summary>
    /// Records many integration events at once with binary COPY, for bulk writes where one outbox row per
    /// change through the change tracker would cost more than the change itself. Same guarantee as
    /// <see cref="IntegrationEvents.AddIntegrationEvent{TEvent}"/>: call it inside the explicit transaction of the
    /// write; the rows commit (and the relay is woken) with it, or vanish with its rollback.
    /// </summary>
    public static async Task CopyIntegrationEventsAsync(this DbContext db, IReadOnlyCollection<PendingEvent> events, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Copy integration events inside the transaction of the change they report.");
        }

        if (events.Count == 0)
        {
            return;
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY outbox_messages (message_id, message_type, aggregate_id, body, created_at, attempts, next_attempt_at) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        foreach (var pending in events)
        {
            var type = pending.Event.GetType();
            if (IntegrationEvents.ResolveType(type.FullName!) is null)
            {
                throw new InvalidOperationException($"{type.FullName} is not an integration event of Mep.Contracts.");
            }

            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(Guid.CreateVersion7(now), NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(type.FullName!, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(pending.AggregateId, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(JsonSerializer.Serialize(pending.Event, type, IntegrationEvents.Json), NpgsqlDbType.Jsonb, cancellationToken);
            await writer.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(0, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
    }
}
