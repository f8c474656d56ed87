using Mep.Jobs;

namespace Mep.Funding;

/// <summary>Programme deadlines are days in Lower Saxony: "today" is the Berlin calendar day of the injected clock, not the UTC one.</summary>
public static class BerlinDay
{
    public static DateOnly Today(TimeProvider clock) => Of(clock.GetUtcNow());

    /// <summary>The Berlin calendar day an instant falls on.</summary>
    public static DateOnly Of(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, ScheduledJobs.Berlin).DateTime);
}
