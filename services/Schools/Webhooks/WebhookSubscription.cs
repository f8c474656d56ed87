using System.Security.Cryptography;
using Mep.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Schools.Webhooks;

public enum WebhookSubscriptionStatus
{
    /// <summary>Deliveries go out.</summary>
    Active,

    /// <summary>Deliveries wait (none is lost) until the school resumes the subscription: paused by hand or after repeated failure.</summary>
    Paused,
}

/// <summary>The waits between a subscription's failed attempts and when it gives up and pauses.</summary>
public sealed record WebhookRetryPolicy(TimeSpan BaseDelay, TimeSpan MaxDelay, int PauseAfterFailures)
{
    /// <summary>Exponential: the base after the first failure, doubled after each further one, never more than the maximum.</summary>
    public TimeSpan DelayAfter(int failures) =>
        TimeSpan.FromTicks((long)Math.Min(MaxDelay.Ticks, BaseDelay.Ticks * Math.Pow(2, Math.Min(failures - 1, 30))));
}

/// <summary>
/// A school's subscription of an https address to some of its own school's events. Deliveries are signed with a secret the platform
/// makes (shown once, at creation and at rotation). A subscription sends its deliveries one after the other, oldest first; a failure
/// holds back the rest for a wait that doubles with each failure in a row, and after <see cref="WebhookRetryPolicy.PauseAfterFailures"/>
/// of them the subscription pauses and says why. Its school resumes it, and what waited goes out.
/// </summary>
public sealed class WebhookSubscription
{
    public const int MaxDescription = 200;
    public const int MaxEventTypes = 20;

    /// <summary>The secret's prefix: recognisable in a receiver's configuration and in secret scanners.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>The prefix and 32 random bytes, base64url.</summary>
    public const int SecretLength = 49;

    public const int MaxPausedReason = 500;

    private WebhookSubscription()
    {
    }

    public Guid Id { get; private set; }
    public Guid SchoolId { get; private set; }
    public string Url { get; private set; } = string.Empty;
    public List<string> EventTypes { get; private set; } = [];
    public string? Description { get; private set; }

    /// <summary>
    /// The signing secret, sealed (<see cref="WebhookSecretCipher"/>): not hashed, since signing needs the secret itself (HMAC), unlike
    /// a key that is only compared; encrypted with a key outside the database. It never leaves the service after its answer at creation
    /// or rotation.
    /// </summary>
    public string Secret { get; private set; } = string.Empty;

    /// <summary>
    /// The sealed secret before the last rotation, still signing beside the new one until <see cref="PreviousSecretExpiresAt"/>; the
    /// sender forgets it after that (<see cref="WebhookDispatcher"/>).
    /// </summary>
    public string? PreviousSecret { get; private set; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; private set; }
    public DateTimeOffset? SecretRotatedAt { get; private set; }
    public WebhookSubscriptionStatus Status { get; private set; }
    public DateTimeOffset? PausedAt { get; private set; }
    public string? PausedReason { get; private set; }

    /// <summary>Failed attempts since the last success.</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>When the next delivery may go out (after a failure: the backoff).</summary>
    public DateTimeOffset NextAttemptAt { get; private set; }

    /// <summary>Until when a sender has claimed the subscription for its next delivery (so that two replicas never send at once).</summary>
    public DateTimeOffset? LeasedUntil { get; private set; }

    public DateTimeOffset? LastSucceededAt { get; private set; }
    public DateTimeOffset? LastFailedAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = string.Empty;

