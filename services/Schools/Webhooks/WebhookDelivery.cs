using Mep.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Schools.Webhooks;

public enum WebhookDeliveryStatus
{
    /// <summary>Waiting to go out (also after a failed attempt, and while its subscription is paused).</summary>
    Pending,

    /// <summary>The receiver answered 2xx.</summary>
    Delivered,
}

/// <summary>What one attempt of a delivery came to.</summary>
/// <param name="StatusCode">The receiver's HTTP status, if it answered.</param>
/// <param name="Error">Why it failed without an answer (timeout, refused connection, a non-public address), in a few words.</param>
/// <param name="ResponseExcerpt">The start of the receiver's answer, for the school's debugging; never more than a few hundred characters.</param>
public sealed record DeliveryOutcome(int? StatusCode, TimeSpan Duration, string? Error, string? ResponseExcerpt)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;

    /// <summary>The failure in a few words, for the attempt's error and a pause's reason.</summary>
    public string Summary => StatusCode is { } status
        ? status is >= 300 and < 400 ? $"HTTP {status} (redirects are not followed)." : $"HTTP {status}."
        : Error ?? "No answer.";
}

/// <summary>
/// One event's delivery to one subscription: at most one per pair (a redelivered integration event makes no second one), retried until
/// the receiver takes it; each attempt is logged with its status code and duration (<see cref="WebhookDeliveryAttempt"/>).
/// </summary>
public sealed class WebhookDelivery
{
    private WebhookDelivery()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>Order of the subscription's deliveries: the sender sends the oldest waiting one first.</summary>
    public long Sequence { get; private set; }

    public Guid SubscriptionId { get; private set; }
    public Guid EventId { get; private set; }
    public string EventType { get; private set; } = string.Empty;
    public WebhookDeliveryStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? LastAttemptAt { get; private set; }
    public int? LastStatusCode { get; private set; }
    public string? LastError { get; private set; }
    public DateTimeOffset? DeliveredAt { get; private set; }

    internal static WebhookDelivery Of(WebhookSubscription subscription, WebhookEvent webhookEvent, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        SubscriptionId = subscription.Id,
        EventId = webhookEvent.Id,
        EventType = webhookEvent.Type,
        Status = WebhookDeliveryStatus.Pending,
        CreatedAt = now,
    };

    /// <returns>The attempt's line in the delivery log.</returns>
    internal WebhookDeliveryAttempt Attempted(DeliveryOutcome outcome, DateTimeOffset now)
    {
        Attempts++;
        (LastAttemptAt, LastStatusCode, LastError) = (now, outcome.StatusCode, outcome.Succeeded ? null : outcome.Summary);
        if (outcome.Succeeded)
        {
            (Status, DeliveredAt) = (WebhookDeliveryStatus.Delivered, now);
        }

        return WebhookDeliveryAttempt.Of(this, outcome, now);
    }

    /// <summary>Sends the event again (the receiver lost it, or the school wants it once more), with the same event id.</summary>
    public void Redeliver()
    {
        if (Status == WebhookDeliveryStatus.Pending)
        {
            throw new DomainRuleException("webhook-delivery-pending", "This delivery is waiting to go out already.") { IsStateConflict = true };
        }

        (Status, DeliveredAt) = (WebhookDeliveryStatus.Pending, null);
    }
}

/// <summary>One attempt of a delivery, as the school's delivery log shows it: when, how long, the answer's status and start; no secrets.</summary>
public sealed class WebhookDeliveryAttempt
{
    /// <summary>The longest excerpt of a receiver's answer that is kept.</summary>
    public const int MaxResponseExcerpt = 200;

    public const int MaxError = 300;

    private WebhookDeliveryAttempt()
    {
    }

    public long Id { get; private set; }
    public Guid DeliveryId { get; private set; }
    public DateTimeOffset AttemptedAt { get; private set; }
    public int DurationMs { get; private set; }
    public int? StatusCode { get; private set; }
    public bool Succeeded { get; private set; }
    public string? Error { get; private set; }
    public string? ResponseExcerpt { get; private set; }

    internal static WebhookDeliveryAttempt Of(WebhookDelivery delivery, DeliveryOutcome outcome, DateTimeOffset now) => new()
    {
        DeliveryId = delivery.Id,
        AttemptedAt = now,
        DurationMs = (int)Math.Min(int.MaxValue, Math.Round(outcome.Duration.TotalMilliseconds)),
        StatusCode = outcome.StatusCode,
        Succeeded = outcome.Succeeded,
        Error = outcome.Succeeded ? null : Cut(outcome.Summary, MaxError),
        ResponseExcerpt = outcome.ResponseExcerpt is { Length: > 0 } excerpt ? Cut(excerpt, MaxResponseExcerpt) : null,
    };

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length];
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> delivery)
    {
        delivery.ToTable("webhook_deliveries");
        delivery.HasKey(d => d.Id);
        delivery.Property(d => d.Sequence).UseIdentityByDefaultColumn();
        delivery.HasIndex(d => new { d.SubscriptionId, d.EventId }).IsUnique();
        // The sender's next delivery of a subscription, and whether it has any.
        delivery.HasIndex(d => new { d.SubscriptionId, d.Sequence }, "pending").HasFilter("status = 'Pending'")
            .HasDatabaseName("ix_webhook_deliveries_pending");
        // The delivery log, newest first.
        delivery.HasIndex(d => new { d.SubscriptionId, d.Sequence }, "log").HasDatabaseName("ix_webhook_deliveries_subscription_id_sequence");
        delivery.HasOne<WebhookSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        delivery.HasOne<WebhookEvent>().WithMany().HasForeignKey(d => d.EventId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookDeliveryAttemptConfiguration : IEntityTypeConfiguration<WebhookDeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookDeliveryAttempt> attempt)
    {
        attempt.ToTable("webhook_delivery_attempts");
        attempt.HasKey(a => a.Id);
        attempt.Property(a => a.Id).UseIdentityByDefaultColumn();
        attempt.HasIndex(a => a.DeliveryId);
        attempt.HasOne<WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
    }
}
