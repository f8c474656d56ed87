using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Mep.ServiceDefaults.Validation;

public static class StrictJson
{
    /// <summary>The JSON depth a request may have; our payloads are flat, and deep nesting is an attack, not data.</summary>
    public const int MaxDepth = 32;

    /// <summary>The message of the <see cref="JsonException"/> for a null where a request record needs a value; answered as "Required.".</summary>
    public const string NullForRequiredValue = "A value is required here, not null.";

    /// <summary>The message of the <see cref="JsonException"/> for a value sent for a request record's computed property; answered as an unknown field.</summary>
    public const string ComputedField = "A computed property of the request, not a field a caller sends.";

    /// <summary>The message of the <see cref="JsonException"/> for a control character in a text; answered as a field error.</summary>
    public const string ControlCharacterInText = "Control characters other than tab and line breaks are not allowed in text.";

    /// <summary>
    /// JSON the way the API promises it: unknown or read-only fields are refused rather than ignored,
    /// numbers are numbers (not "12"), enums are their names (not integers), a field may appear once;
    /// and a request record's value that cannot be absent is sent (see <see cref="RequireValues"/>).
    /// </summary>
    public static IServiceCollection AddStrictJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(options =>
        {
            Apply(options.SerializerOptions);
            options.SerializerOptions.Converters.Add(new TextWithoutControlCharacters());
            var resolver = options.SerializerOptions.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver();
            options.SerializerOptions.TypeInfoResolver = resolver.WithAddedModifier(RequireValues).WithAddedModifier(RefuseComputedFields);
        });

    public static void Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.AllowDuplicateProperties = false;
        options.MaxDepth = MaxDepth;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
    }

    /// <summary>
    /// In a request record, a field of a non-nullable value type without a default (<c>decimal Amount</c>) is required: missing, it
    /// would silently be 0 (or 0001-01-01, or an empty id), and a record that declares it nullable only to check it in Validate
    /// crashes in its handler the day Validate forgets to. So the type says "required" and the reader holds every record to it:
    /// missing or null is a 400 validation problem naming the field, before any handler runs. Only request records
    /// (<see cref="IValidatableRequest"/>) and the records they hold (<see cref="IRequestPart"/>): stored definitions and events keep
    /// their own rules.
    /// </summary>
    private static void RequireValues(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object || !ReadAsRequest(type.Type))
        {
            return;
        }

        foreach (var property in type.Properties)
        {
            var valueType = property.PropertyType;
            if (!valueType.IsValueType || Nullable.GetUnderlyingType(valueType) is not null
                || property.AssociatedParameter is not { HasDefaultValue: false })
            {
                continue;
            }

            property.IsRequired = true;
            property.CustomConverter = (JsonConverter)Activator.CreateInstance(
                typeof(NotNullValue<>).MakeGenericType(valueType), type.Options.GetConverter(valueType))!;
        }
    }

    /// <summary>Whether the reader holds <paramref name="type"/> to a request's rules: a request record or a record one holds.</summary>
    public static bool ReadAsRequest(Type type) => typeof(IValidatableRequest).IsAssignableFrom(type) || typeof(IRequestPart).IsAssignableFrom(type);

    /// <summary>
    /// A request record's get-only property (ParsedImpact, NormalisedSerial: the service's reading of the fields a caller sends) is
    /// in the record's contract, so the reader does not count it as unknown; having no setter, it skips a value sent for it without a
    /// word. Such a value is refused like an unknown field, as the API promises ("unknown or read-only fields are refused").
    /// </summary>
    private static void RefuseComputedFields(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object || !typeof(IValidatableRequest).IsAssignableFrom(type.Type))
        {
            return;
        }

        foreach (var property in type.Properties.Where(p => p.Set is null && p.AssociatedParameter is null))
        {
            // Refused while its value is read, where the reader still knows the path that names it; the setter is never reached.
            property.CustomConverter = (JsonConverter)Activator.CreateInstance(typeof(RefusedValue<>).MakeGenericType(property.PropertyType))!;
            property.Set = static (_, _) => throw new JsonException(ComputedField);
        }
    }

    /// <summary>Refuses any value with <see cref="ComputedField"/>; writes as the type's own converter does.</summary>
    private sealed class RefusedValue<T> : JsonConverter<T>
    {
        public override bool HandleNull => true;

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new JsonException(ComputedField);

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => JsonSerializer.Serialize(writer, value, options);
    }

    /// <summary>
    /// Every string of a request body, at any depth: tab, CR and LF may stand in free text where a field allows them; any other
    /// control character is refused while reading, so that no handler, validator or query ever holds one (PostgreSQL cannot
    /// store NUL and answers 22021). Fields with stricter rules (names, one-line texts) refuse the rest in their Validate.
    /// </summary>
    private sealed class TextWithoutControlCharacters : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? null : Checked(reader.GetString()!);

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

        public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Checked(reader.GetString()!);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            writer.WritePropertyName(value);

        private static string Checked(string text) =>
            ControlCharacters.OtherThanTabAndLineBreaksIn(text) ? throw new JsonException(ControlCharacterInText) : text;
    }

    /// <summary>Reads a value as its own converter does, but refuses null with <see cref="NullForRequiredValue"/> (not a type error).</summary>
    private sealed class NotNullValue<T>(JsonConverter<T> converter) : JsonConverter<T>
    {
        public override bool HandleNull => true;

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null
                ? throw new JsonException(NullForRequiredValue)
                : converter.Read(ref reader, typeToConvert, options)!;

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => converter.Write(writer, value, options);
    }
}
