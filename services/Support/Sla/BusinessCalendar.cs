namespace Mep.Support.Sla;

/// <summary>Opening hours of one weekday, in the calendar's local time (Europe/Berlin). A day may have no entry (closed) or several entries (e.g. lunch break).</summary>
public sealed record OpeningHours(DayOfWeek Day, TimeOnly Opens, TimeOnly Closes);

/// <summary>A Lower Saxony school holiday period, both days inclusive.</summary>
public sealed record SchoolHolidayPeriod(string Name, DateOnly FirstDay, DateOnly LastDay);

/// <summary>
/// When an SLA clock runs: during the opening hours of a support desk, never on Lower Saxony public holidays, and,
/// for policies that follow the schools, not during school holidays. Opening hours are wall-clock times in the
/// calendar's zone, while tickets carry instants; every boundary is therefore converted to an instant on its own
/// day, so daylight-saving switches shift nothing.
/// </summary>
/// <remarks>
/// Both calculations walk day by day and jump from one opening interval to the next, so spans of months cost a
/// few hundred steps. The calendar is immutable and can be shared between threads.
/// </remarks>
public sealed class BusinessCalendar
{
    /// <summary>
    /// How far <see cref="AddBusinessTime"/> looks for the next business time before giving up: far longer than any
    /// closure a real desk has (summer holidays are six weeks), yet a bound for a calendar that never opens.
    /// </summary>
    private const int SearchHorizonDays = 3 * 366;

    /// <summary>Opening intervals indexed by <see cref="DayOfWeek"/>, each day's sorted by opening time.</summary>
    private readonly OpeningHours[][] _openingHoursByWeekday;

    private readonly SchoolHolidayPeriod[] _schoolHolidays;
    private readonly TimeZoneInfo _zone;

    /// <exception cref="ArgumentException">An interval does not close after it opens, two intervals of a day overlap, a day is no <see cref="DayOfWeek"/> value, or a school holiday period ends before it begins.</exception>
    public BusinessCalendar(IReadOnlyList<OpeningHours> openingHours, IReadOnlyList<SchoolHolidayPeriod> schoolHolidays, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(openingHours);
        ArgumentNullException.ThrowIfNull(schoolHolidays);
        ArgumentNullException.ThrowIfNull(zone);

        _openingHoursByWeekday = GroupByWeekday(openingHours);
        _schoolHolidays = CheckedPeriods(schoolHolidays);
        _zone = zone;
    }

    /// <summary>The platform's one zone (the one cron expressions are read in, too).</summary>
    public static TimeZoneInfo Berlin => Mep.Jobs.ScheduledJobs.Berlin;

    /// <summary>Whether business time runs on that local day: has opening hours, not a public holiday, and (unless <paramref name="runsInSchoolHolidays"/>) not within a school holiday period.</summary>
    public bool IsBusinessDay(DateOnly day, bool runsInSchoolHolidays) =>
        OpeningHoursOn(day).Length > 0
        && !LowerSaxonyHolidays.IsPublicHoliday(day)
        && (runsInSchoolHolidays || !IsInSchoolHolidays(day));

    /// <summary>Business time between two instants (zero when <paramref name="to"/> is not after <paramref name="from"/>).</summary>
    public TimeSpan BusinessTimeBetween(DateTimeOffset from, DateTimeOffset to, bool runsInSchoolHolidays)
    {
        var total = TimeSpan.Zero;
        var cursor = from;
        var lastDay = LocalDay(to);
        while (cursor < to && NextOpenInterval(cursor, lastDay, runsInSchoolHolidays) is { } open && open.Start < to)
        {
            var end = open.End < to ? open.End : to;
            total += end - open.Start;
            cursor = end;
        }

        return total;
    }

    /// <summary>
    /// The instant when <paramref name="duration"/> of business time has passed after <paramref name="start"/>. A start
    /// outside opening hours starts the clock at the next opening; a duration that ends exactly at closing time is due
    /// at closing, not at the next opening. A zero duration answers when the clock would start.
    /// </summary>
    /// <returns>The due instant with a UTC offset.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The duration is negative.</exception>
    /// <exception cref="InvalidOperationException">The calendar has no opening hours, or no business time was found within three years.</exception>
    public DateTimeOffset AddBusinessTime(DateTimeOffset start, TimeSpan duration, bool runsInSchoolHolidays) =>
        TryAddBusinessTime(start, duration, runsInSchoolHolidays, out var due, out var reason) ? due : throw new InvalidOperationException(reason);

    /// <summary>
    /// <see cref="AddBusinessTime"/> for callers that must go on without a due time (a ticket is stored whatever its calendar says):
    /// false, with the reason, where the calendar never opens or no business time is found within three years.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The duration is negative.</exception>
    public bool TryAddBusinessTime(DateTimeOffset start, TimeSpan duration, bool runsInSchoolHolidays, out DateTimeOffset due,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? reason)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        due = default;
        if (_openingHoursByWeekday.All(day => day.Length == 0))
        {
            reason = "The business calendar has no opening hours, so business time never passes and nothing can fall due.";
            return false;
        }

