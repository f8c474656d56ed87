using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mep.ServiceDefaults.Validation;

public static class StrictJson
{
    /// <summary>The JSON depth a request may have; our payloads are flat, and deep nesting is an attack, not data.</summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// JSON the way the API promises it: unknown or read-only fields are refused rather than ignored,
    /// numbers are numbers (not "12"), enums are their names (not integers), a field may appear once.
    /// </summary>
    public static IServiceCollection AddStrictJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(options => Apply(options.SerializerOptions));

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
}
