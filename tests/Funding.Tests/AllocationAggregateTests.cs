using Mep.Funding.Allocations;
using Mep.ServiceDefaults.Errors;

namespace Mep.Funding.Tests;

/// <summary>Moving and distributing a programme's money between schools (Allocation, PerPupilDistribution), on the domain types alone.</summary>
public sealed class AllocationAggregateTests
{
    private const string Programme = "digitalpakt-2019-ni";
    private static readonly DateTimeOffset Now = new(2023, 5, 10, 9, 0, 0, TimeSpan.Zero);

    private static Allocation WithPerPupilShare(decimal amount)
    {
        var allocation = Allocation.Empty(Programme, Guid.NewGuid(), "finance-frank", Now);
        allocation.SetPerPupilShare(amount, "finance-frank", Now);
        return allocation;
    }

    [Fact]
    public void A_transfer_moves_per_pupil_share_from_one_school_to_the_other()
    {
        var (from, to) = (WithPerPupilShare(50_000m), WithPerPupilShare(10_000m));

        from.TransferTo(to, AllocationPot.PerPupilShare, 12_500.50m, "90001", "finance-frank", Now);

        Assert.Equal((37_499.50m, 22_500.50m), (from.PerPupilShare, to.PerPupilShare));
    }

    [Fact]
    public void A_transfer_moves_base_amount_where_it_is_asked_for()
    {
        var from = Allocation.Empty(Programme, Guid.NewGuid(), "finance-frank", Now);
        from.SetBase(30_000m, 412, "system", Now);
        var to = Allocation.Empty(Programme, Guid.NewGuid(), "finance-frank", Now);

        from.TransferTo(to, AllocationPot.Base, 5_000m, "90001", "finance-frank", Now);

        Assert.Equal((25_000m, 5_000m, 0m), (from.BaseAmount, to.BaseAmount, to.PerPupilShare));
    }

    [Fact]
    public void A_transfer_of_more_than_the_school_has_of_the_pot_is_refused_with_what_it_has()
    {
        var (from, to) = (WithPerPupilShare(1_000m), WithPerPupilShare(0m));

        var refused = Assert.Throws<DomainRuleException>(() => from.TransferTo(to, AllocationPot.PerPupilShare, 1_000.01m, "90001", "finance-frank", Now));

        Assert.Equal(("allocation-insufficient", 1_000m), (refused.Rule, refused.Extensions["available"]));
    }

    [Fact]
    public void A_refused_transfer_moves_nothing()
    {
        var (from, to) = (WithPerPupilShare(1_000m), WithPerPupilShare(0m));

        Assert.Throws<DomainRuleException>(() => from.TransferTo(to, AllocationPot.PerPupilShare, 1_000.01m, "90001", "finance-frank", Now));

        Assert.Equal((1_000m, 0m), (from.PerPupilShare, to.PerPupilShare));
    }

    [Fact]
    public void A_school_without_an_allocation_has_nothing_to_transfer()
    {
        var from = Allocation.Empty(Programme, Guid.NewGuid(), "finance-frank", Now);

        var refused = Assert.Throws<DomainRuleException>(() =>
            from.TransferTo(WithPerPupilShare(0m), AllocationPot.PerPupilShare, 0.01m, "90001", "finance-frank", Now));

        Assert.Equal(("allocation-insufficient", 0m), (refused.Rule, refused.Extensions["available"]));
    }

    [Fact]
    public void A_distribution_naming_a_school_Funding_does_not_know_is_refused_naming_it()
    {
        var (known, unknown) = (Guid.NewGuid(), Guid.NewGuid());

        var refused = Assert.Throws<DomainRuleException>(() => PerPupilDistribution.EnsureSchoolsKnown([known, unknown], [known]));

        Assert.Equal("allocation-school-unknown", refused.Rule);
        Assert.Equal([unknown], Assert.IsAssignableFrom<IEnumerable<Guid>>(refused.Extensions["schoolIds"]));
    }

    [Fact]
    public void A_distribution_among_known_schools_is_accepted()
    {
        var school = Guid.NewGuid();

        var exception = Record.Exception(() => PerPupilDistribution.EnsureSchoolsKnown([school], [school]));

        Assert.Null(exception);
    }
}
