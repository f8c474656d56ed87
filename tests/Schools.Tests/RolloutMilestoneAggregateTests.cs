using Mep.Schools.Rollout;
using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Tests;

/// <summary>A rollout milestone's planned and reached days, on the domain type alone: no database, no HTTP (the API tests cover the way there).</summary>
public sealed class RolloutMilestoneAggregateTests
{
    private static readonly DateOnly Today = new(2026, 12, 7);

    [Fact]
    public void A_milestone_is_planned_for_a_day()
    {
        var milestone = RolloutMilestoneDate.For(Guid.NewGuid(), RolloutMilestone.Equipped);

        milestone.Plan(new DateOnly(2027, 9, 30));

        Assert.Equal((new DateOnly(2027, 9, 30), (DateOnly?)null), (milestone.PlannedOn, milestone.ReachedOn));
    }

    [Fact]
    public void The_survey_is_reported_for_today()
    {
        Assert.Null(Record.Exception(() => RolloutMilestoneDate.EnsureReportable(RolloutMilestone.Surveyed, Today, Today)));
    }

    [Theory]
    [InlineData(RolloutMilestone.BuildingWork)]
    [InlineData(RolloutMilestone.Equipped)]
    [InlineData(RolloutMilestone.Accepted)]
    public void A_milestone_the_rollout_reaches_itself_is_only_planned(RolloutMilestone milestone)
    {
        Assert.Null(Record.Exception(() => RolloutMilestoneDate.EnsureReportable(milestone, null, Today)));
    }

    [Theory]
    [InlineData(RolloutMilestone.BuildingWork)]
    [InlineData(RolloutMilestone.Equipped)]
    [InlineData(RolloutMilestone.Accepted)]
    public void A_reached_day_for_a_milestone_the_rollout_reaches_itself_is_refused(RolloutMilestone milestone)
    {
        var refused = Assert.Throws<DomainRuleException>(() => RolloutMilestoneDate.EnsureReportable(milestone, Today.AddDays(-1), Today));

        Assert.Equal("milestone-reached-by-rollout", refused.Rule);
    }

    [Fact]
    public void A_survey_on_a_day_that_has_not_come_is_refused()
    {
        var refused = Assert.Throws<DomainRuleException>(() => RolloutMilestoneDate.EnsureReportable(RolloutMilestone.Surveyed, Today.AddDays(1), Today));

        Assert.Equal("survey-in-future", refused.Rule);
    }

    [Fact]
    public void A_school_is_accepted_on_today()
    {
        Assert.Null(Record.Exception(() => RolloutMilestoneDate.EnsureAcceptanceDay(Today, Today)));
    }

    [Fact]
    public void An_acceptance_in_advance_is_refused()
    {
        var refused = Assert.Throws<DomainRuleException>(() => RolloutMilestoneDate.EnsureAcceptanceDay(Today.AddDays(1), Today));

        Assert.Equal("acceptance-in-future", refused.Rule);
    }
}
