using System.Collections.Concurrent;

namespace Mep.Support.Sla;

/// <summary>A statutory public holiday, named as German law and the schools name it.</summary>
public sealed record PublicHoliday(DateOnly Date, [System.ComponentModel.DataAnnotations.MaxLength(100)] string Name);

/// <summary>
/// The statutory public holidays of Lower Saxony (Niedersächsisches Feiertagsgesetz), the only state the service
/// supports. Religious days that are holidays elsewhere in Germany (Epiphany, Corpus Christi, All Saints, ...) are
/// ordinary working days here and must not stop an SLA clock.
/// </summary>
public static class LowerSaxonyHolidays
{
    /// <summary>The first year of the Gregorian calendar's Easter rule; earlier Easters followed the Julian calendar.</summary>
    private const int FirstGregorianYear = 1583;

    /// <summary>German Unity Day replaced 17 June as the national day with reunification on 3 October 1990.</summary>
    private const int FirstGermanUnityDayYear = 1990;

    /// <summary>
    /// Reformation Day was a one-off nationwide holiday for the 500th anniversary in 2017 and became a statutory
    /// holiday in Lower Saxony from 2018, so it counts from 2017 on.
    /// </summary>
    private const int FirstReformationDayYear = 2017;

    /// <summary>SLA calculations ask for the same few years once per day they walk, so each year is computed once.</summary>
    private static readonly ConcurrentDictionary<int, HolidayYear> Years = new();

    /// <summary>
    /// Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher): integer arithmetic only, exact for
    /// every Gregorian year, so no table has to be kept up to date. The names say which correction each step makes;
    /// the constants are the algorithm's and are not meant to be tuned.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The year is before 1583 or after 9999.</exception>
    public static DateOnly EasterSunday(int year)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, FirstGregorianYear);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, DateOnly.MaxValue.Year);

        var lunarCycleYear = year % 19;
        var century = year / 100;
        var yearOfCentury = year % 100;
        var skippedLeapCenturies = century / 4;
        var centuryInLeapCycle = century % 4;
        var moonOrbitCorrection = (century - ((century + 8) / 25) + 1) / 3;
        var daysToPaschalFullMoon = ((19 * lunarCycleYear) + century - skippedLeapCenturies - moonOrbitCorrection + 15) % 30;
        var daysFromFullMoonToSunday =
            (32 + (2 * centuryInLeapCycle) + (2 * (yearOfCentury / 4)) - daysToPaschalFullMoon - (yearOfCentury % 4)) % 7;
        var lateFullMoonCorrection = (lunarCycleYear + (11 * daysToPaschalFullMoon) + (22 * daysFromFullMoonToSunday)) / 451;
        var daysAfterFebruary = daysToPaschalFullMoon + daysFromFullMoonToSunday - (7 * lateFullMoonCorrection) + 114;

        return new DateOnly(year, daysAfterFebruary / 31, (daysAfterFebruary % 31) + 1);
    }

    /// <summary>The public holidays of the year, ordered by date; the list is shared and read-only.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The year is before 1583 or after 9999.</exception>
    public static IReadOnlyList<PublicHoliday> For(int year) => YearOf(year).Holidays;

    public static bool IsPublicHoliday(DateOnly day) => YearOf(day.Year).Dates.Contains(day);

    private static HolidayYear YearOf(int year) => Years.GetOrAdd(year, Calculate);

    private static HolidayYear Calculate(int year)
    {
        var easter = EasterSunday(year);
        List<PublicHoliday> holidays =
        [
            new(new DateOnly(year, 1, 1), "Neujahr"),
            new(easter.AddDays(-2), "Karfreitag"),
            new(easter.AddDays(1), "Ostermontag"),
            new(new DateOnly(year, 5, 1), "Tag der Arbeit"),
            new(easter.AddDays(39), "Christi Himmelfahrt"),
            new(easter.AddDays(50), "Pfingstmontag"),
            new(new DateOnly(year, 12, 25), "1. Weihnachtstag"),
            new(new DateOnly(year, 12, 26), "2. Weihnachtstag"),
        ];
        if (year >= FirstGermanUnityDayYear)
        {
            holidays.Add(new(new DateOnly(year, 10, 3), "Tag der Deutschen Einheit"));
        }

        if (year >= FirstReformationDayYear)
        {
            holidays.Add(new(new DateOnly(year, 10, 31), "Reformationstag"));
        }

        // Ascension Day can fall on or before 1 May (2008, 2285), so Easter-based days are not always in list order.
        var ordered = holidays.OrderBy(holiday => holiday.Date).ToList().AsReadOnly();
        return new HolidayYear(ordered, ordered.Select(holiday => holiday.Date).ToHashSet());
    }

    /// <summary>One year's holidays twice over: as the list callers see, and as a set for the per-day lookup.</summary>
    private sealed record HolidayYear(IReadOnlyList<PublicHoliday> Holidays, IReadOnlySet<DateOnly> Dates);
}
