using Mep.Support.Sla;

namespace Mep.Support.Tests.Sla;

/// <summary>
/// SLA clocks of a support desk open Monday to Friday 07:30-16:00 in Berlin. Expected instants are written with
/// the offset Berlin has on that day (CET +01:00, CEST +02:00), independent of the calendar's own zone handling.
/// </summary>
public sealed class BusinessCalendarTests
{
    private const bool FollowsSchoolHolidays = false;
    private const bool RunsInSchoolHolidays = true;

    private static readonly BusinessCalendar OfficeHours = CalendarWith([]);

    [Fact]
    public void A_ticket_opened_Friday_15_50_with_a_two_hour_target_is_due_Monday_09_20()
    {
        var due = OfficeHours.AddBusinessTime(Cet(2026, 11, 13, 15, 50), TimeSpan.FromHours(2), RunsInSchoolHolidays);

        AssertDue(Cet(2026, 11, 16, 9, 20), due);
    }

    [Fact]
    public void A_ticket_opened_the_Thursday_before_Easter_skips_Good_Friday_and_Easter_Monday()
    {
        var due = OfficeHours.AddBusinessTime(Cest(2026, 4, 2, 15, 0), TimeSpan.FromHours(4), RunsInSchoolHolidays);

        AssertDue(Cest(2026, 4, 7, 10, 30), due);
    }

    [Fact]
    public void A_ticket_opened_the_Friday_before_Whit_Monday_is_due_on_Tuesday()
    {
        var due = OfficeHours.AddBusinessTime(Cest(2026, 5, 22, 15, 0), TimeSpan.FromHours(2), RunsInSchoolHolidays);

        AssertDue(Cest(2026, 5, 26, 8, 30), due);
    }

    [Fact]
    public void German_Unity_Day_on_a_Friday_moves_a_Thursday_ticket_to_Monday()
    {
        var due = OfficeHours.AddBusinessTime(Cest(2025, 10, 2, 15, 0), TimeSpan.FromHours(2), RunsInSchoolHolidays);

        AssertDue(Cest(2025, 10, 6, 8, 30), due);
    }

    [Fact]
    public void Reformation_Day_on_a_Friday_moves_a_Thursday_ticket_to_Monday()
    {
        var due = OfficeHours.AddBusinessTime(Cet(2025, 10, 30, 15, 0), TimeSpan.FromHours(2), RunsInSchoolHolidays);

        AssertDue(Cet(2025, 11, 3, 8, 30), due);
    }

    [Fact]
    public void St_Martins_Day_is_a_working_day_in_Lower_Saxony()
    {
        var due = OfficeHours.AddBusinessTime(Cet(2025, 11, 10, 15, 0), TimeSpan.FromHours(2), RunsInSchoolHolidays);

        Assert.True(OfficeHours.IsBusinessDay(new DateOnly(2025, 11, 11), RunsInSchoolHolidays));
        AssertDue(Cet(2025, 11, 11, 8, 30), due);
    }

    [Fact]
    public void A_target_ending_exactly_at_closing_time_is_due_at_closing_not_at_the_next_opening()
    {
        var due = OfficeHours.AddBusinessTime(Cet(2026, 11, 13, 15, 50), TimeSpan.FromMinutes(10), RunsInSchoolHolidays);

        AssertDue(Cet(2026, 11, 13, 16, 0), due);
    }

    [Fact]
    public void A_zero_target_inside_opening_hours_is_due_at_once()
    {
        var insideHours = OfficeHours.AddBusinessTime(Cet(2026, 11, 13, 10, 15), TimeSpan.Zero, RunsInSchoolHolidays);

        AssertDue(Cet(2026, 11, 13, 10, 15), insideHours);
    }

    [Fact]
    public void A_zero_target_outside_opening_hours_is_due_at_the_next_opening()
    {
        var atClosing = OfficeHours.AddBusinessTime(Cet(2026, 11, 13, 16, 0), TimeSpan.Zero, RunsInSchoolHolidays);
        var onSunday = OfficeHours.AddBusinessTime(Cet(2026, 11, 15, 12, 0), TimeSpan.Zero, RunsInSchoolHolidays);

        AssertDue(Cet(2026, 11, 16, 7, 30), atClosing);
        AssertDue(Cet(2026, 11, 16, 7, 30), onSunday);
    }

    /// <summary>A calendar with the autumn school holidays of 2026 (Monday 12 to Friday 16 October).</summary>
    private static BusinessCalendar WithAutumnHolidays() =>
        CalendarWith([new SchoolHolidayPeriod("Herbstferien", new DateOnly(2026, 10, 12), new DateOnly(2026, 10, 16))]);

