using System.Collections;
using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mep.ServiceDefaults.Validation;

/// <summary>
/// The fields of a request record with the limits it declares on them: the standard DataAnnotations attributes
/// (<see cref="RequiredAttribute"/>, <see cref="MaxLengthAttribute"/>, <see cref="LengthAttribute"/>, <see cref="RangeAttribute"/>,
/// <see cref="RegularExpressionAttribute"/>) and the platform's <see cref="OneOfAttribute"/>, <see cref="MoneyAttribute"/> and
/// <see cref="ItemsAttribute"/>, on the positional parameter or the property. One declaration, two readers:
/// <see cref="DeclaredRules"/> checks a request against it and the OpenAPI generator describes it, so the limit a client reads is
/// the limit the service holds it to.
/// </summary>
public static class DeclaredFields
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<DeclaredField>> Cache = new();

    /// <summary>The readable properties of <paramref name="type"/> as the JSON reader names them (camelCase), each with its declarations.</summary>
    public static IReadOnlyList<DeclaredField> Of(Type type) => Cache.GetOrAdd(type, Read);

    /// <summary>The field of <paramref name="type"/> whose property is called <paramref name="propertyName"/>, if it is one.</summary>
    public static DeclaredField? Find(Type type, string propertyName) =>
        Of(type).FirstOrDefault(field => string.Equals(field.Property.Name, propertyName, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether values of <paramref name="type"/> are objects whose own fields are declared (our records), not values.</summary>
    public static bool IsRecord(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type)
        && type.Namespace?.StartsWith("Mep.", StringComparison.Ordinal) == true;

    /// <summary>The element type of a list (arrays, <see cref="IReadOnlyList{T}"/>, ...), or null for anything else (strings included).</summary>
    public static Type? ElementOf(Type type)
    {
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type) || IsDictionary(type))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.IsGenericType && type.GetGenericArguments() is [var element] ? element : null;
    }

    private static bool IsDictionary(Type type) =>
        type.IsGenericType && type.GetInterfaces().Append(type).Any(i => i.IsGenericType
            && (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)));

    private static IReadOnlyList<DeclaredField> Read(Type type)
    {
        // Positional records carry their attributes on the constructor's parameters (where C# puts them by default).
        var parameters = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()?.GetParameters() ?? [];
        return
        [
            .. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(property => property.GetIndexParameters().Length == 0 && property.GetCustomAttribute<JsonIgnoreAttribute>() is null)
                .Select(property =>
                {
                    var parameter = parameters.FirstOrDefault(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase));
                    var attributes = property.GetCustomAttributes(inherit: true).OfType<Attribute>()
                        .Concat(parameter?.GetCustomAttributes(inherit: true).OfType<Attribute>() ?? []).ToList();
                    var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                    return new DeclaredField(name, property, parameter, attributes);
                }),
        ];
    }
}

/// <summary>One field of a request record: its JSON name, property, positional parameter (if any) and declared limits.</summary>
public sealed record DeclaredField(string JsonName, PropertyInfo Property, ParameterInfo? Parameter, IReadOnlyList<Attribute> Attributes)
{
    public Type Type => Property.PropertyType;

    /// <summary>The value type or element type without <see cref="Nullable{T}"/>.</summary>
    public Type ValueType => Nullable.GetUnderlyingType(Type) ?? Type;

    public T? Get<T>() where T : Attribute => Attributes.OfType<T>().FirstOrDefault();

    /// <summary>
    /// Whether the field holds what the JSON reader or binder set (a positional parameter or a settable property), not a value
    /// computed from others: only those are checked (a computed one may not even be computable before the check).
    /// </summary>
    public bool IsData => Parameter is not null || Property.SetMethod is { IsPublic: true };

    public bool IsRequired => Get<RequiredAttribute>() is not null;

    /// <summary>The declared (minimum, maximum) length of a text or count of a list, from MaxLength, MinLength, StringLength or Length.</summary>
    public (int? Min, int? Max) LengthLimits => DeclaredLimits.Length(Attributes);
}

/// <summary>Reads the length limits out of the attributes that can declare them.</summary>
public static class DeclaredLimits
{
    /// <summary>The largest integer every JSON reader holds exactly (2^53 - 1): the bound of counters and sequence ids.</summary>
    public const double MaxSafeInteger = 9_007_199_254_740_991;

