using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Mep.TestKit;

/// <summary>Request bodies as the wire sees them (camelCase, enums by name), and responses as JSON elements.</summary>
public static class Json
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static StringContent Body(object value) => Raw(JsonSerializer.Serialize(value, Options));

    public static StringContent Raw(string json, string mediaType = "application/json") =>
        new(json, Encoding.UTF8, new MediaTypeHeaderValue(mediaType));

    /// <summary>A valid body varied: each field set to its value, or removed where the value is null.</summary>
    public static Dictionary<string, object?> With(this Dictionary<string, object?> body, IEnumerable<(string Field, object? Value)> fields)
    {
        foreach (var (field, value) in fields)
        {
            if (value is null)
            {
                body.Remove(field);
            }
            else
            {
                body[field] = value;
            }
        }

        return body;
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Expected success, got {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
