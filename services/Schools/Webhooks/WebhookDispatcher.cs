using Mep.Schools.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Mep.Schools.Webhooks;

/// <summary>
/// Sends the waiting deliveries, kept in the database so that none is lost when the process stops. <see cref="WebhookOptions.ConcurrentSubscriptions"/>
/// senders work independently: each claims one active subscription that is due and has a delivery waiting (FOR UPDATE SKIP LOCKED, then
/// a lease on the row: replicas never send for one subscription at once, and a replica that dies mid-delivery leaves it to another once
/// the lease ends), sends its oldest waiting delivery, records the outcome on the delivery and the subscription (backoff, pause) in one
/// transaction, and claims the next. A claim passes over a school that has <see cref="WebhookOptions.ConcurrentDeliveriesPerSchool"/>
/// subscriptions leased already, so one school's slow receivers hold up at most that many senders, never every school's deliveries.
/// Besides, the dispatcher forgets rotated-out secrets whose overlap has passed.
/// </summary>
public sealed partial class WebhookDispatcher(
    IServiceScopeFactory scopes,
    WebhookSender sender,
    WebhookSecretCipher cipher,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    /// <summary>Claims take turns (a few milliseconds each) so that each one counts the leases of the claims before it.</summary>
    private const long ClaimLockKey = 0x4D45505F57484B53; // "MEP_WHKS"

    private const string ClaimSql = """
        UPDATE webhook_subscriptions SET leased_until = @until
        WHERE id = (
            SELECT s.id FROM webhook_subscriptions s
            WHERE s.status = 'Active' AND s.next_attempt_at <= @now AND (s.leased_until IS NULL OR s.leased_until <= @now)
              AND EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.subscription_id = s.id AND d.status = 'Pending')
              AND (SELECT count(*) FROM webhook_subscriptions busy WHERE busy.school_id = s.school_id AND busy.leased_until > @now) < @perSchool
            ORDER BY s.next_attempt_at
            LIMIT 1
            FOR UPDATE SKIP LOCKED)
        RETURNING id
        """;

    /// <summary>A rotated-out secret signs nothing after its overlap (<see cref="WebhookSubscription.SigningSecrets"/>); it is not kept either.</summary>
    private const string ForgetExpiredSecretsSql = """
        UPDATE webhook_subscriptions SET previous_secret = NULL, previous_secret_expires_at = NULL
        WHERE previous_secret IS NOT NULL AND previous_secret_expires_at <= @now
        """;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        return settings.DeliveryEnabled
            ? Task.WhenAll(Enumerable.Range(0, settings.ConcurrentSubscriptions).Select(_ => RepeatAsync(SendNextAsync, stoppingToken))
                .Append(RepeatAsync(ForgetExpiredSecretsAsync, stoppingToken)))
            : Task.CompletedTask;
    }

    /// <summary>Runs <paramref name="work"/> again and again; after a time with nothing to do, or a failure, it waits a poll interval.</summary>
    /// <param name="work">Whether it found something to do (then it runs again at once).</param>
    private async Task RepeatAsync(Func<CancellationToken, Task<bool>> work, CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                busy = await work(stoppingToken);
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

            if (!busy)
            {
                try
                {
                    await Task.Delay(options.Value.PollInterval, clock, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Claims one subscription and sends its oldest waiting delivery; false when none was due.</summary>
    private async Task<bool> SendNextAsync(CancellationToken cancellationToken)
    {
        if (await ClaimAsync(cancellationToken) is not { } subscriptionId)
        {
            return false;
        }

        await SendNextAsync(subscriptionId, cancellationToken);
        return true;
    }

    private async Task<Guid?> ClaimAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchoolsDbContext>();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var turn = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({ClaimLockKey})", connection, transaction))
        {
            await turn.ExecuteNonQueryAsync(cancellationToken);
        }

        var now = clock.GetUtcNow();
        await using var claim = new NpgsqlCommand(ClaimSql, connection, transaction);
        claim.Parameters.AddWithValue("now", now);
        // Long enough for the delivery and the recording of its outcome; a lease left by a dead replica ends after it.
        claim.Parameters.AddWithValue("until", now + settings.Timeout + TimeSpan.FromSeconds(30));
        claim.Parameters.AddWithValue("perSchool", (long)settings.ConcurrentDeliveriesPerSchool);
        var claimed = await claim.ExecuteScalarAsync(cancellationToken) as Guid?;
        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    private async Task<bool> ForgetExpiredSecretsAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchoolsDbContext>();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using var forget = new NpgsqlCommand(ForgetExpiredSecretsSql, connection);
        forget.Parameters.AddWithValue("now", clock.GetUtcNow());
        await forget.ExecuteNonQueryAsync(cancellationToken);
        return false;
    }

    private async Task SendNextAsync(Guid subscriptionId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchoolsDbContext>();
        var subscription = await db.Set<WebhookSubscription>().SingleOrDefaultAsync(s => s.Id == subscriptionId, cancellationToken);
        // Paused (or deleted) since the claim: nothing goes out.
        var next = subscription is not { Status: WebhookSubscriptionStatus.Active } ? null : await (
            from delivery in db.Set<WebhookDelivery>()
            where delivery.SubscriptionId == subscriptionId && delivery.Status == WebhookDeliveryStatus.Pending
            orderby delivery.Sequence
            join webhookEvent in db.Set<WebhookEvent>() on delivery.EventId equals webhookEvent.Id
            select new { delivery.Id, delivery.Attempts, Event = webhookEvent }).FirstOrDefaultAsync(cancellationToken);
        if (next is null)
        {
            await RecordAsync(db, subscriptionId, null, null, cancellationToken);
            return;
        }

        var signingSecrets = subscription!.SigningSecrets(clock.GetUtcNow(), cipher);
        var outcome = await sender.SendAsync(subscription, signingSecrets, next.Event, next.Attempts + 1, cancellationToken);
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