    /// <param name="existing">The school's subscriptions so far: their number is limited, and an address is subscribed once.</param>
    /// <returns>The subscription and its secret, to be shown this once.</returns>
    public static (WebhookSubscription Subscription, string Secret) Create(Guid schoolId, WebhookAddress address, IEnumerable<string> eventTypes,
        string? description, IReadOnlyCollection<WebhookSubscription> existing, int maxPerSchool, string actor, WebhookSecretCipher cipher,
        DateTimeOffset now)
    {
        var types = eventTypes.Select(type => type.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (types.Count == 0 || types.Any(type => !WebhookEventTypes.All.Contains(type)))
        {
            throw new DomainRuleException("webhook-event-types-unknown", $"Subscribe to one or more of {string.Join(", ", WebhookEventTypes.All)}.")
            {
                Field = "eventTypes",
            };
        }

        if (existing.Count >= maxPerSchool)
        {
            throw new DomainRuleException("webhook-subscription-limit",
                $"A school has at most {maxPerSchool} webhook subscriptions; delete one it no longer needs.") { IsStateConflict = true };
        }

        if (existing.Any(other => other.Url == address.ToString()))
        {
            throw new DomainRuleException("webhook-address-already-subscribed",
                "This address is subscribed already; change that subscription's event types by deleting it and subscribing anew.") { IsStateConflict = true };
        }

        var secret = NewSecret();
        var id = Guid.CreateVersion7(now);
        var subscription = new WebhookSubscription
        {
            Id = id,
            SchoolId = schoolId,
            Url = address.ToString(),
            EventTypes = types,
            Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim(),
            Secret = cipher.Seal(id, secret),
            Status = WebhookSubscriptionStatus.Active,
            NextAttemptAt = now,
            CreatedAt = now,
            CreatedBy = actor,
        };
        return (subscription, secret);
    }

    public bool Wants(string eventType) => EventTypes.Contains(eventType, StringComparer.Ordinal);

    /// <summary>The delivery of <paramref name="webhookEvent"/> to this subscription, if it subscribed to its type (also while paused: it waits).</summary>
    public WebhookDelivery? Offer(WebhookEvent webhookEvent, DateTimeOffset now) =>
        webhookEvent.SchoolId == SchoolId && Wants(webhookEvent.Type) ? WebhookDelivery.Of(this, webhookEvent, now) : null;

    /// <summary>
    /// The secrets (in plain text, for signing) a delivery sent at <paramref name="now"/> is signed with: the current one, and the
    /// previous one while it overlaps.
    /// </summary>
    public IReadOnlyList<string> SigningSecrets(DateTimeOffset now, WebhookSecretCipher cipher) =>
        PreviousSecret is { } previous && PreviousSecretExpiresAt > now ? [cipher.Open(Id, Secret), cipher.Open(Id, previous)] : [cipher.Open(Id, Secret)];

    /// <summary>
    /// A new secret, returned this once; the old one keeps signing beside it for <paramref name="overlap"/>. Refused while an earlier
    /// rotation's overlap runs: the secret it keeps signing with would be dropped while receivers may still rely on it.
    /// </summary>
    public string RotateSecret(TimeSpan overlap, WebhookSecretCipher cipher, DateTimeOffset now)
    {
        if (PreviousSecret is not null && PreviousSecretExpiresAt > now)
        {
            throw new DomainRuleException("webhook-secret-rotation-overlapping",
                $"The secret before the last rotation still signs until {PreviousSecretExpiresAt:yyyy-MM-dd HH:mm:ss} UTC; rotate again after that, "
                + "so that no secret a receiver may still use is dropped.") { IsStateConflict = true };
        }

        var secret = NewSecret();
        (PreviousSecret, PreviousSecretExpiresAt) = (Secret, now + overlap);
        Secret = cipher.Seal(Id, secret);
        SecretRotatedAt = now;
        return secret;
    }

    /// <summary>
    /// Seals the secrets again under the cipher's current key where a retired key sealed them, or where they are still in plain text
    /// (written before secrets were encrypted). Whether anything changed.
    /// </summary>
    internal bool SealAgain(WebhookSecretCipher cipher)
    {
        var (secret, previous) = (Resealed(Secret, cipher), PreviousSecret is { } old ? Resealed(old, cipher) : null);
        if (secret == Secret && previous == PreviousSecret)
        {
            return false;
        }

        (Secret, PreviousSecret) = (secret, previous);
        return true;
    }

    private string Resealed(string stored, WebhookSecretCipher cipher) =>
        stored.StartsWith(SecretPrefix, StringComparison.Ordinal) ? cipher.Seal(Id, stored)
        : cipher.IsSealedWithCurrentKey(stored) ? stored
        : cipher.Seal(Id, cipher.Open(Id, stored));

    public void Pause(string actor, DateTimeOffset now)
    {
        if (Status == WebhookSubscriptionStatus.Paused)
        {
            throw new DomainRuleException("webhook-subscription-paused", "The subscription is paused already.") { IsStateConflict = true };
        }

        PauseBecause($"Paused by {actor}.", now);
    }

    /// <summary>Deliveries go out again, the waiting ones first, at once: the school says its receiver is back.</summary>
    public void Resume(DateTimeOffset now)
    {
        if (Status == WebhookSubscriptionStatus.Active)
        {
            throw new DomainRuleException("webhook-subscription-active", "The subscription is active; only a paused one resumes.") { IsStateConflict = true };
        }

        (Status, PausedAt, PausedReason, ConsecutiveFailures, NextAttemptAt) = (WebhookSubscriptionStatus.Active, null, null, 0, now);
    }

    internal void DeliverySucceeded(DateTimeOffset now)
    {
        (ConsecutiveFailures, LastSucceededAt, NextAttemptAt, LeasedUntil) = (0, now, now, null);
    }

    /// <param name="failure">What went wrong, in a few words ("HTTP 503", "No answer within 10 s.").</param>
    internal void DeliveryFailed(string failure, WebhookRetryPolicy policy, DateTimeOffset now)
    {
        ConsecutiveFailures++;
        (LastFailedAt, LeasedUntil) = (now, null);
        NextAttemptAt = now + policy.DelayAfter(ConsecutiveFailures);
        if (Status == WebhookSubscriptionStatus.Active && ConsecutiveFailures >= policy.PauseAfterFailures)
        {
            var reason = $"Paused after {ConsecutiveFailures} failed deliveries in a row; the last: {failure}";
            PauseBecause(reason.Length > MaxPausedReason ? reason[..MaxPausedReason] : reason, now);
        }
    }

    /// <summary>The sender gives its claim back without having delivered anything (nothing was waiting, or it stopped).</summary>
    internal void Released() => LeasedUntil = null;

    private void PauseBecause(string reason, DateTimeOffset now) => (Status, PausedAt, PausedReason) = (WebhookSubscriptionStatus.Paused, now, reason);

    private static string NewSecret() => SecretPrefix + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> subscription)
    {
        subscription.ToTable("webhook_subscriptions");
        subscription.HasKey(s => s.Id);
        // A school's subscriptions; an address once per school, also when two subscribe it at once.
        subscription.HasIndex(s => new { s.SchoolId, s.Url }).IsUnique();
        // The sender's claim looks for active subscriptions that are due.
        subscription.HasIndex(s => s.NextAttemptAt).HasFilter("status = 'Active'");
        // The sender's sweep of rotated-out secrets past their overlap.
        subscription.HasIndex(s => s.PreviousSecretExpiresAt).HasFilter("previous_secret IS NOT NULL");
        subscription.HasOne<Register.School>().WithMany().HasForeignKey(s => s.SchoolId).OnDelete(DeleteBehavior.Cascade);
    }
}
