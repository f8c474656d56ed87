namespace Mep.Exports;

/// <summary>
/// The German names of an enum's members as exports write them ("in Reparatur" for InRepair), one per member and each distinct,
/// so that an import reads a name back to its member.
/// </summary>
public sealed class GermanNames<TEnum> where TEnum : struct, Enum
{
    private readonly Dictionary<TEnum, string> _names;
    private readonly Dictionary<string, TEnum> _members;

    /// <exception cref="ArgumentException">A member has no name, or two members have the same one.</exception>
    public GermanNames(Dictionary<TEnum, string> names)
    {
        var missing = Enum.GetValues<TEnum>().Where(member => !names.ContainsKey(member)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"No German name for {typeof(TEnum).Name}.{string.Join(", ", missing)}.", nameof(names));
        }

        _names = names;
        _members = new Dictionary<string, TEnum>(StringComparer.OrdinalIgnoreCase);
        foreach (var (member, name) in names)
        {
            if (!_members.TryAdd(name, member))
            {
                throw new ArgumentException($"Two members of {typeof(TEnum).Name} are called \"{name}\".", nameof(names));
            }
        }
    }

    public string this[TEnum member] => _names[member];

    /// <summary>The member a German name (any case, trimmed) stands for.</summary>
    public bool TryRead(string text, out TEnum member) => _members.TryGetValue(text.Trim(), out member);
}

/// <summary>"ja" and "nein", as German Excel users write yes and no.</summary>
internal static class GermanYesNo
{
    public const string Yes = "ja";
    public const string No = "nein";

    public static string Of(bool value) => value ? Yes : No;
}
