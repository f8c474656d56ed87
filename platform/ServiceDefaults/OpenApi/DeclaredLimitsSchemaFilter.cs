using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Mep.ServiceDefaults.Validation;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Mep.ServiceDefaults.OpenApi;

/// <summary>
/// Describes each field with the limits its record declares (<see cref="DeclaredFields"/>: the same attributes the request
/// validation checks) and each value with what its type already bounds: a uuid is 36 characters, a day 10, an int32 cannot
/// leave its range, money is a decimal (generated clients must not read it into a float).
/// </summary>
internal sealed class DeclaredLimitsSchemaFilter : ISchemaFilter
{
    /// <summary>"2026-12-06T12:34:56.1234567+01:00" is 33 characters; the JSON reader refuses a date and time longer than 42.</summary>
    private const int MaxInstantLength = 42;

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema concrete)
        {
            return;
        }

        if (Declarations(context) is { } declared)
        {
            ApplyDeclarations(concrete, declared.Attributes, declared.Type);
        }

        if (context.MemberInfo is PropertyInfo member && NeverNull(member))
        {
            concrete.Type &= ~JsonSchemaType.Null;
        }

        ApplyTypeFacts(concrete, Nullable.GetUnderlyingType(context.Type) ?? context.Type);
        if (concrete.Properties is { Count: > 0 } && DeclaredFields.IsRecord(context.Type))
        {
            MarkRequired(concrete, context.Type);
            MarkComputed(concrete, context.Type);
            MarkNullableReferences(concrete, context.Type);
        }
    }

    /// <summary>
    /// A field that may be null but whose type is a schema of its own (a rule, a record, an enum) is written as a bare reference, which
    /// says "never null" to a generated client: it would refuse a programme without a base amount. Such a field is wrapped, as a
    /// reference takes no keywords of its own: allOf the reference, nullable.
    /// </summary>
    private static void MarkNullableReferences(OpenApiSchema schema, Type type)
    {
        foreach (var field in DeclaredFields.Of(type).Where(field => !field.IsRequired && MayBeNull(field)))
        {
            if (schema.Properties!.TryGetValue(field.JsonName, out var property) && property is OpenApiSchemaReference)
            {
                schema.Properties[field.JsonName] = new OpenApiSchema { AllOf = [property], Type = JsonSchemaType.Null };
            }
        }

        static bool MayBeNull(DeclaredField field) => field.Type.IsValueType
            ? Nullable.GetUnderlyingType(field.Type) is not null
            : new NullabilityInfoContext().Create(field.Property).ReadState == NullabilityState.Nullable;
    }

    /// <summary>
    /// A property computed from the others is written in answers but never read: readOnly (wrapped around a reference, which takes
    /// no keywords of its own). A request record has none; the lint tests look for them.
    /// </summary>
    private static void MarkComputed(OpenApiSchema schema, Type type)
    {
        foreach (var field in DeclaredFields.Of(type).Where(field => !field.IsData))
        {
            if (schema.Properties!.TryGetValue(field.JsonName, out var property))
            {
                schema.Properties[field.JsonName] = property switch
                {
                    OpenApiSchema inline => Mark(inline),
                    _ => new OpenApiSchema { AllOf = [property], ReadOnly = true },
                };
            }
        }

        static OpenApiSchema Mark(OpenApiSchema inline)
        {
            inline.ReadOnly = true;
            return inline;
        }
    }

    /// <summary>
    /// Whether the field never holds null: an answer's property of a non-nullable type (the writer writes what it holds), or a request's
    /// field the validation requires (null is refused with "Required.").
    /// </summary>
    private static bool NeverNull(PropertyInfo property)
    {
        if (property.DeclaringType is { } owner && DeclaredFields.Find(owner, property.Name) is { IsRequired: true })
        {
            return true;
        }

        return !property.PropertyType.IsValueType
            && !typeof(IValidatableRequest).IsAssignableFrom(property.DeclaringType)
            && new NullabilityInfoContext().Create(property).ReadState == NullabilityState.NotNull;
    }

    /// <summary>The declarations on the property or parameter this schema describes (a record's field, an [AsParameters] field, a handler parameter).</summary>
    private static (IReadOnlyList<Attribute> Attributes, Type Type)? Declarations(SchemaFilterContext context)
    {
        if (context.MemberInfo is PropertyInfo property && property.DeclaringType is { } owner && DeclaredFields.Find(owner, property.Name) is { } field)
        {
            return (field.Attributes, field.ValueType);
        }

        if (context.ParameterInfo is { Name: { } name } parameter)
        {
            if (parameter.Member is ConstructorInfo { DeclaringType: { } record } && DeclaredFields.Find(record, name) is { } recordField)
            {
                return (recordField.Attributes, recordField.ValueType);
            }

            return ([.. parameter.GetCustomAttributes(inherit: true).OfType<Attribute>()], Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType);
        }

        return null;
    }

    internal static void ApplyDeclarations(OpenApiSchema schema, IReadOnlyList<Attribute> attributes, Type type)
    {
        var (min, max) = DeclaredLimits.Length(attributes);
        var isList = DeclaredFields.ElementOf(type) is not null;
        if (isList)
        {
            schema.MaxItems = max ?? schema.MaxItems;
            schema.MinItems = min is > 0 ? min : schema.MinItems;
            if (attributes.OfType<ItemsAttribute>().FirstOrDefault() is { } each && schema.Items is OpenApiSchema items)
            {
                items.MaxLength = each.MaxLength > 0 ? each.MaxLength : items.MaxLength;
                items.MinLength = 1;
                items.Pattern = each.Pattern ?? items.Pattern;
            }
        }
        else if (type == typeof(string))
        {
            schema.MaxLength = max ?? schema.MaxLength;
            schema.MinLength = min is > 0 ? min : schema.MinLength;
        }

        foreach (var attribute in attributes)
        {
            switch (attribute)
            {
                case RangeAttribute range:
                    schema.Minimum = Number(range.Minimum);
                    schema.Maximum = Number(range.Maximum);
                    break;
                case MoneyAttribute money:
                    schema.Format = "decimal";
                    schema.Minimum = money.Minimum.ToString(CultureInfo.InvariantCulture);
                    schema.Maximum = money.Maximum.ToString(CultureInfo.InvariantCulture);
                    schema.MultipleOf = 0.01m;
                    break;
                case DecimalRangeAttribute range:
                    schema.Format = "decimal";
                    schema.Minimum = range.Minimum.ToString(CultureInfo.InvariantCulture);
                    schema.Maximum = range.Maximum.ToString(CultureInfo.InvariantCulture);
                    schema.MultipleOf = decimal.One / (decimal)Math.Pow(10, range.Places);
                    break;
                case RegularExpressionAttribute pattern:
                    schema.Pattern = pattern.Pattern;
                    break;
                case TextChoiceAttribute oneOf:
                    schema.Enum = [.. oneOf.Values.Select(value => (JsonNode)JsonValue.Create(value))];
                    break;
            }
        }
    }

    private static void ApplyTypeFacts(OpenApiSchema schema, Type type)
    {
        if (type == typeof(Guid))
        {
            schema.MaxLength ??= 36;
            schema.MinLength ??= 36;
        }
        else if (type == typeof(DateOnly))
        {
            schema.MaxLength ??= 10;
        }
        else if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
        {
            schema.MaxLength ??= MaxInstantLength;
        }
        else if (type == typeof(TimeOnly))
        {
            schema.MaxLength ??= 16;
        }
        else if (type == typeof(TimeSpan))
        {
            schema.MaxLength ??= 26;
        }
        else if (type == typeof(decimal))
        {
            schema.Format = "decimal";
        }
        else if (type == typeof(int) || type == typeof(short) || type == typeof(byte))
        {
            schema.Minimum ??= Number(type == typeof(int) ? int.MinValue : type == typeof(short) ? short.MinValue : byte.MinValue);
            schema.Maximum ??= Number(type == typeof(int) ? int.MaxValue : type == typeof(short) ? short.MaxValue : byte.MaxValue);
        }
        else if (type == typeof(long))
        {
            // JSON numbers beyond 2^53 lose precision in most clients (and long.MaxValue cannot even be written exactly); the
            // platform's longs are sequence ids and counters, far below.
            schema.Minimum ??= Number(-DeclaredLimits.MaxSafeInteger);
            schema.Maximum ??= Number(DeclaredLimits.MaxSafeInteger);
        }
        else if (type == typeof(uint))
        {
            schema.Minimum ??= "0";
            schema.Maximum ??= Number(uint.MaxValue);
        }
    }

    /// <summary>
    /// A request record's required fields: those declared [Required] and the non-nullable values the JSON reader insists on
    /// (<see cref="StrictJson"/>). Answers always carry every field (null where there is none), so they are marked by the
    /// document filter, which knows which schemas only answers use.
    /// </summary>
    private static void MarkRequired(OpenApiSchema schema, Type type)
    {
        foreach (var field in DeclaredFields.Of(type))
        {
            if (!schema.Properties!.ContainsKey(field.JsonName))
            {
                continue;
            }

            var readerRequires = StrictJson.ReadAsRequest(type) && field.Type.IsValueType
                && Nullable.GetUnderlyingType(field.Type) is null && field.Parameter is { HasDefaultValue: false };
            if (field.IsRequired || readerRequires)
            {
                schema.Required ??= new HashSet<string>(StringComparer.Ordinal);
                schema.Required.Add(field.JsonName);
            }
        }
    }

    /// <summary>A bound as the document writes it: integral values without exponent or fraction.</summary>
    private static string Number(object value) => value switch
    {
        double d when Math.Floor(d) == d && Math.Abs(d) <= (double)decimal.MaxValue => ((decimal)d).ToString(CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };
}
