using Mep.Contracts.Schools;
using Mep.Funding.Applications;
using Mep.Funding.Programmes;
using Mep.ServiceDefaults.Errors;

namespace Mep.Funding.Tests;

/// <summary>The application's own rules, on the domain type alone: no database, no HTTP (the API tests cover the way there).</summary>
public sealed class FundingApplicationAggregateTests
{
    private static readonly DateTimeOffset Now = new(2023, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2023, 3, 1);
    private static readonly Programme DigitalPakt = InMemoryProgrammes.DigitalPakt();
    private static readonly SubmissionFacts ProfileOnRecord = new(MediaConceptStatus.RequirementProfile, null);

    private static ApplicationDraft Wlan(decimal planned = 10_000m) =>
        new("digitalpakt-2019-ni", SpendingCategory.SchoolWlan, "WLAN Hauptgebäude", null, planned, new DateOnly(2023, 2, 1), "MEK-2022");

    private static ApplicationDraft Tablets(decimal planned, DateOnly measureStart) =>
        new("digitalpakt-2019-ni", SpendingCategory.MobileDevices, "Leihtablets", null, planned, measureStart, "MEK-2022");

    private static FundingApplication Drafted(decimal planned = 10_000m, decimal surchargeRate = 0.1m) => FundingApplication.Draft(Guid.NewGuid(),
        Wlan(planned), InMemoryProgrammes.DigitalPakt(rules => rules with { SafetySurchargeRate = surchargeRate }), "planner-paula", Now);

    private static FundingApplication Approved(decimal amount = 10_000m)
    {
        var application = Drafted();
        application.Submit(DigitalPakt, ProfileOnRecord, Today, "planner-paula", Now);
        application.Approve(amount, DigitalPakt, Today, "finance-frank", Now);
        return application;
    }

