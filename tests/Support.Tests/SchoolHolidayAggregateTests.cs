using Mep.ServiceDefaults.Domain;
using Mep.ServiceDefaults.Errors;
using Mep.Support.Sla;

namespace Mep.Support.Tests;

/// <summary>A school holiday period, on the domain type alone: no database, no HTTP (the API tests cover the way there).</summary>
public sealed class SchoolHolidayAggregateTests
{
    private static readonly DateOnly SummerStart = new(2026, 7, 2);

    [Fact]
    public void A_holiday_period_runs_from_its_first_to_its_last_day()
    {
        var holiday = SchoolHoliday.Create("Sommerferien", SummerStart, new DateOnly(2026, 8, 12));

        Assert.Equal(("Sommerferien", SummerStart, new DateOnly(2026, 8, 12)), (holiday.Name, holiday.FirstDay, holiday.LastDay));
    }

    [Fact]
    public void A_one_day_holiday_is_a_period()
    {
        Assert.Equal(SummerStart, SchoolHoliday.Create("Brückentag", SummerStart, SummerStart).LastDay);
    }

    [Fact]
    public void A_period_as_long_as_the_longest_holidays_is_taken()
    {
        Assert.Equal(SummerStart.AddDays(SchoolHoliday.MaxDays - 1), SchoolHoliday.Create("Sommerferien", SummerStart, SummerStart.AddDays(SchoolHoliday.MaxDays - 1)).LastDay);
    }

    [Fact]
    public void A_period_longer_than_the_longest_holidays_is_refused()
    {
        var refused = Assert.Throws<DomainRuleException>(() => SchoolHoliday.Create("Sommerferien", SummerStart, SummerStart.AddDays(SchoolHoliday.MaxDays)));

        Assert.Equal("school-holiday-span", refused.Rule);
    }

    [Fact]
    public void A_period_ending_before_it_begins_is_refused()
    {
        var refused = Assert.Throws<DomainRuleException>(() => SchoolHoliday.Create("Sommerferien", SummerStart, SummerStart.AddDays(-1)));

        Assert.Equal("school-holiday-span", refused.Rule);
    }

    [Fact]
    public void A_period_outside_the_calculation_window_is_refused()
    {
        var refused = Assert.Throws<DomainRuleException>(() => SchoolHoliday.Create("Typo", new DateOnly(1, 1, 1), new DateOnly(1, 1, 5)));

        Assert.Equal(CalculationWindow.Rule, refused.Rule);
    }
}
