namespace Mep.Funding;

/// <summary>EUR amounts: decimal, two places, rounded commercially (half away from zero) as German public budgets round.</summary>
public static class Money
{
    public static decimal Cents(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    /// <summary>Whether an amount has at most two decimal places (a request with 0.001 EUR is refused, not rounded).</summary>
    public static bool IsWholeCents(decimal amount) => amount == Math.Round(amount, 2);
}