    [Fact]
    public void A_policy_that_follows_the_schools_pauses_for_a_school_holiday_week()
    {
        var calendar = WithAutumnHolidays();

        var dueFollowingSchools = calendar.AddBusinessTime(Cest(2026, 10, 9, 15, 0), TimeSpan.FromHours(2), FollowsSchoolHolidays);

        AssertDue(Cest(2026, 10, 19, 8, 30), dueFollowingSchools);
        Assert.False(calendar.IsBusinessDay(new DateOnly(2026, 10, 16), FollowsSchoolHolidays));
    }

    [Fact]
    public void A_policy_that_runs_through_school_holidays_does_not_pause_for_them()
    {
        var calendar = WithAutumnHolidays();

        var dueRunningThrough = calendar.AddBusinessTime(Cest(2026, 10, 9, 15, 0), TimeSpan.FromHours(2), RunsInSchoolHolidays);

        AssertDue(Cest(2026, 10, 12, 8, 30), dueRunningThrough);
        Assert.True(calendar.IsBusinessDay(new DateOnly(2026, 10, 16), RunsInSchoolHolidays));
    }

    [Fact]
    public void A_weekday_with_opening_hours_is_a_business_day()
    {
        Assert.True(OfficeHours.IsBusinessDay(new DateOnly(2026, 11, 13), FollowsSchoolHolidays));
    }

    [Fact]
    public void A_day_without_opening_hours_is_no_business_day()
    {
        Assert.False(OfficeHours.IsBusinessDay(new DateOnly(2026, 11, 14), RunsInSchoolHolidays));
    }

    [Fact]
    public void A_public_holiday_is_no_business_day()
    {
        Assert.False(OfficeHours.IsBusinessDay(new DateOnly(2026, 12, 25), RunsInSchoolHolidays));
    }

    [Fact]
    public void Business_time_across_a_weekend_counts_Friday_afternoon_and_Monday_morning()
    {
        var elapsed = OfficeHours.BusinessTimeBetween(Cet(2026, 11, 13, 15, 0), Cet(2026, 11, 16, 8, 30), RunsInSchoolHolidays);

        Assert.Equal(TimeSpan.FromHours(2), elapsed);
    }

    [Fact]
    public void Business_time_across_a_holiday_leaves_the_holiday_out()
    {
        var elapsed = OfficeHours.BusinessTimeBetween(Cest(2025, 10, 2, 15, 0), Cest(2025, 10, 6, 8, 30), RunsInSchoolHolidays);

        Assert.Equal(TimeSpan.FromHours(2), elapsed);
    }

    [Fact]
    public void Business_time_from_before_opening_to_after_closing_counts_the_opening_hours_only()
    {
        var oneDay = OfficeHours.BusinessTimeBetween(Cet(2026, 11, 16, 5, 0), Cet(2026, 11, 16, 19, 0), RunsInSchoolHolidays);
        var weekendToTuesdayMorning = OfficeHours.BusinessTimeBetween(Cet(2026, 11, 14, 10, 0), Cet(2026, 11, 17, 6, 0), RunsInSchoolHolidays);

        Assert.Equal(new TimeSpan(8, 30, 0), oneDay);
        Assert.Equal(new TimeSpan(8, 30, 0), weekendToTuesdayMorning);
    }

    [Fact]
    public void Business_time_is_zero_when_the_end_is_not_after_the_start()
    {
        var friday = Cet(2026, 11, 13, 10, 0);

        Assert.Equal(TimeSpan.Zero, OfficeHours.BusinessTimeBetween(friday, friday, RunsInSchoolHolidays));
        Assert.Equal(TimeSpan.Zero, OfficeHours.BusinessTimeBetween(friday, friday.AddHours(-3), RunsInSchoolHolidays));
    }

