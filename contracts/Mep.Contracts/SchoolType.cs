using System.Text.Json.Serialization;

namespace Mep.Contracts;

// Events carry enum members by name, also where a serializer has no enum converter of its own (MassTransit's): the relay
// publishes the outbox's JSON as stored, and integers (older messages) are still read.
/// <summary>
/// School types in Lower Saxony. Services other than Schools need them too: Stuttgart's staffing model
/// sizes by type, the DigitalPakt per-pupil share weights by type.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<SchoolType>))]
public enum SchoolType
{
    /// <summary>Grundschule (primary).</summary>
    [JsonStringEnumMemberName("GS")] GS,

    /// <summary>Hauptschule.</summary>
    [JsonStringEnumMemberName("HS")] HS,

    /// <summary>Realschule.</summary>
    [JsonStringEnumMemberName("RS")] RS,

    /// <summary>Oberschule.</summary>
    [JsonStringEnumMemberName("OBS")] OBS,

    /// <summary>Gymnasium.</summary>
    [JsonStringEnumMemberName("GY")] GY,

    /// <summary>Integrierte Gesamtschule.</summary>
    [JsonStringEnumMemberName("IGS")] IGS,

    /// <summary>Kooperative Gesamtschule.</summary>
    [JsonStringEnumMemberName("KGS")] KGS,

    /// <summary>Förderschule (special needs); written "FöS" in the API, "FoeS" accepted in query strings.</summary>
    [JsonStringEnumMemberName("FöS")] FoeS,

    /// <summary>Berufsbildende Schule (vocational).</summary>
    [JsonStringEnumMemberName("BBS")] BBS,
}

public static class SchoolTypes
{
    /// <summary>Parses the API spelling ("GY", "FöS") and the ASCII spelling ("FoeS"), case-insensitively.</summary>
    public static bool TryParse(string? text, out SchoolType type)
    {
        return EnumText.TryParseName(text?.Replace("ö", "oe", StringComparison.OrdinalIgnoreCase), out type);
    }

    /// <summary>The API spelling of a type.</summary>
    public static string Code(this SchoolType type) => type == SchoolType.FoeS ? "FöS" : type.ToString();
}