    public static (int? Min, int? Max) Length(IEnumerable<Attribute> attributes)
    {
        int? min = null, max = null;
        foreach (var attribute in attributes)
        {
            switch (attribute)
            {
                case LengthAttribute length:
                    (min, max) = (length.MinimumLength, length.MaximumLength);
                    break;
                case StringLengthAttribute length:
                    (min, max) = (length.MinimumLength > 0 ? length.MinimumLength : min, length.MaximumLength);
                    break;
                case MaxLengthAttribute length:
                    max = length.Length;
                    break;
                case MinLengthAttribute length:
                    min = length.Length;
                    break;
            }
        }

        return (min, max);
    }
}

/// <summary>
/// A text that names one of a fixed set of values: exactly, or ignoring case (<see cref="IgnoreCase"/>) and surrounding spaces
/// (<see cref="Trim"/>) where the reader does. Refused otherwise with "Use a, b or c." (or <see cref="Message"/>); documented as an enum.
/// </summary>
public abstract class TextChoiceAttribute : Attribute
{
    public abstract IReadOnlyList<string> Values { get; }

    /// <summary>The field error for any other text, when "Use a, b or c." does not say enough.</summary>
    public string? Message { get; init; }

    public virtual bool IgnoreCase { get; init; }

    public virtual bool Trim { get; init; }

    public bool Allows(string text) =>
        Values.Contains(Trim ? text.Trim() : text, IgnoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    public string Explanation => Message ?? $"Use {string.Join(", ", Values.SkipLast(1))}{(Values.Count > 1 ? " or " : string.Empty)}{Values[^1]}.";
}

/// <summary>One of the listed texts (see <see cref="TextChoiceAttribute"/>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class OneOfAttribute(params string[] values) : TextChoiceAttribute
{
    public override IReadOnlyList<string> Values { get; } = values;
}

/// <summary>
/// The name of a member of <typeparamref name="TEnum"/> as the API spells it (camelCase), read as <c>EnumText</c> reads it: for
/// fields that take an enum as text so that a wrong value is a field error, not an unreadable body. <see cref="Except"/> leaves out
/// members a request may not name (a ticket cannot be set back to "new").
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class EnumNameAttribute<TEnum> : TextChoiceAttribute where TEnum : struct, Enum
{
    private IReadOnlyList<string>? _values;

    public string[] Except { get; init; } = [];

    /// <summary>As <c>EnumText</c> reads enum names: ignoring case and surrounding spaces.</summary>
    public override bool IgnoreCase { get => true; init { } }

    public override bool Trim { get => true; init { } }

    public override IReadOnlyList<string> Values => _values ??=
        [.. Enum.GetNames<TEnum>().Select(name => JsonNamingPolicy.CamelCase.ConvertName(name)).Where(name => !Except.Contains(name, StringComparer.Ordinal))];
}

/// <summary>
/// An amount in EUR: from 0 to <see cref="Maximum"/>, in whole cents. Refused otherwise with "An amount in EUR from 0 to ..., in whole
/// cents."; documented as a decimal number with that range and a multiple of 0.01.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class MoneyAttribute(double maximum) : Attribute
{
    public decimal Maximum { get; } = (decimal)maximum;

    /// <summary>More than 0.00 (a planned or approved amount): the smallest is one cent.</summary>
    public bool Positive { get; init; }

    public decimal Minimum => Positive ? 0.01m : 0m;

    public string Explanation => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"An amount in EUR from {Minimum:0.00} to {Maximum:0.00}, in whole cents.");

    public bool Allows(decimal amount) => amount >= Minimum && amount <= Maximum && decimal.Round(amount, 2) == amount;
}

/// <summary>
/// A decimal from <see cref="Minimum"/> to <see cref="Maximum"/> with at most <see cref="Places"/> decimal places (hours, rates,
/// shares). Refused otherwise with <see cref="Message"/>; documented as a decimal number with that range and multiple.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class DecimalRangeAttribute(double minimum, double maximum) : Attribute
{
    public decimal Minimum { get; } = (decimal)minimum;

    public decimal Maximum { get; } = (decimal)maximum;

    public int Places { get; init; } = 2;

    public string? Message { get; init; }

    public string Explanation => Message ?? string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"From {Minimum} to {Maximum}, with at most {Places} decimal places.");

    public bool Allows(decimal value) => value >= Minimum && value <= Maximum && decimal.Round(value, Places) == value;
}

/// <summary>Limits on each text of a list of texts: its length and, optionally, a pattern it must match.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class ItemsAttribute : Attribute
{
    /// <summary>The longest text an item may be (after trimming).</summary>
    public int MaxLength { get; init; }

    /// <summary>A regular expression each item must match, with <see cref="PatternExplanation"/> as the message otherwise.</summary>
    public string? Pattern { get; init; }

    public string? PatternExplanation { get; init; }
}
