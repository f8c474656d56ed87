using Mep.Funding.Allocations;
using Mep.Funding.Programmes;
using Mep.ServiceDefaults.Domain;
using Mep.ServiceDefaults.Errors;

namespace Mep.Funding.Tests;

/// <summary>
/// The programme's own rules, on the domain type alone: its rules' dates, which pots may move, the base amount per school. The rules it
/// judges an application's steps by are tested with the steps (FundingApplicationAggregateTests, SettlementAggregateTests, ...).
/// </summary>
public sealed class ProgrammeAggregateTests
{
    private static readonly DateTimeOffset Now = new(2023, 5, 10, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Rules_with_a_date_outside_the_calculation_window_are_refused()
    {
        var programme = InMemoryProgrammes.DigitalPakt();
        var rules = InMemoryProgrammes.DigitalPaktRules with
        {
            Dates = InMemoryProgrammes.DigitalPaktRules.Dates with { SettlementUntil = new DateOnly(2101, 1, 1) },
        };

        var refused = Assert.Throws<DomainRuleException>(() => programme.ChangeRules(programme.Name, programme.Source, rules, "finance-frank", Now));

        Assert.Equal((CalculationWindow.Rule, new DateOnly(2024, 12, 31)), (refused.Rule, programme.Rules.Dates.SettlementUntil));
    }

    [Fact]
    public void A_base_amount_bound_to_its_school_does_not_move()
    {
        var refused = Assert.Throws<DomainRuleException>(() => InMemoryProgrammes.DigitalPakt().EnsureMovable(AllocationPot.Base));

        Assert.Equal("base-amount-bound-to-school", refused.Rule);
    }

    [Fact]
    public void A_base_amount_not_bound_to_its_school_may_move()
    {
        var unbound = InMemoryProgrammes.DigitalPakt(rules => rules with { BaseAmount = rules.BaseAmount! with { BoundToSchool = false } });

        var exception = Record.Exception(() => unbound.EnsureMovable(AllocationPot.Base));

        Assert.Null(exception);
    }

    [Fact]
    public void A_programme_without_a_base_amount_has_none_to_move()
    {
        var withoutBase = InMemoryProgrammes.DigitalPakt(rules => rules with { BaseAmount = null });

        var refused = Assert.Throws<DomainRuleException>(() => withoutBase.EnsureMovable(AllocationPot.Base));

        Assert.Equal("programme-without-base-amount", refused.Rule);
    }

    [Fact]
    public void A_programme_without_a_per_pupil_share_has_none_to_move()
    {
        var withoutShare = InMemoryProgrammes.DigitalPakt(rules => rules with { PerPupilShare = null });

        var refused = Assert.Throws<DomainRuleException>(() => withoutShare.EnsureMovable(AllocationPot.PerPupilShare));

        Assert.Equal("programme-without-per-pupil-share", refused.Rule);
    }

    [Fact]
    public void A_programme_without_a_per_pupil_share_has_none_to_distribute()
    {
        var withoutShare = InMemoryProgrammes.DigitalPakt(rules => rules with { PerPupilShare = null });

        var refused = Assert.Throws<DomainRuleException>(withoutShare.RequirePerPupilShare);

        Assert.Equal("programme-without-per-pupil-share", refused.Rule);
    }

    [Fact]
    public void A_programme_with_a_per_pupil_share_gives_its_pool_to_distribute()
    {
        Assert.Equal(17_216_836.00m, InMemoryProgrammes.DigitalPakt().RequirePerPupilShare().Pool);
    }

    [Theory]
    [InlineData(60, 30_000)]
    [InlineData(412, 30_000)]
    [InlineData(59, 29_500)]
    [InlineData(0, 0)]
    public void The_base_amount_is_the_amount_per_school_from_60_pupils_and_500_per_pupil_below(int pupils, decimal expected)
    {
        Assert.Equal(expected, InMemoryProgrammes.DigitalPaktRules.BaseAmount!.For(pupils));
    }

    [Fact]
    public void Mobile_devices_count_against_the_cap_and_other_categories_do_not()
    {
        var programme = InMemoryProgrammes.DigitalPakt();

        Assert.Equal((true, false), (programme.CapsMobileDevices(SpendingCategory.MobileDevices), programme.CapsMobileDevices(SpendingCategory.SchoolWlan)));
    }
}
