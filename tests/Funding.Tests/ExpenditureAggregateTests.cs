using Mep.Contracts.Schools;
using Mep.Funding.Applications;
using Mep.Funding.Programmes;
using Mep.Funding.Spending;
using Mep.ServiceDefaults.Errors;

namespace Mep.Funding.Tests;

/// <summary>Recording an invoice against an application (Expenditure.Record), on the domain types alone.</summary>
public sealed class ExpenditureAggregateTests
{
    private static readonly DateTimeOffset Now = new(2023, 5, 10, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2023, 5, 10);
    private static readonly Programme DigitalPakt = InMemoryProgrammes.DigitalPakt();
    private static readonly InvoiceHistory NewInvoice = new(AlreadyRecorded: false, DevicesOfSchool: new HashSet<Guid>());

    private static FundingApplication Drafted() => FundingApplication.Draft(Guid.NewGuid(),
        new ApplicationDraft("digitalpakt-2019-ni", SpendingCategory.MobileDevices, "Leihtablets", null, 20_000m, new DateOnly(2023, 2, 1), "MEK-2022"),
        DigitalPakt, "planner-paula", Now);

    private static FundingApplication Submitted()
    {
        var application = Drafted();
        application.Submit(DigitalPakt, new SubmissionFacts(MediaConceptStatus.RequirementProfile, new MobileDeviceCommitments(0m, 0m)), Today,
            "planner-paula", Now);
        return application;
    }

    private static ExpenditureRequest Invoice(SpendingCategory category = SpendingCategory.MobileDevices, IReadOnlyList<Guid>? deviceIds = null) =>
        new(" Bildungstechnik Nord GmbH ", " RE-2023-0815 ", Today, 11_870.40m, category, deviceIds, null);

    [Fact]
    public void An_invoice_is_recorded_with_its_vendor_and_number_trimmed()
    {
        var expenditure = Expenditure.Record(Submitted(), DigitalPakt, Invoice(), NewInvoice, "finance-frank", Now);

        Assert.Equal(("Bildungstechnik Nord GmbH", "RE-2023-0815", 11_870.40m), (expenditure.Vendor, expenditure.InvoiceNumber, expenditure.Amount));
    }

    [Fact]
    public void An_invoice_names_each_of_its_devices_once()
    {
        var tablet = Guid.NewGuid();

        var expenditure = Expenditure.Record(Submitted(), DigitalPakt, Invoice(deviceIds: [tablet, tablet]),
            NewInvoice with { DevicesOfSchool = new HashSet<Guid> { tablet } }, "finance-frank", Now);

        Assert.Equal([tablet], expenditure.DeviceIds);
    }

    [Fact]
    public void An_invoice_adds_its_amount_to_what_the_application_spent()
    {
        var application = Submitted();

        Expenditure.Record(application, DigitalPakt, Invoice(), NewInvoice, "finance-frank", Now);

        Assert.Equal(11_870.40m, application.SpentAmount);
    }

    [Fact]
    public void An_invoice_against_a_draft_is_refused()
    {
        var refused = Assert.Throws<DomainRuleException>(() => Expenditure.Record(Drafted(), DigitalPakt, Invoice(), NewInvoice, "finance-frank", Now));

        Assert.Equal("expenditure-application-not-open", refused.Rule);
    }

    [Fact]
    public void An_invoice_in_a_category_the_programme_does_not_fund_is_refused()
    {
        var refused = Assert.Throws<DomainRuleException>(() =>
            Expenditure.Record(Submitted(), DigitalPakt, Invoice(SpendingCategory.Maintenance), NewInvoice, "finance-frank", Now));

        Assert.Equal("category-not-eligible", refused.Rule);
    }

    [Fact]
    public void An_invoice_in_another_category_than_its_measure_is_refused()
    {
        var refused = Assert.Throws<DomainRuleException>(() =>
            Expenditure.Record(Submitted(), DigitalPakt, Invoice(SpendingCategory.Networking), NewInvoice, "finance-frank", Now));

        Assert.Equal("expenditure-category-mismatch", refused.Rule);
    }

    [Fact]
    public void An_invoice_recorded_before_is_refused_and_adds_nothing()
    {
        var application = Submitted();

        var refused = Assert.Throws<DomainRuleException>(() =>
            Expenditure.Record(application, DigitalPakt, Invoice(), NewInvoice with { AlreadyRecorded = true }, "finance-frank", Now));

        Assert.Equal(("invoice-already-recorded", 0m), (refused.Rule, application.SpentAmount));
    }

    [Fact]
    public void An_invoice_for_devices_not_of_the_applications_school_is_refused_naming_them()
    {
        var (own, foreign) = (Guid.NewGuid(), Guid.NewGuid());

        var refused = Assert.Throws<DomainRuleException>(() => Expenditure.Record(Submitted(), DigitalPakt, Invoice(deviceIds: [own, foreign]),
            NewInvoice with { DevicesOfSchool = new HashSet<Guid> { own } }, "finance-frank", Now));

        Assert.Equal("devices-not-of-school", refused.Rule);
        Assert.Equal([foreign], Assert.IsAssignableFrom<IEnumerable<Guid>>(refused.Extensions["deviceIds"]));
    }
}
