namespace Mep.Contracts;

/// <summary>
/// Parses an enum member by its exact name (case-insensitive). Unlike Enum.TryParse it accepts neither
/// numbers nor comma lists ("RS,GY" would otherwise OR two members into a third).
/// </summary>
public static class EnumText
{
    public static bool TryParseName<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum
    {
        var name = text?.Trim();
        var match = name is null ? null : Enum.GetNames<TEnum>().FirstOrDefault(n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
        value = match is null ? default : Enum.Parse<TEnum>(match);
        return match is not null;
    }
}
