using System.Globalization;

namespace Mep.Funding;

/// <summary>How a refusal's detail writes days and amounts: the same for every rule, whatever the server's culture.</summary>
internal static class RuleText
{
    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Eur(decimal amount) => amount.ToString("#,##0.00 EUR", CultureInfo.InvariantCulture);
}
