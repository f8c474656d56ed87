namespace Mep.Contracts;

/// <summary>
/// Parses an enum member by its exact name (case-insensitive). Unlike Enum.TryParse it accepts neither
/// numbers nor comma lists ("RS,GY" would otherwise OR two members into a third).
/// </summary>
public static class EnumText
{
    public static bool TryParseName<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum
    {
        value = default;
        var name = text?.Trim();
        return name is not null && Members<TEnum>.ByName.TryGetValue(name, out value);
    }

    /// <summary>A name the request's validation already accepted (<see cref="TryParseName{TEnum}"/>): its member.</summary>
    public static TEnum ParseName<TEnum>(string text) where TEnum : struct, Enum =>
        TryParseName<TEnum>(text, out var value) ? value : throw new ArgumentException($"Not a name of {typeof(TEnum).Name}: {text}", nameof(text));

    /// <summary>
    /// An optional name the request's validation already accepted: null when it is left out or blank, as validation counts a
    /// blank text as missing (a form's "any" choice sends <c>?state=</c>).
    /// </summary>
    public static TEnum? ParseOptionalName<TEnum>(string? text) where TEnum : struct, Enum =>
        string.IsNullOrWhiteSpace(text) ? null : ParseName<TEnum>(text);

    /// <summary>A member's name as the API and events spell it: camelCase ("BuildingWork" is "buildingWork").</summary>
    public static string CamelName<TEnum>(TEnum value) where TEnum : struct, Enum
    {
        var name = value.ToString();
        return string.Concat(name[..1].ToLowerInvariant(), name[1..]);
    }

    /// <summary>Built once per enum: batch imports parse several enum fields on every row.</summary>
    private static class Members<TEnum> where TEnum : struct, Enum
    {
        public static readonly Dictionary<string, TEnum> ByName =
            Enum.GetValues<TEnum>().ToDictionary(member => member.ToString(), StringComparer.OrdinalIgnoreCase);
    }
}
