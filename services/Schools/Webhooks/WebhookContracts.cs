using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Mep.Contracts;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;

namespace Mep.Schools.Webhooks;

/// <summary>A new subscription: where deliveries go and which of the school's events they carry.</summary>
/// <param name="Url">An https address on the public internet (no loopback, private, link-local or metadata address; no credentials).</param>
/// <param name="EventTypes">One or more of the event types, each once (the names the pattern lists).</param>
/// <param name="Description">What receives the deliveries, for the school's own overview ("inventory software").</param>
public sealed record WebhookSubscriptionRequest(
    [Required, MaxLength(WebhookAddress.MaxLength)] string? Url,
    [Required, Length(1, WebhookSubscription.MaxEventTypes),
     Items(MaxLength = WebhookEventTypes.MaxLength, Pattern = WebhookEventTypes.Pattern, PatternExplanation = WebhookEventTypes.PatternExplanation)]
    IReadOnlyList<string>? EventTypes,
    [MaxLength(WebhookSubscription.MaxDescription)] string? Description) : IValidatableRequest;

/// <summary>A subscription as the school and admins see it: never its secret.</summary>
/// <param name="Status">active, or paused (deliveries wait until it is resumed).</param>
/// <param name="PausedReason">Why it paused: by whom, or after how many failed deliveries in a row and the last failure.</param>
/// <param name="ConsecutiveFailures">Failed attempts since the last delivered one.</param>
/// <param name="NextAttemptAt">While failing: when the next attempt goes out.</param>
/// <param name="PendingDeliveries">Deliveries waiting to go out.</param>
public sealed record WebhookSubscriptionResponse(
    Guid Id, Guid SchoolId, [MaxLength(WebhookAddress.MaxLength)] string Url, [MaxLength(WebhookSubscription.MaxEventTypes), Items(MaxLength = WebhookEventTypes.MaxLength)] IReadOnlyList<string> EventTypes,
    [MaxLength(WebhookSubscription.MaxDescription)] string? Description, [EnumName<WebhookSubscriptionStatus>] string Status, DateTimeOffset? PausedAt,
    [MaxLength(WebhookSubscription.MaxPausedReason)] string? PausedReason, [Range(0, int.MaxValue)] int ConsecutiveFailures,
    DateTimeOffset? NextAttemptAt, [Range(0, int.MaxValue)] int PendingDeliveries, DateTimeOffset? LastSucceededAt, DateTimeOffset? LastFailedAt,
    DateTimeOffset CreatedAt, [MaxLength(CallerClaims.MaxActorLength)] string CreatedBy, DateTimeOffset? SecretRotatedAt)
{
    public static WebhookSubscriptionResponse From(WebhookSubscription s, int pendingDeliveries) =>
        new(s.Id, s.SchoolId, s.Url, s.EventTypes, s.Description, EnumText.CamelName(s.Status), s.PausedAt, s.PausedReason, s.ConsecutiveFailures,
            s.ConsecutiveFailures > 0 && s.Status == WebhookSubscriptionStatus.Active ? s.NextAttemptAt : null, pendingDeliveries, s.LastSucceededAt,
            s.LastFailedAt, s.CreatedAt, s.CreatedBy, s.SecretRotatedAt);
}

/// <summary>A subscription just made, with its signing secret: shown this once, it cannot be read again (rotate it if it is lost).</summary>
public sealed record WebhookSubscriptionCreatedResponse(WebhookSubscriptionResponse Subscription,
    [MaxLength(WebhookSubscription.SecretLength)] string Secret);

/// <summary>A new signing secret, shown this once; the previous one signs beside it until <paramref name="PreviousSecretValidUntil"/>.</summary>
public sealed record WebhookSecretResponse([MaxLength(WebhookSubscription.SecretLength)] string Secret, DateTimeOffset PreviousSecretValidUntil);

/// <summary>The delivery log's filter: pending or delivered; newest first.</summary>
public sealed record WebhookDeliveryQuery(
    [EnumName<WebhookDeliveryStatus>] string? Status, [PageNumber] int? Page, [PageSize] int? PageSize) : IValidatableRequest;

/// <summary>One delivery in the log: its event, its state and its last attempt.</summary>
/// <param name="EventId">The id the receiver got as Mep-Webhook-Id (the same on every attempt and redelivery).</param>
/// <param name="Status">pending (waiting to go out, also after a failed attempt) or delivered.</param>
public sealed record WebhookDeliveryRow(
    Guid Id, Guid EventId, [MaxLength(WebhookEventTypes.MaxLength)] string EventType, DateTimeOffset OccurredAt,
    [EnumName<WebhookDeliveryStatus>] string Status, [Range(0, int.MaxValue)] int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt,
    [Range(100, 999)] int? LastStatusCode, [MaxLength(WebhookDeliveryAttempt.MaxError)] string? LastError, DateTimeOffset? DeliveredAt)
{
    public static WebhookDeliveryRow From(WebhookDelivery d, DateTimeOffset occurredAt) =>
        new(d.Id, d.EventId, d.EventType, occurredAt, EnumText.CamelName(d.Status), d.Attempts, d.CreatedAt, d.LastAttemptAt, d.LastStatusCode,
            d.LastError, d.DeliveredAt);
}

/// <summary>One delivery with every attempt and the body it sends.</summary>
/// <param name="Payload">The JSON body every attempt sends (and signs).</param>
public sealed record WebhookDeliveryResponse(WebhookDeliveryRow Delivery, JsonElement Payload,
    [MaxLength(WebhookDeliveryResponse.MaxAttemptsShown)] IReadOnlyList<WebhookAttemptResponse> AttemptLog)
{
    /// <summary>The newest attempts shown; the count of all is the delivery's <c>attempts</c>.</summary>
    public const int MaxAttemptsShown = 100;
}

/// <summary>One attempt: when, how long, the receiver's status (or why there was none) and the start of its answer.</summary>
public sealed record WebhookAttemptResponse(
    DateTimeOffset AttemptedAt, [Range(0, int.MaxValue)] int DurationMs, [Range(100, 999)] int? StatusCode, bool Succeeded,
    [MaxLength(WebhookDeliveryAttempt.MaxError)] string? Error, [MaxLength(WebhookDeliveryAttempt.MaxResponseExcerpt)] string? ResponseExcerpt)
{
    public static WebhookAttemptResponse From(WebhookDeliveryAttempt a) => new(a.AttemptedAt, a.DurationMs, a.StatusCode, a.Succeeded, a.Error, a.ResponseExcerpt);
}
