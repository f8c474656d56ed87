using System.Diagnostics;
using MassTransit;
using Mep.ServiceDefaults.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Mep.Messaging;

/// <summary>Wakes the relay as soon as this process committed outbox rows, instead of at the next poll.</summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Dispose() => _signal.Dispose();

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another writer signalled first; one wake-up is all the relay needs.
                return;
            }
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}

/// <summary>
/// Publishes outbox rows to RabbitMQ. A round claims the oldest pending row of up to N aggregates with
/// FOR UPDATE SKIP LOCKED, so replicas never take the same aggregate at once and each aggregate's events
/// leave in sequence order; it publishes them (broker confirms awaited), marks them published and commits.
/// Sequence order is commit order where a service serialises writes to one aggregate (a row update with its
/// version check does); choose aggregate ids so that this holds. A crash between confirm and commit publishes those rows again: consumers' inboxes absorb that.
/// Failed publishes block only their own aggregate. A message the relay cannot make (unknown type, unreadable body) waits with exponential
/// backoff up to <see cref="MessagingOptions.MaxRetryDelay"/>; one the broker did not take waits at most
/// <see cref="MessagingOptions.BrokerRetryDelay"/>, because the cause is the broker, not the message, and the relay must resume within
/// seconds of the broker's return however long it was away.
/// </summary>
public sealed partial class OutboxRelay<TContext>(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal signal,
    MessagingMetrics metrics,
    TimeProvider timeProvider,
    IOptions<MessagingOptions> options,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService where TContext : DbContext
{
    private const string ClaimSql = """
        WITH heads AS (
            SELECT o.aggregate_id FROM outbox_messages o
            WHERE o.published_at IS NULL AND o.next_attempt_at <= now()
              AND o.sequence = (SELECT min(f.sequence) FROM outbox_messages f WHERE f.aggregate_id = o.aggregate_id AND f.published_at IS NULL)
            ORDER BY o.sequence
            LIMIT @aggregates
            FOR UPDATE SKIP LOCKED)
        SELECT m.sequence, m.message_id, m.message_type, m.aggregate_id, m.body, m.attempts, m.created_at, m.trace_parent
        FROM outbox_messages m JOIN heads h ON h.aggregate_id = m.aggregate_id
        WHERE m.published_at IS NULL
        ORDER BY m.sequence
        LIMIT @batch
        """;

    /// <summary>
    /// Sent before <see cref="ClaimSql"/> in the same round trip. Every published row leaves a dead entry in the pending-row indexes
    /// until the table is vacuumed, tens of thousands of them under load. A bitmap scan, which the planner prefers for the few rows it
    /// expects to be pending, visits the heap for each dead entry again on every claim (11 ms a claim in the support bench, half of
    /// PostgreSQL's time per ticket). A plain index scan marks the entries it found dead in the index, so the next claims skip them
    /// there (under 1 ms).
    /// </summary>
    private const string IndexScanOnlySql = "SET LOCAL enable_bitmapscan = off";

    private sealed record Pending(long Sequence, Guid MessageId, string MessageType, string AggregateId, string Body, int Attempts,
        DateTimeOffset CreatedAt, string? TraceParent);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.RelayEnabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var published = 0;
            try
            {
                published = await RelayRoundAsync(settings, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever went wrong in this round (database, broker, a bug), the relay must outlive it: a dead
                // relay is silent data loss from the consumers' point of view.
                LogRoundFailed(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }

            if (published == 0)
            {
                await signal.WaitAsync(settings.RelayPollInterval, stoppingToken);
            }
        }
    }

    /// <returns>How many messages were published.</returns>
    public async Task<int> RelayRoundAsync(MessagingOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var claimed = await ClaimAsync(connection, transaction, settings, cancellationToken);
        if (claimed.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return 0;
        }

        var results = await Task.WhenAll(claimed.GroupBy(m => m.AggregateId).Select(group => PublishInOrderAsync([.. group], settings, cancellationToken)));
        var published = results.SelectMany(r => r.Published).ToArray();
        // From here on the broker has confirmed: finish even during shutdown, or the whole round goes out again.
        await using (var mark = new NpgsqlCommand(
            "UPDATE outbox_messages SET published_at = clock_timestamp() WHERE sequence = ANY(@sequences)", connection, transaction))
        {
            mark.Parameters.AddWithValue("sequences", published);
            await mark.ExecuteNonQueryAsync(CancellationToken.None);
        }

        foreach (var (message, error, brokerFailed) in results.Where(r => r.Failed is not null).Select(r => r.Failed!.Value))
        {
            var delay = Backoff(message.Attempts + 1, brokerFailed ? Min(settings.BrokerRetryDelay, settings.MaxRetryDelay) : settings.MaxRetryDelay);
            await using var retry = new NpgsqlCommand("""
                UPDATE outbox_messages SET attempts = attempts + 1, next_attempt_at = clock_timestamp() + @delay, last_error = @error
                WHERE sequence = @sequence
                """, connection, transaction);
            retry.Parameters.AddWithValue("delay", delay);
            retry.Parameters.AddWithValue("error", error);
            retry.Parameters.AddWithValue("sequence", message.Sequence);
            await retry.ExecuteNonQueryAsync(CancellationToken.None);
            LogPublishFailed(logger, message.MessageType, message.MessageId, message.Attempts + 1, delay.TotalSeconds, error);
            metrics.PublishFailed();
        }

        await transaction.CommitAsync(CancellationToken.None);
        return published.Length;
    }

    private static async Task<List<Pending>> ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, MessagingOptions settings,
        CancellationToken cancellationToken)
    {
        await using var claim = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(IndexScanOnlySql),
                new NpgsqlBatchCommand(ClaimSql)
                {
                    Parameters =
                    {
                        new NpgsqlParameter("aggregates", settings.RelayAggregatesPerRound),
                        new NpgsqlParameter("batch", settings.RelayBatchSize),
                    },
                },
            },
        };
        var claimed = new List<Pending>();
        await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new Pending(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5),
                reader.GetFieldValue<DateTimeOffset>(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        return claimed;
    }

    /// <summary>One aggregate's messages, one after the other; the first failure stops the rest of this aggregate for this round.</summary>
    /// <returns>The sequences published, and the first failure: whether the broker failed it (else the message itself).</returns>
    private async Task<(List<long> Published, (Pending Message, string Error, bool BrokerFailed)? Failed)> PublishInOrderAsync(
        List<Pending> messages, MessagingOptions settings, CancellationToken cancellationToken)
    {
        var published = new List<long>();
        foreach (var message in messages)
        {
            // The publish continues the trace the event was written in; MassTransit's publish span and the headers it sends
            // (and so every consumer's span) descend from this one.
            using var activity = StartPublishActivity(message);
            var type = IntegrationEvents.ResolveType(message.MessageType);
            if (type is null)
            {
                return (published, (message, $"Unknown message type {message.MessageType}.", false));
            }

            // The stored JSON goes out as it is (StoredEventSerializer): checked, not turned into an object and back.
            var body = System.Text.Encoding.UTF8.GetBytes(message.Body);
            if (!StoredEventSerializer.IsJsonObject(body, out var unreadable))
            {
                return (published, (message, unreadable!, false));
            }

            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(settings.PublishTimeout);
                await bus.Publish(StoredEventSerializer.Placeholder(type), type, context =>
                {
                    context.MessageId = message.MessageId;
                    context.Headers.Set(AggregateHeader, message.AggregateId);
                    context.Serializer = new StoredEventSerializer(body);
                }, timeout.Token);
                published.Add(message.Sequence);
                metrics.Published(timeProvider.GetUtcNow() - message.CreatedAt);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
                return (published, (message, $"{e.GetType().Name}: {e.Message}", true));
            }
        }

        return (published, null);
    }

    public const string AggregateHeader = "Mep-Aggregate-Id";

    private static Activity? StartPublishActivity(Pending message)
    {
        var parent = ActivityContext.TryParse(message.TraceParent, traceState: null, out var stored) ? stored : default;
        var activity = PlatformTelemetry.Source.StartActivity($"outbox publish {ShortName(message.MessageType)}", ActivityKind.Internal, parent);
        activity?.SetTag("messaging.message.id", message.MessageId.ToString());
        activity?.SetTag("mep.outbox.sequence", message.Sequence);
        activity?.SetTag("mep.outbox.attempt", message.Attempts + 1);
        return activity;
    }

    /// <summary>"Mep.Contracts.Assets.DeviceRegistered" as "DeviceRegistered": the span's name, one per event type.</summary>
    private static string ShortName(string messageType) => messageType[(messageType.LastIndexOf('.') + 1)..];

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Backoff(int attempt, TimeSpan max)
    {
        var seconds = Math.Min(max.TotalSeconds, Math.Pow(2, Math.Min(attempt, 16)) * 0.25);
        return TimeSpan.FromSeconds(seconds * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Outbox relay round failed; retrying")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning,
        Message = "Publishing {MessageType} {MessageId} failed (attempt {Attempt}); next try in {DelaySeconds:0.0} s: {Error}")]
    private static partial void LogPublishFailed(ILogger logger, string messageType, Guid messageId, int attempt, double delaySeconds, string error);
}
