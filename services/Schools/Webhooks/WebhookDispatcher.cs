using Mep.Schools.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Mep.Schools.Webhooks;

/// <summary>
/// Sends the waiting deliveries, kept in the database so that none is lost when the process stops. A round claims up to
/// <see cref="WebhookOptions.ConcurrentSubscriptions"/> active subscriptions that are due and have a delivery waiting (FOR UPDATE SKIP
/// LOCKED, then a lease on the row: replicas never send for one subscription at once, and a replica that dies mid-delivery leaves it to
/// another once the lease ends); for each it sends the oldest waiting delivery and records the outcome on the delivery and the
/// subscription (backoff, pause) in one transaction.
/// </summary>
public sealed partial class WebhookDispatcher(
    IServiceScopeFactory scopes,
    WebhookSender sender,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private const string ClaimSql = """
        UPDATE webhook_subscriptions SET leased_until = @until
        WHERE id IN (
            SELECT s.id FROM webhook_subscriptions s
            WHERE s.status = 'Active' AND s.next_attempt_at <= @now AND (s.leased_until IS NULL OR s.leased_until <= @now)
              AND EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.subscription_id = s.id AND d.status = 'Pending')
            ORDER BY s.next_attempt_at
            LIMIT @limit
            FOR UPDATE SKIP LOCKED)
        RETURNING id
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.DeliveryEnabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var sent = 0;
            try
            {
                sent = await RoundAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // A failed round (the database away, a bug) must not end the sender: the deliveries wait in the table for the next.
                LogRoundFailed(logger, e);
            }

            if (sent == 0)
            {
                await Task.Delay(settings.PollInterval, clock, stoppingToken);
            }
        }
    }

    /// <returns>How many subscriptions this round sent a delivery to.</returns>
    public async Task<int> RoundAsync(CancellationToken cancellationToken)
    {
        var claimed = await ClaimAsync(cancellationToken);
        await Task.WhenAll(claimed.Select(id => SendNextAsync(id, cancellationToken)));
        return claimed.Count;
    }

    private async Task<List<Guid>> ClaimAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchoolsDbContext>();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        var now = clock.GetUtcNow();
        await using var claim = new NpgsqlCommand(ClaimSql, connection);
        claim.Parameters.AddWithValue("now", now);
        // Long enough for the delivery and the recording of its outcome; a lease left by a dead replica ends after it.
        claim.Parameters.AddWithValue("until", now + settings.Timeout + TimeSpan.FromSeconds(30));
        claim.Parameters.AddWithValue("limit", settings.ConcurrentSubscriptions);
        var claimed = new List<Guid>();
        await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(reader.GetGuid(0));
        }

        return claimed;
    }

    private async Task SendNextAsync(Guid subscriptionId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchoolsDbContext>();
        var subscription = await db.Set<WebhookSubscription>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == subscriptionId, cancellationToken);
        // Paused (or deleted) since the claim: nothing goes out.
        var next = subscription is not { Status: WebhookSubscriptionStatus.Active } ? null : await (
            from delivery in db.Set<WebhookDelivery>().AsNoTracking()
            where delivery.SubscriptionId == subscriptionId && delivery.Status == WebhookDeliveryStatus.Pending
            orderby delivery.Sequence
            join webhookEvent in db.Set<WebhookEvent>().AsNoTracking() on delivery.EventId equals webhookEvent.Id
            select new { delivery.Id, delivery.Attempts, Event = webhookEvent }).FirstOrDefaultAsync(cancellationToken);
        if (next is null)
        {
            await RecordAsync(db, subscriptionId, null, null, cancellationToken);
            return;
        }

        var outcome = await sender.SendAsync(subscription!, next.Event, next.Attempts + 1, cancellationToken);
        if (!outcome.Succeeded)
        {
            LogDeliveryFailed(logger, subscriptionId, next.Id, next.Attempts + 1, outcome.StatusCode, outcome.Error);
        }

        // Recorded even while the host stops: the receiver has the delivery; sending it again after the restart would repeat it.
        await RecordAsync(db, subscriptionId, next.Id, outcome, CancellationToken.None);
    }

    /// <summary>The attempt on the delivery and its consequence on the subscription; or, without an outcome, only the claim given back.</summary>
    private Task RecordAsync(SchoolsDbContext db, Guid subscriptionId, Guid? deliveryId, DeliveryOutcome? outcome, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // Under the row's lock: a pause, resume or deletion by the school meanwhile is seen, not overwritten.
            var subscription = await db.Set<WebhookSubscription>()
                .FromSql($"SELECT * FROM webhook_subscriptions WHERE id = {subscriptionId} FOR UPDATE").AsTracking()
                .SingleOrDefaultAsync(cancellationToken);
            if (subscription is null)
            {
                return;
            }

            var now = clock.GetUtcNow();
            if (outcome is null)
            {
                subscription.Released();
            }
            else
            {
                if (deliveryId is { } id && await db.Set<WebhookDelivery>().AsTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken) is { } delivery)
                {
                    db.Add(delivery.Attempted(outcome, now));
                }

                if (outcome.Succeeded)
                {
                    subscription.DeliverySucceeded(now);
                }
                else
                {
                    subscription.DeliveryFailed(outcome.Summary, options.Value.RetryPolicy, now);
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Webhook sender round failed; retrying")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information,
        Message = "Webhook delivery {DeliveryId} of subscription {SubscriptionId} failed (attempt {Attempt}): status {StatusCode}, {Error}")]
    private static partial void LogDeliveryFailed(ILogger logger, Guid subscriptionId, Guid deliveryId, int attempt, int? statusCode, string? error);
}
