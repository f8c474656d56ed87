using System.Text.Json.Nodes;

namespace Mep.OutsideIn.Tests;

/// <summary>
/// Values that exist on the platform, for inputs the document does not describe well enough to make one: identifiers the suite
/// made (by the name a field or parameter gives them), and what the service's own answers showed (by field name, and by its parent
/// object's name and field name: "mepStandard.status" is "none", "kind" of a device "tablet"). An attack then changes one thing of a
/// request the service would otherwise accept, and reaches the code behind its validation.
/// </summary>
public sealed class Known(IReadOnlyDictionary<string, string> ids)
{
    private readonly Dictionary<string, JsonNode> _seen = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, string> Ids { get; } = ids;

    /// <summary>Remembers the first value of every field of an answer (at any depth; first elements of arrays).</summary>
    public void Learn(JsonNode? answer, string? parent = null, int depth = 0)
    {
        switch (answer)
        {
            case JsonObject o when depth < 6:
                foreach (var (name, value) in o)
                {
                    if (value is JsonValue && value.GetValueKind() != System.Text.Json.JsonValueKind.Null)
                    {
                        _seen.TryAdd(name, value.DeepClone());
                        if (parent is not null)
                        {
                            _seen.TryAdd($"{parent}.{name}", value.DeepClone());
                        }
                    }
                    else
                    {
                        Learn(value, name, depth + 1);
                    }
                }

                break;
            case JsonArray a when depth < 6:
                foreach (var item in a.Take(3))
                {
                    Learn(item, parent, depth + 1);
                }

                break;
        }
    }

    /// <summary>A value seen for the field, the most specific first (an identifier the suite made beats one seen in an answer).</summary>
    public JsonNode? For(string? parent, string name)
    {
        if (Ids.TryGetValue(name, out var id))
        {
            return JsonValue.Create(id);
        }

        if (parent is not null && _seen.TryGetValue($"{parent}.{name}", out var specific))
        {
            return specific.DeepClone();
        }

        return _seen.TryGetValue(name, out var value) ? value.DeepClone() : null;
    }
}
