using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Schools.Webhooks;

/// <summary>
/// One event of one school as its webhooks deliver it, kept once however many subscriptions receive it. <see cref="Body"/> is the
/// exact JSON every delivery sends and signs, so a redelivery sends the same bytes with the same <see cref="Id"/>, which a receiver
/// deduplicates on.
/// </summary>
public sealed class WebhookEvent
{
    /// <summary>Webhook JSON: camelCase, enum members by their API names, absent values left out.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private WebhookEvent()
    {
    }

    public Guid Id { get; private set; }
    public Guid SchoolId { get; private set; }
    public string Type { get; private set; } = string.Empty;
    public DateTimeOffset OccurredAt { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
    public string Body { get; private set; } = string.Empty;

    /// <param name="data">The event's facts: only what the school's own API shows it, never internal notes or pupils' data.</param>
    public static WebhookEvent Create(Guid schoolId, string type, DateTimeOffset occurredAt, object data, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        return new WebhookEvent
        {
            Id = id,
            SchoolId = schoolId,
            Type = type,
            OccurredAt = occurredAt,
            RecordedAt = now,
            Body = JsonSerializer.Serialize(new Envelope(id, type, occurredAt, schoolId, data), Json),
        };
    }

    /// <summary>What every delivery's body holds: the event's id, type and time, the school, and the type's own facts.</summary>
    private sealed record Envelope(Guid Id, string Type, DateTimeOffset OccurredAt, Guid SchoolId, object Data);
}

internal sealed class WebhookEventConfiguration : IEntityTypeConfiguration<WebhookEvent>
{
    public void Configure(EntityTypeBuilder<WebhookEvent> webhookEvent)
    {
        webhookEvent.ToTable("webhook_events");
        webhookEvent.HasKey(e => e.Id);
        // The clean-up removes what is older than the retention.
        webhookEvent.HasIndex(e => e.RecordedAt);
    }
}
