using System.Text.RegularExpressions;

namespace Mep.ServiceDefaults.Validation;

/// <summary>
/// A request record: <see cref="RequestValidationFilter"/> checks the limits it declares on its fields (<see cref="DeclaredFields"/>)
/// and then runs <see cref="Validate"/> for the rules no declaration can state, before the handler. The JSON reader requires its
/// non-nullable values (<see cref="StrictJson"/>).
/// </summary>
public interface IValidatableRequest
{
    /// <summary>Rules beyond the declared limits: fields that depend on each other, values that must parse. Nothing by default.</summary>
    void Validate(ValidationErrors errors)
    {
    }
}

/// <summary>
/// A record a request holds (a model's definition, a scenario's ratios): the JSON reader requires its non-nullable values as it does a
/// request record's (<see cref="StrictJson"/>), so that a number left out or sent as null is a 400 naming it ("Required."), never a
/// silent 0. Records that are only ever written (answers) or stored have no need of it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1040:Avoid empty interfaces", Justification = "A marker the JSON reader and the OpenAPI document read.")]
public interface IRequestPart;

/// <summary>Field errors keyed by the field's camelCase JSON path ("address.postalCode").</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    /// <summary>Checks a required text: present, not blank, at most <paramref name="maxLength"/> characters.</summary>
    public bool Text(string field, string? value, int maxLength, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Add(field, "Required.");
            }

            return !required && value is null;
        }

        if (value.Trim().Length > maxLength)
        {
            Add(field, $"At most {maxLength} characters.");
            return false;
        }

        if (ControlCharacters.In(value))
        {
            Add(field, "Control characters (line breaks, tabs, NUL) are not allowed.");
            return false;
        }

        return true;
    }

    public bool Matches(string field, string? value, Regex pattern, string explanation)
    {
        if (value is null || pattern.IsMatch(value.Trim()))
        {
            return true;
        }

        Add(field, explanation);
        return false;
    }

    public bool Required<T>(string field, T? value) where T : struct
    {
        if (value is null)
        {
            Add(field, "Required.");
            return false;
        }

        return true;
    }

    public bool Required(string field, object? value)
    {
        if (value is null)
        {
            Add(field, "Required.");
            return false;
        }

        return true;
    }

    /// <summary>Refuses list elements sent as null (<c>"groups": [null]</c>) by their index; true if there was one.</summary>
    public bool NullElements<T>(string field, IReadOnlyList<T?> items) where T : class
    {
        var found = false;
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is null)
            {
                Add($"{field}[{i}]", "Required: not null.");
                found = true;
            }
        }

        return found;
    }

    public bool Range(string field, int? value, int min, int max)
    {
        if (value is null || (value >= min && value <= max))
        {
            return true;
        }

        Add(field, $"Must be between {min} and {max}.");
        return false;
    }

    /// <summary>An amount in EUR: not negative, at most <paramref name="max"/>, whole cents.</summary>
    public bool Money(string field, decimal? value, decimal max)
    {
        if (value is null)
        {
            return true;
        }

        if (value < 0 || value > max || decimal.Round(value.Value, 2) != value)
        {
            Add(field, $"An amount in EUR from 0 to {max:0.00}, in whole cents.");
            return false;
        }

        return true;
    }

    public IDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
}
