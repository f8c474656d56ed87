using Mep.Contracts.Assets;
using Mep.Contracts.Support;
using Mep.Support.Repairs;

namespace Mep.Support.Tests;

/// <summary>The payer rules alone (no database): the first rule that applies wins, each with its reason and its day.</summary>
public sealed class RepairPayerRulesTests
{
    private static readonly DateOnly On = new(2026, 11, 2);
    private static readonly ModelWarranty[] Warranties = [new("Apple", "iPad 10", 12)];

    private static RepairDeviceFacts Tablet(TabletOwnership ownership, DateOnly? purchased = null, DateOnly? warrantyEnd = null, string? model = "iPad 10") =>
        new(DeviceKind.Tablet, ownership, ownership == TabletOwnership.ParentFinancedPupil ? "GfdB" : null, "Apple", model, warrantyEnd, purchased);

    private static PayerDecision Decide(RepairDeviceFacts device, decimal budgetLeft = 0m) =>
        RepairPayerRules.Decide(device, RepairTerms.DefaultStatutoryLiabilityMonths, Warranties, On, budgetLeft);

    [Fact]
    public void A_parent_financed_tablet_is_the_parents_provider_even_under_warranty()
    {
        var decision = Decide(Tablet(TabletOwnership.ParentFinancedPupil, warrantyEnd: new DateOnly(2027, 1, 1)), budgetLeft: 500m);

        Assert.Equal((RepairPayer.ParentsProvider, "parents-contract", (DateOnly?)null), (decision.Payer, decision.Rule, decision.RuleDate));
        Assert.Contains("GfdB", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_devices_own_warranty_covers_up_to_its_last_day()
    {
        var decision = Decide(Tablet(TabletOwnership.SchoolClassSet, warrantyEnd: On));

        Assert.Equal((RepairPayer.ManufacturerWarranty, "device-warranty", (DateOnly?)On), (decision.Payer, decision.Rule, decision.RuleDate));
    }

    [Fact]
    public void The_models_warranty_runs_its_months_from_the_purchase_in_any_spelling_of_the_model()
    {
        var decision = Decide(Tablet(TabletOwnership.Teacher, purchased: new DateOnly(2025, 11, 3), model: " ipad 10 "));

        Assert.Equal((RepairPayer.ManufacturerWarranty, "model-warranty", (DateOnly?)new DateOnly(2026, 11, 3)),
            (decision.Payer, decision.Rule, decision.RuleDate));
    }

    [Fact]
    public void The_sellers_liability_follows_once_the_model_warranty_has_ended()
    {
        var decision = Decide(Tablet(TabletOwnership.Teacher, purchased: new DateOnly(2025, 11, 1)));

        Assert.Equal((RepairPayer.SellerLiability, "seller-liability", (DateOnly?)new DateOnly(2027, 11, 1)),
            (decision.Payer, decision.Rule, decision.RuleDate));
    }

    [Fact]
    public void A_term_from_the_last_day_of_a_month_ends_on_the_last_day_of_a_shorter_month()
    {
        var decision = RepairPayerRules.Decide(Tablet(TabletOwnership.Loan, purchased: new DateOnly(2024, 2, 29), model: "Other"), 24, Warranties,
            new DateOnly(2026, 2, 28), 0m);

        Assert.Equal((RepairPayer.SellerLiability, (DateOnly?)new DateOnly(2026, 2, 28)), (decision.Payer, decision.RuleDate));
    }

    [Fact]
    public void No_statutory_months_in_the_terms_is_no_sellers_liability_even_on_the_day_of_purchase()
    {
        var decision = RepairPayerRules.Decide(Tablet(TabletOwnership.Loan, purchased: On, model: "Other"), 0, Warranties, On, 0m);

        Assert.Equal(RepairPayer.City, decision.Payer);
    }

    [Fact]
    public void The_statutory_months_are_the_terms_not_a_constant()
    {
        var decision = RepairPayerRules.Decide(Tablet(TabletOwnership.Loan, purchased: new DateOnly(2025, 9, 1), model: "Other"), 12, Warranties, On, 0m);

        Assert.Equal(RepairPayer.City, decision.Payer);
    }

    [Fact]
    public void Out_of_warranty_a_school_with_budget_left_pays_through_the_contractor()
    {
        var decision = Decide(Tablet(TabletOwnership.SchoolClassSet, purchased: new DateOnly(2020, 1, 1)), budgetLeft: 0.01m);

        Assert.Equal((RepairPayer.SchoolSystemSupportBudget, "school-budget"), (decision.Payer, decision.Rule));
    }

    [Fact]
    public void Out_of_warranty_with_the_schools_budget_spent_the_city_pays()
    {
        var decision = Decide(Tablet(TabletOwnership.SchoolClassSet, purchased: new DateOnly(2020, 1, 1)), budgetLeft: 0m);

        Assert.Equal((RepairPayer.City, "city"), (decision.Payer, decision.Rule));
    }

    [Fact]
    public void A_device_without_purchase_date_or_warranty_is_a_paid_repair()
    {
        var decision = Decide(Tablet(TabletOwnership.Teacher), budgetLeft: 10m);

        Assert.Equal(RepairPayer.SchoolSystemSupportBudget, decision.Payer);
        Assert.StartsWith("No purchase date or warranty", decision.Reason, StringComparison.Ordinal);
    }
}
