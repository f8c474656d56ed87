using System.Text.Json;
using Mep.ServiceDefaults.Validation;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Mep.Funding.Data;

/// <summary>Rules and inputs are stored in jsonb as the API shows them (camelCase, enums by name), so the migration's programmes read like a request.</summary>
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
