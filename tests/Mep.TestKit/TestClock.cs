namespace Mep.TestKit;

/// <summary>A clock a test sets: "today" is what the test says, so date rules (late milestones) are checked on fixed days.</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private long _utcTicks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public void Set(DateTimeOffset now) => Interlocked.Exchange(ref _utcTicks, now.UtcTicks);
}

/// <summary>
/// A clock that runs at real speed from where a test sets it. For hosts with scheduled jobs: Quartz takes its time from
/// the host's TimeProvider, and on a clock that stands still no trigger ever comes due.
/// </summary>
public sealed class RunningTestClock(DateTimeOffset start) : TimeProvider
{
    private long _offsetTicks = (start - DateTimeOffset.UtcNow).Ticks;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow.AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Set(DateTimeOffset now) => Interlocked.Exchange(ref _offsetTicks, (now - DateTimeOffset.UtcNow).Ticks);
}
