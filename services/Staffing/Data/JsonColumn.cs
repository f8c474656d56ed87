using System.Text.Json;
using Mep.ServiceDefaults.Validation;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Mep.Staffing.Data;

/// <summary>
/// Definitions (models, scenarios) are stored in jsonb as the API shows them: camelCase, enums by name. A planner reading the
/// table sees what they sent, and the migration's built-in models are written in that same form.
/// </summary>
public static class JsonColumn
{
    public static readonly JsonSerializerOptions Options = Create();

    public static ValueConverter<T, string> Converter<T>() where T : class => new(
        value => JsonSerializer.Serialize(value, Options),
        json => JsonSerializer.Deserialize<T>(json, Options)!);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions();
        StrictJson.Apply(options);
        return options;
    }
}
