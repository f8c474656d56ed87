namespace Mep.Jobs;

/// <summary>
/// A person's day: programme deadlines, a loan's due day, a repair's dates and a staffing figure's day are days in Lower Saxony, so
/// "today" is the Berlin calendar day of the injected clock, not the UTC one.
/// </summary>
public static class BerlinDay
{
    public static DateOnly Today(TimeProvider clock) => Of(clock.GetUtcNow());

    /// <summary>The Berlin calendar day an instant falls on.</summary>
    public static DateOnly Of(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, ScheduledJobs.Berlin).DateTime);
}
