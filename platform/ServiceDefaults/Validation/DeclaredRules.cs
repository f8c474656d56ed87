using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Mep.ServiceDefaults.Validation;

/// <summary>
/// Checks a request against the limits its record declares (<see cref="DeclaredFields"/>), with the platform's field messages:
/// "Required.", "At most 200 characters.", "Must be between 1 and 50.", ... A nested record is checked under its field's path
/// ("address.street"), a list's records under their index ("rules[2].group"). What no attribute can say (one field depending on
/// another, a value that must exist) stays in the record's <see cref="IValidatableRequest.Validate"/>.
/// </summary>
public static class DeclaredRules
{
    public const string RequiredMessage = "Required.";
    public const string NullElementMessage = "Required: not null.";
    public const string ControlCharacterMessage = "Control characters (line breaks, tabs, NUL) are not allowed.";

    public static string TooLong(int maxLength) => $"At most {maxLength} characters.";

    public static string OutOfRange(object minimum, object maximum) =>
        string.Create(CultureInfo.InvariantCulture, $"Must be between {minimum} and {maximum}.");

    /// <summary>Checks every declared field of <paramref name="request"/> (and of the records it holds) into <paramref name="errors"/>.</summary>
    public static void Check(object request, ValidationErrors errors, string prefix = "")
    {
        foreach (var field in DeclaredFields.Of(request.GetType()).Where(field => field.IsData))
        {
            Check(field, field.Property.GetValue(request), errors, prefix + field.JsonName);
        }
    }

    /// <summary>Checks one value against the declarations <paramref name="attributes"/> (a handler's own parameter, say).</summary>
    public static void Check(IReadOnlyList<Attribute> attributes, Type type, object? value, ValidationErrors errors, string path) =>
        CheckValue(attributes, Nullable.GetUnderlyingType(type) ?? type, value, errors, path);

    private static void Check(DeclaredField field, object? value, ValidationErrors errors, string path) =>
        CheckValue(field.Attributes, field.ValueType, value, errors, path);

    private static void CheckValue(IReadOnlyList<Attribute> attributes, Type type, object? value, ValidationErrors errors, string path)
    {
        var required = attributes.OfType<RequiredAttribute>().Any();
        switch (value)
        {
            case null:
                if (attributes.OfType<RequiredAttribute>().FirstOrDefault() is { } requiredAttribute)
                {
                    errors.Add(path, requiredAttribute.ErrorMessage ?? RequiredMessage);
                }

                return;
            case string text:
                CheckText(attributes, text, required, errors, path);
                return;
            case decimal amount when attributes.OfType<MoneyAttribute>().FirstOrDefault() is { } money:
                if (!money.Allows(amount))
                {
                    errors.Add(path, money.Explanation);
                }

                return;
            case decimal inRange when attributes.OfType<DecimalRangeAttribute>().FirstOrDefault() is { } decimals:
                if (!decimals.Allows(inRange))
                {
                    errors.Add(path, decimals.Explanation);
                }

                return;
        }

        if (attributes.OfType<RangeAttribute>().FirstOrDefault() is { } bounds && value is IConvertible number && !InRange(bounds, number))
        {
            errors.Add(path, bounds.ErrorMessage ?? OutOfRange(bounds.Minimum, bounds.Maximum));
            return;
        }

        if (value is IEnumerable items && DeclaredFields.ElementOf(type) is { } element)
        {
            CheckList(attributes, element, [.. items.Cast<object?>()], errors, path);
            return;
        }

        if (DeclaredFields.IsRecord(type))
        {
            Check(value, errors, path + ".");
        }
    }

    /// <summary>As the platform always checked texts: blank counts as missing, the length is counted without surrounding spaces, no control characters.</summary>
    private static void CheckText(IReadOnlyList<Attribute> attributes, string text, bool required, ValidationErrors errors, string path)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors.Add(path, RequiredMessage);
            }

            return;
        }

        var (_, maxLength) = DeclaredLimits.Length(attributes);
        if (maxLength is { } max && text.Trim().Length > max)
        {
            errors.Add(path, TooLong(max));
            return;
        }

        if (maxLength is not null && text.Any(char.IsControl))
        {
            errors.Add(path, ControlCharacterMessage);
            return;
        }

        if (attributes.OfType<TextChoiceAttribute>().FirstOrDefault() is { } oneOf && !oneOf.Allows(text))
        {
            errors.Add(path, oneOf.Explanation);
            return;
        }

        if (attributes.OfType<RegularExpressionAttribute>().FirstOrDefault() is { } pattern && !Regex.IsMatch(text.Trim(), pattern.Pattern))
        {
            errors.Add(path, pattern.ErrorMessage ?? $"Does not have the expected form ({pattern.Pattern}).");
        }
    }

    private static void CheckList(IReadOnlyList<Attribute> attributes, Type element, IReadOnlyList<object?> items, ValidationErrors errors, string path)
    {
        var (min, max) = DeclaredLimits.Length(attributes);
        if ((min is { } fewest && items.Count < fewest) || (max is { } most && items.Count > most))
        {
            var message = attributes.OfType<ValidationAttribute>().FirstOrDefault(a => a is LengthAttribute or MaxLengthAttribute or MinLengthAttribute)?.ErrorMessage;
            errors.Add(path, message ?? (min is null ? $"At most {max} items." : $"{min} to {max?.ToString(CultureInfo.InvariantCulture) ?? "any number of"} items."));
            return;
        }

        var each = attributes.OfType<ItemsAttribute>().FirstOrDefault();
        for (var i = 0; i < items.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]");
            switch (items[i])
            {
                case null when !element.IsValueType || Nullable.GetUnderlyingType(element) is not null:
                    errors.Add(at, NullElementMessage);
                    break;
                case string text when each is not null:
                    CheckItem(each, text, errors, at);
                    break;
                case { } item when DeclaredFields.IsRecord(item.GetType()):
                    Check(item, errors, at + ".");
                    break;
            }
        }
    }

    private static void CheckItem(ItemsAttribute each, string text, ValidationErrors errors, string path)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(path, RequiredMessage);
        }
        else if (each.MaxLength > 0 && text.Trim().Length > each.MaxLength)
        {
            errors.Add(path, TooLong(each.MaxLength));
        }
        else if (text.Any(char.IsControl))
        {
            errors.Add(path, ControlCharacterMessage);
        }
        else if (each.Pattern is { } pattern && !Regex.IsMatch(text.Trim(), pattern))
        {
            errors.Add(path, each.PatternExplanation ?? $"Does not have the expected form ({pattern}).");
        }
    }

    private static bool InRange(RangeAttribute range, IConvertible number)
    {
        var value = number.ToDecimal(CultureInfo.InvariantCulture);
        var minimum = Convert.ToDecimal(range.Minimum, CultureInfo.InvariantCulture);
        var maximum = Convert.ToDecimal(range.Maximum, CultureInfo.InvariantCulture);
        return value >= minimum && value <= maximum;
    }
}
