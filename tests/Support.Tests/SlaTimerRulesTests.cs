using Mep.Support.Sla;

namespace Mep.Support.Tests;

/// <summary>When an SLA timer's warning and breach are announced, on the timer alone: no database, no escalation job.</summary>
public sealed class SlaTimerRulesTests
{
    private static readonly DateTimeOffset WarnAt = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset DueAt = WarnAt.AddHours(2);

    private static SlaTimer Counting(bool active = true) => new()
    {
        Clock = SlaClocks.Total, Target = SlaTargets.Resolution, TargetMinutes = 480, Active = active, WarnAt = WarnAt, DueAt = DueAt,
    };

    [Fact]
    public void The_warning_is_claimed_when_its_instant_has_come()
    {
        var timer = Counting();

        Assert.Equal((true, WarnAt), (timer.ClaimWarning(WarnAt), timer.WarnedAt));
    }

    [Fact]
    public void The_warning_is_claimed_once()
    {
        var timer = Counting();
        timer.ClaimWarning(WarnAt);

        Assert.Equal((false, WarnAt), (timer.ClaimWarning(WarnAt.AddMinutes(1)), timer.WarnedAt));
    }

    [Fact]
    public void No_warning_is_claimed_before_its_instant()
    {
        var timer = Counting();

        Assert.Equal((false, (DateTimeOffset?)null), (timer.ClaimWarning(WarnAt.AddTicks(-1)), timer.WarnedAt));
    }

    [Fact]
    public void A_timer_that_does_not_count_claims_no_warning()
    {
        Assert.False(Counting(active: false).ClaimWarning(DueAt));
    }

    [Fact]
    public void The_breach_is_claimed_when_the_due_instant_has_come()
    {
        var timer = Counting();

        Assert.Equal((true, DueAt), (timer.ClaimBreach(DueAt), timer.BreachedAt));
    }

    [Fact]
    public void The_breach_is_claimed_once()
    {
        var timer = Counting();
        timer.ClaimBreach(DueAt);

        Assert.Equal((false, DueAt), (timer.ClaimBreach(DueAt.AddMinutes(1)), timer.BreachedAt));
    }

    [Fact]
    public void No_breach_is_claimed_before_the_due_instant()
    {
        Assert.False(Counting().ClaimBreach(DueAt.AddTicks(-1)));
    }

    [Fact]
    public void A_timer_that_does_not_count_claims_no_breach()
    {
        Assert.False(Counting(active: false).ClaimBreach(DueAt));
    }

    [Fact]
    public void A_timer_met_after_its_due_instant_counts_as_breached()
    {
        var timer = Counting();
        timer.MetAt = DueAt.AddMinutes(1);

        Assert.True(timer.Breached);
    }

    [Fact]
    public void A_timer_met_by_its_due_instant_is_kept()
    {
        var timer = Counting();
        timer.MetAt = DueAt;

        Assert.False(timer.Breached);
    }
}