    [Fact]
    public void Business_time_up_to_the_due_instant_is_the_target_for_any_start_and_target()
    {
        var calendar = CalendarWith([new SchoolHolidayPeriod("Sommerferien", new DateOnly(2026, 7, 2), new DateOnly(2026, 8, 12))]);
        DateTimeOffset[] starts =
        [
            Cet(2026, 11, 13, 15, 50),
            Cet(2026, 11, 16, 5, 0),
            Cet(2026, 11, 14, 12, 0),
            Cest(2026, 4, 2, 15, 0),
            Cest(2026, 6, 30, 11, 17),
            Cet(2026, 3, 27, 9, 45),
            Cet(2025, 12, 23, 16, 30),
        ];
        TimeSpan[] targets =
        [
            TimeSpan.Zero, TimeSpan.FromMinutes(1), TimeSpan.FromHours(2), new TimeSpan(8, 30, 0),
            TimeSpan.FromHours(40), TimeSpan.FromHours(500), new TimeSpan(1234, 56, 7),
        ];

        foreach (var runsInSchoolHolidays in new[] { FollowsSchoolHolidays, RunsInSchoolHolidays })
        {
            foreach (var start in starts)
            {
                foreach (var target in targets)
                {
                    var due = calendar.AddBusinessTime(start, target, runsInSchoolHolidays);

                    Assert.True(target == calendar.BusinessTimeBetween(start, due, runsInSchoolHolidays),
                        $"{target} from {start:O} (runs in school holidays: {runsInSchoolHolidays}) is due {due:O}");
                }
            }
        }
    }

    [Fact]
    public void Business_time_across_the_switch_to_summer_time_is_unaffected()
    {
        var elapsed = OfficeHours.BusinessTimeBetween(Cet(2026, 3, 27, 12, 0), Cest(2026, 3, 30, 12, 0), RunsInSchoolHolidays);
        var due = OfficeHours.AddBusinessTime(Cet(2026, 3, 27, 15, 0), TimeSpan.FromHours(2), RunsInSchoolHolidays);

        Assert.Equal(new TimeSpan(8, 30, 0), elapsed);
        AssertDue(Cest(2026, 3, 30, 8, 30), due);
    }

    [Fact]
    public void Business_time_across_the_switch_back_to_winter_time_is_unaffected()
    {
        var elapsed = OfficeHours.BusinessTimeBetween(Cest(2026, 10, 23, 12, 0), Cet(2026, 10, 26, 12, 0), RunsInSchoolHolidays);
        var due = OfficeHours.AddBusinessTime(Cest(2026, 10, 23, 15, 0), TimeSpan.FromHours(2), RunsInSchoolHolidays);

        Assert.Equal(new TimeSpan(8, 30, 0), elapsed);
        AssertDue(Cet(2026, 10, 26, 8, 30), due);
    }

    [Fact]
    public void Opening_hours_through_the_switch_nights_count_the_time_that_really_passes()
    {
        var nightDesk = new BusinessCalendar([new OpeningHours(DayOfWeek.Sunday, new TimeOnly(1, 0), new TimeOnly(4, 0))], [], BusinessCalendar.Berlin);

        var springNight = nightDesk.BusinessTimeBetween(Cet(2026, 3, 28, 12, 0), Cest(2026, 3, 29, 12, 0), RunsInSchoolHolidays);
        var autumnNight = nightDesk.BusinessTimeBetween(Cest(2026, 10, 24, 12, 0), Cet(2026, 10, 25, 12, 0), RunsInSchoolHolidays);

        Assert.Equal(TimeSpan.FromHours(2), springNight);
        Assert.Equal(TimeSpan.FromHours(4), autumnNight);
    }

    [Fact]
    public void An_opening_time_the_spring_switch_skips_starts_the_clock_shifted_forward_by_the_gap()
    {
        var nightDesk = new BusinessCalendar([new OpeningHours(DayOfWeek.Sunday, new TimeOnly(2, 30), new TimeOnly(5, 0))], [], BusinessCalendar.Berlin);

        var due = nightDesk.AddBusinessTime(Cet(2026, 3, 28, 12, 0), TimeSpan.Zero, RunsInSchoolHolidays);
        var elapsed = nightDesk.BusinessTimeBetween(Cet(2026, 3, 28, 12, 0), Cest(2026, 3, 29, 12, 0), RunsInSchoolHolidays);

        AssertDue(Cest(2026, 3, 29, 3, 30), due);
        Assert.Equal(TimeSpan.FromMinutes(90), elapsed);
    }

    [Fact]
    public void A_calendar_without_opening_hours_refuses_to_add_business_time()
    {
        var neverOpen = new BusinessCalendar([], [], BusinessCalendar.Berlin);

        var refusal = Assert.Throws<InvalidOperationException>(
            () => neverOpen.AddBusinessTime(Cet(2026, 11, 13, 10, 0), TimeSpan.FromHours(1), RunsInSchoolHolidays));
        Assert.Contains("no opening hours", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.Zero, neverOpen.BusinessTimeBetween(Cet(2026, 1, 1, 0, 0), Cet(2027, 1, 1, 0, 0), RunsInSchoolHolidays));
    }

