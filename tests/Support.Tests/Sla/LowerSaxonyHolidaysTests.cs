using Mep.Support.Sla;

namespace Mep.Support.Tests.Sla;

/// <summary>Lower Saxony's statutory holidays: the Easter-based ones move, the others are fixed, and days that are holidays only elsewhere are not.</summary>
public sealed class LowerSaxonyHolidaysTests
{
    [Theory]
    [InlineData(2019, 4, 21)]
    [InlineData(2024, 3, 31)]
    [InlineData(2025, 4, 20)]
    [InlineData(2026, 4, 5)]
    [InlineData(2038, 4, 25)]
    [InlineData(2285, 3, 22)]
    public void Easter_Sunday_falls_on_the_known_date(int year, int month, int day)
    {
        Assert.Equal(new DateOnly(year, month, day), LowerSaxonyHolidays.EasterSunday(year));
    }

    [Theory]
    [InlineData(1582)]
    [InlineData(10000)]
    public void Easter_Sunday_is_refused_outside_the_Gregorian_years_a_date_can_hold(int year)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LowerSaxonyHolidays.EasterSunday(year));
    }

    [Fact]
    public void The_holidays_of_2026_are_exactly_the_ten_statutory_days_in_date_order()
    {
        PublicHoliday[] expected =
        [
            new(new DateOnly(2026, 1, 1), "Neujahr"),
            new(new DateOnly(2026, 4, 3), "Karfreitag"),
            new(new DateOnly(2026, 4, 6), "Ostermontag"),
            new(new DateOnly(2026, 5, 1), "Tag der Arbeit"),
            new(new DateOnly(2026, 5, 14), "Christi Himmelfahrt"),
            new(new DateOnly(2026, 5, 25), "Pfingstmontag"),
            new(new DateOnly(2026, 10, 3), "Tag der Deutschen Einheit"),
            new(new DateOnly(2026, 10, 31), "Reformationstag"),
            new(new DateOnly(2026, 12, 25), "1. Weihnachtstag"),
            new(new DateOnly(2026, 12, 26), "2. Weihnachtstag"),
        ];

        var holidays = LowerSaxonyHolidays.For(2026);

        Assert.Equal(10, holidays.Count);
        Assert.Equal(expected, holidays);
    }

    [Fact]
    public void Ascension_Day_on_30_April_is_listed_before_Labour_Day()
    {
        var dates = LowerSaxonyHolidays.For(2285).Select(holiday => holiday.Date).ToList();

        Assert.Equal(new DateOnly(2285, 4, 30), LowerSaxonyHolidays.For(2285).Single(holiday => holiday.Name == "Christi Himmelfahrt").Date);
        Assert.Equal(dates.Order(), dates);
    }

    [Theory]
    [InlineData(2016, false)]
    [InlineData(2017, true)]
    [InlineData(2018, true)]
    public void Reformation_Day_is_a_holiday_from_2017_on(int year, bool isHoliday)
    {
        var reformationDay = new DateOnly(year, 10, 31);

        Assert.Equal(isHoliday, LowerSaxonyHolidays.IsPublicHoliday(reformationDay));
        Assert.Equal(isHoliday, LowerSaxonyHolidays.For(year).Any(holiday => holiday.Date == reformationDay && holiday.Name == "Reformationstag"));
    }

    [Theory]
    [InlineData(1989, false)]
    [InlineData(1990, true)]
    public void German_Unity_Day_is_a_holiday_from_1990_on(int year, bool isHoliday)
    {
        Assert.Equal(isHoliday, LowerSaxonyHolidays.IsPublicHoliday(new DateOnly(year, 10, 3)));
    }

    [Theory]
    [InlineData(1, 6, "Epiphany")]
    [InlineData(4, 5, "Easter Sunday")]
    [InlineData(5, 24, "Whit Sunday")]
    [InlineData(6, 4, "Corpus Christi")]
    [InlineData(8, 15, "Assumption")]
    [InlineData(11, 1, "All Saints")]
    [InlineData(11, 11, "St. Martin")]
    [InlineData(11, 18, "Repentance Day")]
    [InlineData(12, 24, "Christmas Eve")]
    [InlineData(12, 31, "New Year's Eve")]
    public void Days_that_are_not_statutory_in_Lower_Saxony_are_working_days(int month, int day, string name)
    {
        var date = new DateOnly(2026, month, day);

        Assert.False(LowerSaxonyHolidays.IsPublicHoliday(date), name);
        Assert.DoesNotContain(LowerSaxonyHolidays.For(2026), holiday => holiday.Date == date);
    }

    [Fact]
    public void Every_listed_holiday_is_recognised_as_a_public_holiday()
    {
        Assert.All(LowerSaxonyHolidays.For(2027), holiday => Assert.True(LowerSaxonyHolidays.IsPublicHoliday(holiday.Date), holiday.Name));
    }

    [Fact]
    public void A_year_is_calculated_once()
    {
        var first = LowerSaxonyHolidays.For(2030);

        Assert.Same(first, LowerSaxonyHolidays.For(2030));
    }

    [Fact]
    public void A_years_list_cannot_be_changed_by_a_caller()
    {
        var first = LowerSaxonyHolidays.For(2030);

        Assert.Throws<NotSupportedException>(() => ((IList<PublicHoliday>)first).Add(new PublicHoliday(new DateOnly(2030, 6, 1), "Erfunden")));
    }

    [Fact]
    public void Concurrent_callers_see_the_same_holidays()
    {
        var lists = new IReadOnlyList<PublicHoliday>[64];

        Parallel.For(0, lists.Length, index => lists[index] = LowerSaxonyHolidays.For(2031));

        Assert.All(lists, list => Assert.Equal(lists[0], list));
    }
}
