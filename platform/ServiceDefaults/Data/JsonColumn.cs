using System.Text.Json;
using Mep.ServiceDefaults.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Mep.ServiceDefaults.Data;

/// <summary>
/// Definitions and rules (staffing models, scenarios, programme rules, cost-table inputs) are stored in jsonb as the API shows them:
/// camelCase, enums by name, unknown fields refused. Someone reading the table sees what was sent, and a migration's seeded rows are
/// written in that same form.
/// </summary>
public static class JsonColumn
{
    public static readonly JsonSerializerOptions Options = Create();

    public static ValueConverter<T, string> Converter<T>() where T : class => new(
        value => JsonSerializer.Serialize(value, Options),
        json => JsonSerializer.Deserialize<T>(json, Options)!);

    /// <summary>Maps the property to a jsonb column in this form (with a comparer where the type has no value equality of its own).</summary>
    public static PropertyBuilder<T> IsJsonColumn<T>(this PropertyBuilder<T> property, ValueComparer<T>? comparer = null) where T : class =>
        property.HasColumnType("jsonb").HasConversion(Converter<T>(), comparer);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions();
        StrictJson.Apply(options);
        return options;
    }
}
