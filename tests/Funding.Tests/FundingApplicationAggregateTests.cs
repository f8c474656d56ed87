using Mep.Funding.Applications;
using Mep.Funding.Programmes;
using Mep.ServiceDefaults.Errors;

namespace Mep.Funding.Tests;

/// <summary>The application's own rules, on the domain type alone: no database, no HTTP (the API tests cover the way there).</summary>
public sealed class FundingApplicationAggregateTests
{
    private static readonly DateTimeOffset Now = new(2023, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2023, 3, 1);

    private static FundingApplication Drafted(decimal planned = 10_000m, decimal surchargeRate = 0.1m) => FundingApplication.Draft(Guid.NewGuid(),
        new ApplicationDraft("digitalpakt", SpendingCategory.SchoolWlan, "WLAN Hauptgebäude", null, planned, new DateOnly(2023, 2, 1), "MEK-2022"),
        surchargeRate, "planner-paula", Now);

    private static FundingApplication Approved(decimal amount = 10_000m)
    {
        var application = Drafted();
        application.Submit(Today, firstComeFirstServed: false, "planner-paula", Now);
        application.Approve(amount, Today, "finance-frank", Now);
        return application;
    }

    private static FundingApplication InProgress(decimal drawn = 0m)
    {
        var application = Approved();
        if (drawn > 0)
        {
            application.RecordDraw(drawn, Now);
        }

        application.Start(Today, "planner-paula", Now);
        return application;
    }

    [Fact]
    public void The_surcharge_is_the_planned_amount_times_the_rate_rounded_to_cents()
    {
        var application = Drafted(planned: 1_234.57m, surchargeRate: 0.1m);

        Assert.Equal((123.46m, 1_358.03m), (application.SurchargeAmount, application.PlannedTotal));
    }

    [Fact]
    public void Before_approval_an_application_commits_its_planned_total_and_after_it_its_approved_amount()
    {
        var application = Drafted();
        var before = application.Committed;
        application.Submit(Today, firstComeFirstServed: false, "planner-paula", Now);
        application.Approve(9_000m, Today, "finance-frank", Now);

        Assert.Equal((11_000m, 9_000m), (before, application.Committed));
    }

    [Fact]
    public void A_submitted_application_is_no_longer_revised()
    {
        var application = Drafted();
        application.Submit(Today, firstComeFirstServed: false, "planner-paula", Now);

        var refused = Assert.Throws<DomainRuleException>(application.EnsureRevisable);

        Assert.Equal(("invalid-status-transition", true), (refused.Rule, refused.IsStateConflict));
    }

    [Fact]
    public void Submitting_records_the_day_and_the_first_come_first_served_window()
    {
        var application = Drafted();

        var change = application.Submit(Today, firstComeFirstServed: true, "planner-paula", Now);

        Assert.Equal((ApplicationStatus.Submitted, Today, true, ApplicationStatus.Draft, "firstComeFirstServed"),
            (application.Status, application.SubmittedOn, application.FirstComeFirstServed, change.FromStatus, change.Note));
    }

    [Fact]
    public void An_approval_above_the_planned_total_is_refused_and_the_application_stays_submitted()
    {
        var application = Drafted();
        application.Submit(Today, firstComeFirstServed: false, "planner-paula", Now);

        var refused = Assert.Throws<DomainRuleException>(() => application.Approve(11_000.01m, Today, "finance-frank", Now));

        Assert.Equal(("approval-exceeds-planned-total", ApplicationStatus.Submitted), (refused.Rule, application.Status));
    }

    [Fact]
    public void A_draft_is_not_approved()
    {
        var refused = Assert.Throws<DomainRuleException>(() => Drafted().Approve(1_000m, Today, "finance-frank", Now));

        Assert.Equal("invalid-status-transition", refused.Rule);
    }

    [Fact]
    public void An_approved_application_with_money_drawn_is_no_longer_withdrawn()
    {
        var application = Approved();
        application.RecordDraw(1_000m, Now);

        var refused = Assert.Throws<DomainRuleException>(() => application.Withdraw("changed plans", Today, "planner-paula", Now));

        Assert.Equal(("withdrawal-after-draw", true), (refused.Rule, refused.IsStateConflict));
    }

    [Fact]
    public void An_approved_application_without_draws_may_be_withdrawn()
    {
        var application = Approved();

        application.Withdraw("changed plans", Today, "planner-paula", Now);

        Assert.Equal(ApplicationStatus.Withdrawn, application.Status);
    }

    [Fact]
    public void Money_is_drawn_from_approval_until_completion_and_not_before_or_after()
    {
        var submitted = Drafted();
        submitted.Submit(Today, firstComeFirstServed: false, "planner-paula", Now);
        var completed = InProgress();
        completed.Complete(Today, "planner-paula", Now);
        var settled = InProgress();
        settled.Complete(Today, "planner-paula", Now);
        settled.Settle(Today, "finance-frank", Now);

        Assert.Equal((false, true, true, true, false), (submitted.MayDraw, Approved().MayDraw, InProgress().MayDraw, completed.MayDraw, settled.MayDraw));
    }

    [Fact]
    public void A_draw_lowers_what_remains_of_the_approved_amount()
    {
        var application = Approved(8_000m);

        application.RecordDraw(3_000m, Now);

        Assert.Equal((3_000m, 5_000m), (application.DrawnAmount, application.Remaining));
    }

    [Fact]
    public void A_draw_beyond_what_remains_is_a_programming_error_the_draw_rules_must_have_refused()
    {
        var application = Approved(8_000m);

        Assert.Throws<InvalidOperationException>(() => application.RecordDraw(8_000.01m, Now));
    }

    [Fact]
    public void A_proof_of_use_needs_a_measure_in_progress_or_completed()
    {
        var refused = Assert.Throws<DomainRuleException>(() => Approved().RecordProofOfUse(Today, "VN-1", 10_000m, Now));

        Assert.Equal(("proof-of-use-needs-running-measure", true), (refused.Rule, refused.IsStateConflict));
    }

    [Fact]
    public void A_proof_of_use_is_not_dated_before_the_approval()
    {
        var refused = Assert.Throws<DomainRuleException>(() => InProgress().RecordProofOfUse(Today.AddDays(-1), "VN-1", 10_000m, Now));

        Assert.Equal("proof-of-use-before-approval", refused.Rule);
    }

    [Fact]
    public void A_proof_of_use_accounts_for_at_least_what_was_drawn()
    {
        var refused = Assert.Throws<DomainRuleException>(() => InProgress(drawn: 5_000m).RecordProofOfUse(Today, "VN-1", 4_999.99m, Now));

        Assert.Equal("proof-of-use-below-drawn", refused.Rule);
    }

    [Fact]
    public void A_proof_of_use_is_recorded_with_its_day_document_and_total()
    {
        var application = InProgress(drawn: 5_000m);

        application.RecordProofOfUse(Today.AddDays(30), "VN-2023-17", 5_000m, Now);

        Assert.Equal((Today.AddDays(30), "VN-2023-17", 5_000m),
            (application.ProofOfUseSubmittedOn, application.ProofOfUseDocument, application.ProofOfUseSpentTotal));
    }

    [Fact]
    public void Only_a_completed_measure_is_settled()
    {
        var refused = Assert.Throws<DomainRuleException>(() => InProgress().Settle(Today, "finance-frank", Now));

        Assert.Equal(("invalid-status-transition", true), (refused.Rule, refused.IsStateConflict));
    }
}
