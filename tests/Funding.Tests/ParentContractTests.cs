using Mep.Funding.Subsidies;
using SubsidyCategory = Mep.Contracts.Assets.SubsidyCategory;

namespace Mep.Funding.Tests;

/// <summary>When a parents' tablet contract runs, and so is subsidised (ParentContract, ParentPurchase), on the records alone.</summary>
public sealed class ParentContractTests
{
    private static ParentContract ThirtySixMonths(DateOnly? endedOn = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), SubsidyCategory.ButAsylbLG, MonthlyRate: 10.90m, Months: 36, Start: new DateOnly(2023, 8, 15), endedOn);

    [Fact]
    public void A_contract_runs_from_its_start_month_through_its_last_month()
    {
        var contract = ThirtySixMonths();

        Assert.Equal((true, true), (contract.RunsIn(2023, 8), contract.RunsIn(2026, 7)));
    }

    [Fact]
    public void A_contract_does_not_run_before_its_start_month_or_after_its_last_month()
    {
        var contract = ThirtySixMonths();

        Assert.Equal((false, false), (contract.RunsIn(2023, 7), contract.RunsIn(2026, 8)));
    }

    [Fact]
    public void A_contract_ended_on_the_first_of_a_month_still_runs_in_that_month_and_not_after()
    {
        var contract = ThirtySixMonths(endedOn: new DateOnly(2024, 3, 1));

        Assert.Equal((true, false), (contract.RunsIn(2024, 3), contract.RunsIn(2024, 4)));
    }

    [Fact]
    public void On_a_census_day_a_contract_runs_until_the_day_before_it_ended()
    {
        var contract = ThirtySixMonths(endedOn: new DateOnly(2024, 3, 10));

        Assert.Equal((true, false), (contract.RunsOn(new DateOnly(2024, 3, 9)), contract.RunsOn(new DateOnly(2024, 3, 10))));
    }

    [Fact]
    public void On_a_census_day_a_contract_runs_from_its_start_day()
    {
        var contract = ThirtySixMonths();

        Assert.Equal((false, true), (contract.RunsOn(new DateOnly(2023, 8, 14)), contract.RunsOn(new DateOnly(2023, 8, 15))));
    }

    [Fact]
    public void An_outright_purchase_is_subsidised_in_the_month_it_was_bought_only()
    {
        var purchase = new ParentPurchase(Guid.NewGuid(), Guid.NewGuid(), SubsidyCategory.Sibling, Price: 392.40m, PurchasedOn: new DateOnly(2023, 9, 30));

        Assert.Equal((true, false), (purchase.In(2023, 9), purchase.In(2023, 10)));
    }
}
