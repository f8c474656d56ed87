using Mep.Schools.Rollout;
using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Tests;

/// <summary>A school's broadband part of the rollout, on the domain type alone: no database, no HTTP (the API tests cover the way there).</summary>
public sealed class SchoolRolloutAggregateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    private static BroadbandConnection Line(BroadbandStatus status, BroadbandKind? kind = BroadbandKind.OwnFibre, int? bandwidth = 1_000,
        string? provider = "Stadt Hannover") => new(kind, status, bandwidth, provider, 180m, 42_500m, "KN-LIND");

    [Theory]
    [InlineData(true, RolloutStatus.Planned)]
    [InlineData(false, RolloutStatus.NotInPlan)]
    public void A_rollout_starts_planned_only_for_a_school_in_the_plan(bool inMepPlan, RolloutStatus status)
    {
        Assert.Equal(status, SchoolRollout.Start(Guid.NewGuid(), inMepPlan, Now).Status);
    }

    [Fact]
    public void A_connection_is_recorded_with_its_line_and_costs()
    {
        var rollout = SchoolRollout.Start(Guid.NewGuid(), true, Now);

        rollout.ChangeConnection(Line(BroadbandStatus.Connected), Now.AddDays(1));

        Assert.Equal((BroadbandStatus.Connected, "Stadt Hannover", 180m, "KN-LIND", Now.AddDays(1)),
            (rollout.BroadbandStatus, rollout.BroadbandProvider, rollout.BroadbandMonthlyCost, rollout.BackboneNode, rollout.UpdatedAt));
    }

    [Fact]
    public void A_planned_line_needs_no_provider_yet()
    {
        var rollout = SchoolRollout.Start(Guid.NewGuid(), true, Now);

        rollout.ChangeConnection(Line(BroadbandStatus.Planned, kind: null, bandwidth: null, provider: null), Now);

        Assert.Equal(BroadbandStatus.Planned, rollout.BroadbandStatus);
    }

    [Theory]
    [InlineData(BroadbandStatus.Ordered)]
    [InlineData(BroadbandStatus.Connected)]
    public void An_ordered_or_connected_line_without_a_provider_is_refused(BroadbandStatus status)
    {
        var rollout = SchoolRollout.Start(Guid.NewGuid(), true, Now);

        var refused = Assert.Throws<DomainRuleException>(() => rollout.ChangeConnection(Line(status, provider: null), Now));

        Assert.Equal("broadband-order-needs-line", refused.Rule);
    }

    [Fact]
    public void An_ordered_line_without_its_kind_is_refused()
    {
        var rollout = SchoolRollout.Start(Guid.NewGuid(), true, Now);

        Assert.Equal("broadband-order-needs-line",
            Assert.Throws<DomainRuleException>(() => rollout.ChangeConnection(Line(BroadbandStatus.Ordered, kind: null), Now)).Rule);
    }

    [Fact]
    public void An_ordered_line_without_its_bandwidth_is_refused()
    {
        var rollout = SchoolRollout.Start(Guid.NewGuid(), true, Now);

        Assert.Equal("broadband-order-needs-line",
            Assert.Throws<DomainRuleException>(() => rollout.ChangeConnection(Line(BroadbandStatus.Ordered, bandwidth: null), Now)).Rule);
    }

    [Fact]
    public void The_derived_status_is_dated_only_when_it_changes()
    {
        var rollout = SchoolRollout.Start(Guid.NewGuid(), true, Now);

        rollout.RecordStatus(RolloutStatus.Planned, Now.AddDays(1));
        rollout.RecordStatus(RolloutStatus.Surveyed, Now.AddDays(2));

        Assert.Equal((RolloutStatus.Surveyed, Now.AddDays(2)), (rollout.Status, rollout.UpdatedAt));
    }
}
