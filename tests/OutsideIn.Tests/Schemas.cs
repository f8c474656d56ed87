using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Mep.OutsideIn.Tests;

/// <summary>What the suite reads from a schema: its type, format, bounds, properties; and a value it accepts.</summary>
public static class Schemas
{
    /// <summary>The schema that describes the value: a lone allOf (how 3.0 documents attach a description to a reference) or the first of oneOf/anyOf.</summary>
    public static IOpenApiSchema Effective(IOpenApiSchema schema)
    {
        for (var depth = 0; depth < 8; depth++)
        {
            if (schema.AllOf is { Count: 1 } all && schema.Properties is not { Count: > 0 })
            {
                schema = all[0];
            }
            else if ((schema.OneOf is { Count: > 0 } ? schema.OneOf : schema.AnyOf) is { Count: > 0 } alternatives
                     && alternatives.FirstOrDefault(a => a.Type != JsonSchemaType.Null) is { } first)
            {
                schema = first;
            }
            else
            {
                break;
            }
        }

        return schema;
    }

    public static bool Is(IOpenApiSchema schema, JsonSchemaType type) => schema.Type is { } declared && (declared & type) != 0;

    public static bool IsObject(IOpenApiSchema schema) => Is(schema, JsonSchemaType.Object) || schema.Properties is { Count: > 0 };

    public static bool IsArray(IOpenApiSchema schema) => Is(schema, JsonSchemaType.Array) || schema.Items is not null;

    public static bool IsString(IOpenApiSchema schema) => Is(schema, JsonSchemaType.String);

    public static bool IsInteger(IOpenApiSchema schema) => Is(schema, JsonSchemaType.Integer);

    public static bool IsNumber(IOpenApiSchema schema) => Is(schema, JsonSchemaType.Number) && !IsInteger(schema);

    public static bool IsBoolean(IOpenApiSchema schema) => Is(schema, JsonSchemaType.Boolean);

    public static bool IsNullable(IOpenApiSchema schema) => Is(schema, JsonSchemaType.Null);

    public static bool HasEnum(IOpenApiSchema schema) => schema.Enum is { Count: > 0 };

    public static string? Format(IOpenApiSchema schema) => schema.Format;

    public static bool IsUuid(IOpenApiSchema schema) => IsString(schema) && Format(schema) == "uuid";

    public static bool IsDate(IOpenApiSchema schema) => IsString(schema) && Format(schema) is "date" or "date-time";

    public static decimal? Minimum(IOpenApiSchema schema) => Number(schema.Minimum);

    public static decimal? Maximum(IOpenApiSchema schema) => Number(schema.Maximum);

    private static decimal? Number(object? bound) =>
        decimal.TryParse(Convert.ToString(bound, CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    public static IEnumerable<(string Name, IOpenApiSchema Schema, bool Required)> Properties(IOpenApiSchema schema)
    {
        var effective = Effective(schema);
        var required = effective.Required ?? new HashSet<string>();
        foreach (var (name, property) in effective.Properties ?? new Dictionary<string, IOpenApiSchema>())
        {
            yield return (name, property, required.Contains(name));
        }
    }

    /// <summary>
    /// A value the schema allows, from what it declares (example, default, a text enum, format, bounds); where it declares too little
    /// (a text without enum, an enum of integers where the wire takes names), a value the platform showed for a field of that name.
    /// </summary>
    public static JsonNode? Valid(IOpenApiSchema? schema, string name, Known known, string? parent = null, int depth = 0)
    {
        if (schema is null)
        {
            return known.For(parent, name) ?? JsonValue.Create("x");
        }

        var s = Effective(schema);
        if (s.Example is { } example)
        {
            return example.DeepClone();
        }

        if (s.Default is { } fallback && fallback.GetValueKind() != System.Text.Json.JsonValueKind.Null)
        {
            return fallback.DeepClone();
        }

        var declared = s.Enum?.FirstOrDefault(v => v is not null && v.GetValueKind() != System.Text.Json.JsonValueKind.Null);
        if (declared is not null && declared.GetValueKind() == System.Text.Json.JsonValueKind.String)
        {
            return declared.DeepClone();
        }

        if (!IsObject(s) && !IsArray(s) && known.For(parent, name) is JsonValue seen
            && (declared is not null || IsString(s) || seen.GetValueKind() is System.Text.Json.JsonValueKind.Number
                or System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
        {
            return seen;
        }

        if (declared is not null)
        {
            return declared.DeepClone();
        }

        if (IsObject(s))
        {
            var result = new JsonObject();
            if (depth > 4)
            {
                return result;
            }

            foreach (var (property, propertySchema, required) in Properties(s))
            {
                var effective = Effective(propertySchema);
                if (effective.ReadOnly)
                {
                    continue;
                }

                // A nullable plain text nobody requires and nobody showed is left out: "x" there is more often wrong than helpful.
                var unknownOptionalText = !required && IsNullable(effective) && IsString(effective) && !HasEnum(effective) && Format(effective) is null
                    && known.For(name, property) is null;
                if (!unknownOptionalText)
                {
                    result[property] = Valid(propertySchema, property, known, name, depth + 1);
                }
            }

            return result;
        }

        if (IsArray(s))
        {
            var items = new JsonArray();
            for (var i = 0; i < Math.Max(1, s.MinItems ?? 1); i++)
            {
                items.Add(Valid(s.Items, name, known, parent, depth + 1));
            }

            return items;
        }

        if (IsBoolean(s))
        {
            return JsonValue.Create(false);
        }

        if (IsInteger(s))
        {
            var value = name.Contains("year", StringComparison.OrdinalIgnoreCase) ? 2025m : 1m;
            return JsonValue.Create((long)Clamp(value, s));
        }

        if (IsNumber(s))
        {
            return JsonValue.Create(Clamp(1.00m, s));
        }

        return JsonValue.Create(Format(s) switch
        {
            "uuid" => Guid.NewGuid().ToString(),
            "date" => "2025-03-03",
            "date-time" => "2025-03-03T08:00:00+00:00",
            "time" => "08:00:00",
            "email" => "it@school.example",
            "uri" => "https://school.example/",
            _ => new string('x', Math.Max(1, s.MinLength ?? 1)),
        });
    }

    private static decimal Clamp(decimal value, IOpenApiSchema s) =>
        Math.Min(Math.Max(value, Minimum(s) ?? decimal.MinValue), Maximum(s) ?? decimal.MaxValue);
}
