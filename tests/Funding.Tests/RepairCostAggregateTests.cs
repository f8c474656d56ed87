using Mep.Contracts.Support;
using Mep.Funding.Lending;

namespace Mep.Funding.Tests;

/// <summary>Who bears a repair's cost, on the types alone: the city's money against others'.</summary>
public sealed class RepairCostAggregateTests
{
    [Fact]
    public void Only_the_city_and_the_schools_system_support_budget_are_city_money()
    {
        Assert.Equal([RepairPayer.SchoolSystemSupportBudget, RepairPayer.City], Enum.GetValues<RepairPayer>().Where(RepairPayers.IsCityMoney));
    }

    [Fact]
    public void Figures_sum_every_payer_in_a_fixed_order_with_zeros_and_split_the_citys_money_from_others()
    {
        var school = Guid.NewGuid();

        var figures = RepairCostFigures.Of([
            new RepairCostSum(school, RepairPayer.ParentsProvider, 2, 1, 80.00m, 0m),
            new RepairCostSum(school, RepairPayer.SchoolSystemSupportBudget, 3, 2, 150.25m, 2.5m),
            new RepairCostSum(Guid.NewGuid(), RepairPayer.SchoolSystemSupportBudget, 1, 1, 10.00m, 0.5m),
        ]);

        Assert.Equal((160.25m, 80.00m, 240.25m, 3.0m), (figures.CityMoney, figures.OtherMoney, figures.Total, figures.ContractorHours));
        Assert.Equal(Enum.GetValues<RepairPayer>(), figures.ByPayer.Select(p => p.Payer));
        Assert.Equal(new PayerCosts(RepairPayer.SchoolSystemSupportBudget, true, 4, 3, 160.25m, 3.0m), figures.For(RepairPayer.SchoolSystemSupportBudget));
        Assert.Equal(new PayerCosts(RepairPayer.SellerLiability, false, 0, 0, 0m, 0m), figures.For(RepairPayer.SellerLiability));
    }
}