    private static FundingApplication InProgress(decimal drawn = 0m)
    {
        var application = Approved();
        if (drawn > 0)
        {
            application.RecordDraw(drawn, Today, DigitalPakt, Today, Now);
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
        application.Submit(DigitalPakt, ProfileOnRecord, Today, "planner-paula", Now);
        application.Approve(9_000m, DigitalPakt, Today, "finance-frank", Now);

        Assert.Equal((11_000m, 9_000m), (before, application.Committed));
    }

    [Fact]
    public void A_submitted_application_is_no_longer_revised()
    {
        var application = Drafted();
        application.Submit(DigitalPakt, ProfileOnRecord, Today, "planner-paula", Now);

        var refused = Assert.Throws<DomainRuleException>(application.EnsureRevisable);

        Assert.Equal(("invalid-status-transition", true), (refused.Rule, refused.IsStateConflict));
    }

    [Fact]
    public void Submitting_records_the_day_and_the_first_come_first_served_window()
    {
        var application = Drafted();
        var afterTheAuthoritysDeadline = new DateOnly(2023, 7, 3);

        var change = application.Submit(DigitalPakt, ProfileOnRecord, afterTheAuthoritysDeadline, "planner-paula", Now);

        Assert.Equal((ApplicationStatus.Submitted, afterTheAuthoritysDeadline, true, ApplicationStatus.Draft, "firstComeFirstServed"),
            (application.Status, application.SubmittedOn, application.FirstComeFirstServed, change.FromStatus, change.Note));
    }

    [Fact]
    public void An_approval_above_the_planned_total_is_refused_and_the_application_stays_submitted()
    {
        var application = Drafted();
        application.Submit(DigitalPakt, ProfileOnRecord, Today, "planner-paula", Now);

        var refused = Assert.Throws<DomainRuleException>(() => application.Approve(11_000.01m, DigitalPakt, Today, "finance-frank", Now));

        Assert.Equal(("approval-exceeds-planned-total", ApplicationStatus.Submitted), (refused.Rule, application.Status));
    }

    [Fact]
    public void A_draft_is_not_approved()
    {
        var refused = Assert.Throws<DomainRuleException>(() => Drafted().Approve(1_000m, DigitalPakt, Today, "finance-frank", Now));

        Assert.Equal("invalid-status-transition", refused.Rule);
    }

    [Fact]
    public void An_approved_application_with_money_drawn_is_no_longer_withdrawn()
    {
        var application = Approved();
        application.RecordDraw(1_000m, Today, DigitalPakt, Today, Now);

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
        submitted.Submit(DigitalPakt, ProfileOnRecord, Today, "planner-paula", Now);
        var completed = InProgress();
        completed.Complete(Today, "planner-paula", Now);
        var settled = InProgress();
        settled.Complete(Today, "planner-paula", Now);
        settled.RecordProofOfUse(Today, "VN-1", 0m, Now);
        settled.Settle(DigitalPakt, MediaConceptStatus.FullConcept, Today, Today, "finance-frank", Now);

        Assert.Equal((false, true, true, true, false), (submitted.MayDraw, Approved().MayDraw, InProgress().MayDraw, completed.MayDraw, settled.MayDraw));
    }

    [Fact]
    public void A_draw_lowers_what_remains_of_the_approved_amount()
    {
        var application = Approved(8_000m);

        application.RecordDraw(3_000m, Today, DigitalPakt, Today, Now);

        Assert.Equal((3_000m, 5_000m), (application.DrawnAmount, application.Remaining));
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
        var refused = Assert.Throws<DomainRuleException>(() =>
            InProgress().Settle(DigitalPakt, MediaConceptStatus.FullConcept, Today, Today, "finance-frank", Now));

        Assert.Equal(("invalid-status-transition", true), (refused.Rule, refused.IsStateConflict));
    }

    [Fact]
    public void A_draft_in_a_category_the_programme_does_not_fund_is_refused()
    {
        var runningCosts = Wlan() with { Category = SpendingCategory.RunningCosts };

        var refused = Assert.Throws<DomainRuleException>(() => FundingApplication.Draft(Guid.NewGuid(), runningCosts, DigitalPakt, "planner-paula", Now));

        Assert.Equal("category-not-eligible", refused.Rule);
    }

    [Fact]
    public void A_draft_for_a_measure_started_before_the_programme_funds_measures_is_refused_naming_the_first_day()
    {
        var tooEarly = Wlan() with { MeasureStart = new DateOnly(2019, 5, 16) };

        var refused = Assert.Throws<DomainRuleException>(() => FundingApplication.Draft(Guid.NewGuid(), tooEarly, DigitalPakt, "planner-paula", Now));

        Assert.Equal(("measure-started-too-early", new DateOnly(2019, 5, 17)), (refused.Rule, refused.Extensions["measuresFrom"]));
    }

    [Fact]
    public void A_mobile_device_draft_started_before_mobile_devices_became_eligible_is_refused()
    {
        var beforeCorona = Tablets(10_000m, new DateOnly(2020, 3, 25));

        var refused = Assert.Throws<DomainRuleException>(() => FundingApplication.Draft(Guid.NewGuid(), beforeCorona, DigitalPakt, "planner-paula", Now));

        Assert.Equal(("mobile-devices-not-yet-eligible", new DateOnly(2020, 3, 26)), (refused.Rule, refused.Extensions["eligibleFrom"]));
    }

    [Fact]
    public void A_revision_the_programme_does_not_fund_is_refused_and_the_draft_keeps_its_content()
    {
        var application = Drafted();

        var refused = Assert.Throws<DomainRuleException>(() =>
            application.Revise(Wlan() with { Category = SpendingCategory.Maintenance }, DigitalPakt, Now));

        Assert.Equal(("category-not-eligible", SpendingCategory.SchoolWlan), (refused.Rule, application.Category));
    }

    [Fact]
    public void A_submission_before_the_authoritys_deadline_is_not_first_come_first_served()
    {
        var application = Drafted();

        application.Submit(DigitalPakt, ProfileOnRecord, new DateOnly(2023, 6, 30), "planner-paula", Now);

        Assert.False(application.FirstComeFirstServed);
    }

    [Fact]
    public void A_submission_after_the_first_come_first_served_window_is_refused_naming_its_last_day()
    {
        var application = Drafted();

        var refused = Assert.Throws<DomainRuleException>(() =>
            application.Submit(DigitalPakt, ProfileOnRecord, new DateOnly(2024, 5, 16), "planner-paula", Now));

        Assert.Equal(("application-deadline", new DateOnly(2024, 5, 15), ApplicationStatus.Draft),
            (refused.Rule, refused.Extensions["deadline"], application.Status));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(MediaConceptStatus.None)]
    public void A_submission_of_a_school_without_a_requirement_profile_is_refused(MediaConceptStatus? concept)
    {
        var refused = Assert.Throws<DomainRuleException>(() =>
            Drafted().Submit(DigitalPakt, new SubmissionFacts(concept, null), Today, "planner-paula", Now));

        Assert.Equal("application-needs-requirement-profile", refused.Rule);
    }

    [Fact]
    public void A_programme_that_asks_for_no_requirement_profile_takes_a_school_without_one()
    {
        var noProfileNeeded = InMemoryProgrammes.DigitalPakt(rules => rules with { Settlement = rules.Settlement with { RequirementProfileToApply = false } });
        var application = Drafted();

        application.Submit(noProfileNeeded, new SubmissionFacts(null, null), Today, "planner-paula", Now);

        Assert.Equal(ApplicationStatus.Submitted, application.Status);
    }

    [Fact]
    public void A_mobile_device_submission_above_the_cap_per_school_is_refused_with_the_figures()
    {
        var tablets = FundingApplication.Draft(Guid.NewGuid(), Tablets(20_000m, Today), DigitalPakt, "planner-paula", Now);
        var facts = ProfileOnRecord with { MobileDevices = new MobileDeviceCommitments(School: 1_000.01m, Authority: 1_000.01m) };

        var refused = Assert.Throws<DomainRuleException>(() => tablets.Submit(DigitalPakt, facts, Today, "planner-paula", Now));

        Assert.Equal(("mobile-device-cap-per-school", 25_000m, 1_000.01m, 24_000m),
            (refused.Rule, refused.Extensions["cap"], refused.Extensions["committed"], refused.Extensions["requested"]));
    }

    [Fact]
    public void A_mobile_device_submission_above_the_authoritys_share_of_the_pool_is_refused_with_the_cap()
    {
        var tablets = FundingApplication.Draft(Guid.NewGuid(), Tablets(20_000m, Today), DigitalPakt, "planner-paula", Now);
        var facts = ProfileOnRecord with { MobileDevices = new MobileDeviceCommitments(School: 0m, Authority: 4_013_367.21m) };

        var refused = Assert.Throws<DomainRuleException>(() => tablets.Submit(DigitalPakt, facts, Today, "planner-paula", Now));

        Assert.Equal(("mobile-device-cap-per-authority", 4_037_367.20m), (refused.Rule, refused.Extensions["cap"]));
    }

    [Fact]
    public void A_mobile_device_submission_that_reaches_both_caps_exactly_is_taken()
    {
        var tablets = FundingApplication.Draft(Guid.NewGuid(), Tablets(20_000m, Today), DigitalPakt, "planner-paula", Now);
        var facts = ProfileOnRecord with { MobileDevices = new MobileDeviceCommitments(School: 1_000m, Authority: 4_013_367.20m) };

        tablets.Submit(DigitalPakt, facts, Today, "planner-paula", Now);

        Assert.Equal(ApplicationStatus.Submitted, tablets.Status);
    }

    [Fact]
    public void An_approval_after_the_programmes_last_approval_day_is_refused_naming_it()
    {
        var application = Drafted();
        application.Submit(DigitalPakt, ProfileOnRecord, Today, "planner-paula", Now);

        var refused = Assert.Throws<DomainRuleException>(() => application.Approve(10_000m, DigitalPakt, new DateOnly(2024, 5, 16), "finance-frank", Now));

        Assert.Equal(("approval-deadline", new DateOnly(2024, 5, 15), ApplicationStatus.Submitted),
            (refused.Rule, refused.Extensions["deadline"], application.Status));
    }
}