        var remaining = duration;
        var cursor = start;
        while (true)
        {
            if (NextOpenInterval(cursor, SearchHorizonAfter(cursor), runsInSchoolHolidays) is not { } open)
            {
                reason = $"No business time within {SearchHorizonDays} days after {cursor:O}: public and school holidays close every opening day of the calendar.";
                return false;
            }

            if (open.Length >= remaining)
            {
                (due, reason) = ((open.Start + remaining).ToUniversalTime(), null);
                return true;
            }

            remaining -= open.Length;
            cursor = open.End;
        }
    }

    /// <summary>
    /// The first opening interval that is still open at or after <paramref name="notBefore"/>, cut to begin no
    /// earlier than it, searching local days up to <paramref name="lastDay"/>; null when there is none.
    /// </summary>
    private OpenInterval? NextOpenInterval(DateTimeOffset notBefore, DateOnly lastDay, bool runsInSchoolHolidays)
    {
        for (var dayNumber = LocalDay(notBefore).DayNumber; dayNumber <= lastDay.DayNumber; dayNumber++)
        {
            var day = DateOnly.FromDayNumber(dayNumber);
            if (!IsBusinessDay(day, runsInSchoolHolidays))
            {
                continue;
            }

            foreach (var hours in OpeningHoursOn(day))
            {
                var opens = ToInstant(day, hours.Opens);
                var closes = ToInstant(day, hours.Closes);
                var start = opens > notBefore ? opens : notBefore;
                // A boundary inside a daylight-saving gap moves, so an interval can shrink to nothing there; skipping
                // it keeps every interval positive and never counts the same instant twice.
                if (closes > start)
                {
                    return new OpenInterval(start, closes);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The instant a wall-clock time on a day stands for. Times that a daylight-saving switch skips or repeats are
    /// read as java.time and NodaTime's lenient resolver read them: a skipped time moves forward by the length of
    /// the gap (the zone's standard offset, the one before a spring-forward gap), a repeated time means its first
    /// occurrence. Opening hours set in the switch night thus never throw.
    /// </summary>
    private DateTimeOffset ToInstant(DateOnly day, TimeOnly time)
    {
        var wallClock = day.ToDateTime(time);
        var offset = _zone.IsAmbiguousTime(wallClock)
            ? _zone.GetAmbiguousTimeOffsets(wallClock).Max()
            : _zone.GetUtcOffset(wallClock);
        return new DateTimeOffset(wallClock, offset);
    }

    private DateOnly SearchHorizonAfter(DateTimeOffset instant) =>
        DateOnly.FromDayNumber(Math.Min(LocalDay(instant).DayNumber + SearchHorizonDays, DateOnly.MaxValue.DayNumber));

    private DateOnly LocalDay(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, _zone).DateTime);

    private OpeningHours[] OpeningHoursOn(DateOnly day) => _openingHoursByWeekday[(int)day.DayOfWeek];

    private bool IsInSchoolHolidays(DateOnly day)
    {
        foreach (var period in _schoolHolidays)
        {
            if (period.FirstDay <= day && day <= period.LastDay)
            {
                return true;
            }
        }

        return false;
    }

    private static OpeningHours[][] GroupByWeekday(IReadOnlyList<OpeningHours> openingHours)
    {
        foreach (var hours in openingHours)
        {
            if (!Enum.IsDefined(hours.Day))
            {
                throw new ArgumentException($"Opening hours name {(int)hours.Day}, which is not a day of the week.", nameof(openingHours));
            }

            if (hours.Opens >= hours.Closes)
            {
                throw new ArgumentException(
                    $"Opening hours on {hours.Day} must close after they open, but {hours.Opens:HH:mm}-{hours.Closes:HH:mm} does not.", nameof(openingHours));
            }
        }

        var byWeekday = Enum.GetValues<DayOfWeek>()
            .Select(weekday => openingHours.Where(hours => hours.Day == weekday).OrderBy(hours => hours.Opens).ToArray())
            .ToArray();
        foreach (var day in byWeekday)
        {
            for (var next = 1; next < day.Length; next++)
            {
                var previous = day[next - 1];
                if (previous.Closes > day[next].Opens)
                {
                    throw new ArgumentException(
                        $"Opening hours on {previous.Day} overlap: {previous.Opens:HH:mm}-{previous.Closes:HH:mm} and {day[next].Opens:HH:mm}-{day[next].Closes:HH:mm}.",
                        nameof(openingHours));
                }
            }
        }

        return byWeekday;
    }

    private static SchoolHolidayPeriod[] CheckedPeriods(IReadOnlyList<SchoolHolidayPeriod> schoolHolidays)
    {
        foreach (var period in schoolHolidays)
        {
            if (period.FirstDay > period.LastDay)
            {
                throw new ArgumentException(
                    $"School holiday period '{period.Name}' ends on {period.LastDay:yyyy-MM-dd}, before it begins on {period.FirstDay:yyyy-MM-dd}.", nameof(schoolHolidays));
            }
        }

        return [.. schoolHolidays];
    }

    /// <summary>A stretch of business time between two instants, Start before End.</summary>
    private readonly record struct OpenInterval(DateTimeOffset Start, DateTimeOffset End)
    {
        public TimeSpan Length => End - Start;
    }
}
