namespace Mep.ServiceDefaults.Data;

/// <summary>Patterns for (I)LIKE from a user's search text, which must match literally: its %, _ and \ are escaped (escape character \).</summary>
public static class LikePatterns
{
    public const string EscapeCharacter = "\\";

    /// <summary>Matches any text that contains <paramref name="term"/>.</summary>
    public static string Containing(string term) => "%" + Literal(term) + "%";

    /// <summary>Matches <paramref name="term"/> itself, nothing more (with ILIKE: whatever its case).</summary>
    public static string Literal(string term) =>
        term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
