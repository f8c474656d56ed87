using Mep.ServiceDefaults.Jobs;

namespace Mep.Funding.Data;

/// <summary>Programme deadlines are days in Lower Saxony: "today" is the Berlin calendar day of the injected clock, not the UTC one.</summary>
public static class BerlinDay
{
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), ScheduledJobs.Berlin).DateTime);
}