    [Fact]
    public void A_calendar_whose_school_holidays_never_end_gives_up_after_three_years()
    {
        var closedForever = CalendarWith([new SchoolHolidayPeriod("Dauerferien", new DateOnly(2026, 1, 1), new DateOnly(2099, 12, 31))]);

        Assert.Throws<InvalidOperationException>(
            () => closedForever.AddBusinessTime(Cet(2026, 11, 13, 10, 0), TimeSpan.FromHours(1), FollowsSchoolHolidays));
    }

    [Fact]
    public void A_negative_target_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => OfficeHours.AddBusinessTime(Cet(2026, 11, 13, 10, 0), TimeSpan.FromMinutes(-1), RunsInSchoolHolidays));
    }

    [Fact]
    public void Several_intervals_on_a_day_leave_the_lunch_break_out()
    {
        var withLunchBreak = new BusinessCalendar(
            [
                new OpeningHours(DayOfWeek.Monday, new TimeOnly(13, 0), new TimeOnly(16, 0)),
                new OpeningHours(DayOfWeek.Monday, new TimeOnly(8, 0), new TimeOnly(12, 0)),
            ],
            [],
            BusinessCalendar.Berlin);

        var due = withLunchBreak.AddBusinessTime(Cet(2026, 11, 16, 11, 0), TimeSpan.FromHours(2), RunsInSchoolHolidays);

        AssertDue(Cet(2026, 11, 16, 14, 0), due);
        Assert.Equal(TimeSpan.FromHours(7), withLunchBreak.BusinessTimeBetween(Cet(2026, 11, 16, 0, 0), Cet(2026, 11, 17, 0, 0), RunsInSchoolHolidays));
    }

    [Fact]
    public void The_constructor_refuses_overlapping_opening_hours()
    {
        OpeningHours[] overlapping =
        [
            new(DayOfWeek.Tuesday, new TimeOnly(7, 30), new TimeOnly(12, 0)),
            new(DayOfWeek.Tuesday, new TimeOnly(11, 30), new TimeOnly(16, 0)),
        ];

        var refusal = Assert.Throws<ArgumentException>(() => new BusinessCalendar(overlapping, [], BusinessCalendar.Berlin));
        Assert.Equal("openingHours", refusal.ParamName);
        Assert.Contains("overlap", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_constructor_refuses_opening_hours_that_close_before_they_open()
    {
        OpeningHours[] reversed = [new(DayOfWeek.Tuesday, new TimeOnly(16, 0), new TimeOnly(7, 30))];

        var refusal = Assert.Throws<ArgumentException>(() => new BusinessCalendar(reversed, [], BusinessCalendar.Berlin));
        Assert.Equal("openingHours", refusal.ParamName);
    }

    [Fact]
    public void The_constructor_refuses_a_school_holiday_period_that_ends_before_it_begins()
    {
        SchoolHolidayPeriod[] reversed = [new("Osterferien", new DateOnly(2026, 4, 11), new DateOnly(2026, 3, 23))];

        var refusal = Assert.Throws<ArgumentException>(() => new BusinessCalendar(WeekdayOfficeHours(), reversed, BusinessCalendar.Berlin));
        Assert.Equal("schoolHolidays", refusal.ParamName);
        Assert.Contains("Osterferien", refusal.Message, StringComparison.Ordinal);
    }

    private static BusinessCalendar CalendarWith(IReadOnlyList<SchoolHolidayPeriod> schoolHolidays) =>
        new(WeekdayOfficeHours(), schoolHolidays, BusinessCalendar.Berlin);

    private static OpeningHours[] WeekdayOfficeHours() =>
    [
        .. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
            .Select(day => new OpeningHours(day, new TimeOnly(7, 30), new TimeOnly(16, 0))),
    ];

    private static DateTimeOffset Cet(int year, int month, int day, int hour, int minute) =>
        new(year, month, day, hour, minute, 0, TimeSpan.FromHours(1));

    private static DateTimeOffset Cest(int year, int month, int day, int hour, int minute) =>
        new(year, month, day, hour, minute, 0, TimeSpan.FromHours(2));

    /// <summary>Due instants are compared as instants and must come back in UTC, as they are stored.</summary>
    private static void AssertDue(DateTimeOffset expected, DateTimeOffset actual)
    {
        Assert.Equal(expected, actual);
        Assert.Equal(TimeSpan.Zero, actual.Offset);
    }
}
