using Mep.ServiceDefaults.Errors;

namespace Mep.ServiceDefaults.Domain;

/// <summary>
/// The days a calculation may be fed: business calendars, validity periods of rules and models, scenarios and funding dates. A
/// date far outside the platform's working life (0001-01-01 as a holiday's first day) is a typing or tooling error, never data, and
/// calculations that walk from one such date to another either take unbounded time or find nothing: one accepted write then broke
/// every later one. The same years as everywhere else (scenarios, subsidy years, pupils' school years: 2000 to 2100).
/// </summary>
public static class CalculationWindow
{
    public const string Rule = "date-outside-calculation-window";

    public static readonly DateOnly FirstDay = new(2000, 1, 1);
    public static readonly DateOnly LastDay = new(2100, 12, 31);

    /// <exception cref="DomainRuleException">A given day is outside <see cref="FirstDay"/>..<see cref="LastDay"/>.</exception>
    public static void Ensure(string field, DateOnly? day)
    {
        if (day is { } given && (given < FirstDay || given > LastDay))
        {
            throw new DomainRuleException(Rule,
                $"{field} is {given:yyyy-MM-dd}; calculations take days from {FirstDay:yyyy-MM-dd} to {LastDay:yyyy-MM-dd} only.");
        }
    }
}
