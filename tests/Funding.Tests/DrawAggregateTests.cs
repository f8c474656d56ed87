using Mep.Contracts.Schools;
using Mep.Funding.Applications;
using Mep.Funding.Programmes;
using Mep.Funding.Spending;
using Mep.ServiceDefaults.Errors;

namespace Mep.Funding.Tests;

/// <summary>Drawing money (Mittelabruf) against an application (Draw.Against, FundingApplication.RecordDraw), on the domain types alone.</summary>
public sealed class DrawAggregateTests
{
    private static readonly DateTimeOffset Now = new(2023, 5, 10, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly ApprovedOn = new(2023, 4, 3);
    private static readonly DateOnly Today = new(2023, 5, 10);
    private static readonly Programme DigitalPakt = InMemoryProgrammes.DigitalPakt();

    private static FundingApplication Submitted()
    {
        var application = FundingApplication.Draft(Guid.NewGuid(),
            new ApplicationDraft("digitalpakt-2019-ni", SpendingCategory.Networking, "Verkabelung", null, 50_000m, new DateOnly(2023, 2, 1), "MEK-2022"),
            DigitalPakt, "planner-paula", Now);
        application.Submit(DigitalPakt, new SubmissionFacts(MediaConceptStatus.RequirementProfile, null), ApprovedOn.AddDays(-30), "planner-paula", Now);
        return application;
    }

    private static FundingApplication Approved(decimal amount = 24_000m)
    {
        var application = Submitted();
        application.Approve(amount, DigitalPakt, ApprovedOn, "finance-frank", Now);
        return application;
    }

    private static Draw DrawOn(FundingApplication application, decimal amount, DateOnly drawnOn, DateOnly? today = null) =>
        Draw.Against(application, DigitalPakt, amount, drawnOn, today ?? Today, "NB-2023-0042", "finance-frank", Now);

    [Fact]
    public void A_draw_is_recorded_for_the_applications_school_and_programme()
    {
        var application = Approved();

        var draw = DrawOn(application, 7_500.50m, Today);

        Assert.Equal((application.Id, application.SchoolId, "digitalpakt-2019-ni", 7_500.50m, Today, "NB-2023-0042"),
            (draw.ApplicationId, draw.SchoolId, draw.ProgrammeCode, draw.Amount, draw.DrawnOn, draw.Reference));
    }

    [Fact]
    public void A_draw_on_an_application_not_yet_approved_is_refused()
    {
        var refused = Assert.Throws<DomainRuleException>(() => DrawOn(Submitted(), 1_000m, Today));

        Assert.Equal("draw-needs-approval", refused.Rule);
    }

    [Fact]
    public void A_draw_dated_before_the_approval_is_refused()
    {
        var refused = Assert.Throws<DomainRuleException>(() => DrawOn(Approved(), 1_000m, ApprovedOn.AddDays(-1)));

        Assert.Equal("draw-outside-approval", refused.Rule);
    }

    [Fact]
    public void A_draw_dated_after_today_is_refused()
    {
        var refused = Assert.Throws<DomainRuleException>(() => DrawOn(Approved(), 1_000m, Today.AddDays(1)));

        Assert.Equal("draw-outside-approval", refused.Rule);
    }

    [Fact]
    public void A_draw_after_the_programmes_settlement_day_is_refused_naming_it()
    {
        var lateDay = new DateOnly(2025, 1, 2);

        var refused = Assert.Throws<DomainRuleException>(() => DrawOn(Approved(), 1_000m, lateDay, today: lateDay));

        Assert.Equal(("draw-after-settlement-deadline", new DateOnly(2024, 12, 31)), (refused.Rule, refused.Extensions["deadline"]));
    }

    [Fact]
    public void A_draw_above_what_remains_is_refused_with_the_approved_drawn_and_remaining_amounts()
    {
        var application = Approved(45_000m);
        DrawOn(application, 30_000m, Today);

        var refused = Assert.Throws<DomainRuleException>(() => DrawOn(application, 15_000.01m, Today));

        Assert.Equal(("draw-exceeds-approved", 15_000m, 45_000m, 30_000m),
            (refused.Rule, refused.Extensions["remaining"], refused.Extensions["approvedAmount"], refused.Extensions["drawnAmount"]));
    }

    [Fact]
    public void A_refused_draw_leaves_the_drawn_amount_as_it_was()
    {
        var application = Approved(10_000m);

        Assert.Throws<DomainRuleException>(() => DrawOn(application, 10_000.01m, Today));

        Assert.Equal((0m, 10_000m), (application.DrawnAmount, application.Remaining));
    }

    [Fact]
    public void The_last_of_the_approved_amount_may_be_drawn()
    {
        var application = Approved(10_000m);

        DrawOn(application, 10_000m, Today);

        Assert.Equal(0m, application.Remaining);
    }
}
