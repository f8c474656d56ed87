using System.Text.RegularExpressions;
using Mep.ServiceDefaults.Errors;

namespace Mep.Assets.Loans;

/// <summary>
/// Pupils, teachers and guardians appear on a loan only as pseudonymous references the school keeps the key to. The shape keeps names
/// and e-mail addresses out: no spaces, no '@' or '.', and at least one digit ("P-7F3K2"), which "MaxMustermann" has not.
/// </summary>
public static partial class LoanReference
{
    public const int MaxLength = 64;

    public const string Pattern = @"^(?=[A-Za-z_\-]*[0-9])[A-Za-z0-9_\-]{4,64}$";

    public const string Rule = "4 to 64 letters, digits, '-' or '_' with at least one digit, no spaces (a pseudonymous reference, never a name or e-mail address).";

    public static bool IsValid(string? reference) => reference is not null && Shape().IsMatch(reference);

    /// <summary>The reference as stored: trimmed, upper case, so "p-7f3k2" and "P-7F3K2" are one pupil.</summary>
    public static string Normalise(string reference) => reference.Trim().ToUpperInvariant();

    internal static string Checked(string reference, string field)
    {
        var normalised = Normalise(reference);
        return IsValid(normalised)
            ? normalised
            : throw new DomainRuleException("reference-not-pseudonymous", $"{field}: {Rule}") { Field = field };
    }

    [GeneratedRegex(Pattern)]
    private static partial Regex Shape();
}
