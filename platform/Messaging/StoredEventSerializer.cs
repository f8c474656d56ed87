using System.Collections.Concurrent;
using System.Net.Mime;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using MassTransit.Serialization;

namespace Mep.Messaging;

/// <summary>
/// Publishes an outbox row's JSON as the message of MassTransit's usual envelope, without making the event an object again:
/// the envelope (ids, headers, message types, addresses, host) is MassTransit's own, built from the send context as its JSON
/// serializer builds it, and only the message part is the stored text, copied as it is. A registration of 5,000 devices is
/// some 2.6 MB of JSON; reading it into objects and writing it again cost the relay more CPU than everything else it does.
/// The stored JSON is web JSON (camelCase, enums by name, amounts as numbers) where MassTransit wrote enums as numbers and
/// amounts as strings: consumers read both with MassTransit's serializer, which matches names case-insensitively, reads
/// amounts either way and reads the contracts' enums by name or number (their converters, in <c>Mep.Contracts</c>).
/// </summary>
internal sealed class StoredEventSerializer(byte[] utf8Json) : IMessageSerializer
{
    private static readonly ConcurrentDictionary<Type, object> Placeholders = new();

    public ContentType ContentType => SystemTextJsonMessageSerializer.JsonContentType;

    public MessageBody GetMessageBody<T>(SendContext<T> context) where T : class =>
        new SystemTextJsonMessageBody<T>(context, SystemTextJsonMessageSerializer.Options, new JsonMessageEnvelope(context, new StoredJson(utf8Json)));

    /// <summary>
    /// Whether the text is one JSON object, the form every event is stored in: checked before publishing, so that a damaged row
    /// waits in the outbox with its reason instead of reaching consumers. Reads the text once without building anything.
    /// </summary>
    public static bool IsJsonObject(ReadOnlySpan<byte> utf8Json, out string? error)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "The stored body is not a JSON object.";
                return false;
            }

            reader.Skip();
            if (reader.Read())
            {
                error = "The stored body has more than one JSON value.";
                return false;
            }

            error = null;
            return true;
        }
        catch (JsonException e)
        {
            error = $"{e.GetType().Name}: {e.Message}";
            return false;
        }
    }

    /// <summary>
    /// What the relay hands to <see cref="IPublishEndpoint.Publish(object, Type, IPipe{PublishContext}, CancellationToken)"/> for an
    /// event type: MassTransit routes and names the message by this type (exchange, message type URNs), while its body comes from
    /// <see cref="StoredEventSerializer"/>, so the object's fields are never read. One per type, made without a constructor.
    /// </summary>
    public static object Placeholder(Type eventType) => Placeholders.GetOrAdd(eventType, static type => RuntimeHelpers.GetUninitializedObject(type));

    /// <summary>Already valid JSON (<see cref="IsJsonObject"/>), written into the envelope unchanged.</summary>
    [JsonConverter(typeof(Converter))]
    private sealed class StoredJson(byte[] utf8Json)
    {
        private sealed class Converter : JsonConverter<StoredJson>
        {
            public override StoredJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
                throw new NotSupportedException("Stored events are only written.");

            public override void Write(Utf8JsonWriter writer, StoredJson value, JsonSerializerOptions options) =>
                writer.WriteRawValue(value.Utf8Json, skipInputValidation: true);
        }

        private byte[] Utf8Json { get; } = utf8Json;
    }
}
