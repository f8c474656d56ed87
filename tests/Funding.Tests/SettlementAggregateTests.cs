using Mep.Contracts.Schools;
using Mep.Funding.Applications;
using Mep.Funding.Programmes;
using Mep.ServiceDefaults.Errors;

namespace Mep.Funding.Tests;

/// <summary>Settling a completed measure (FundingApplication.Settle) under DigitalPakt's rules, on the domain types alone.</summary>
public sealed class SettlementAggregateTests
{
    private static readonly DateTimeOffset Now = new(2024, 10, 15, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Approval = new(2023, 3, 1);
    private static readonly DateOnly ProofOfUseDay = new(2024, 9, 30);
    private static readonly DateOnly Today = new(2024, 10, 15);
    private static readonly Programme DigitalPakt = InMemoryProgrammes.DigitalPakt();

    private static FundingApplication Completed(bool withProofOfUse = true)
    {
        var application = FundingApplication.Draft(Guid.NewGuid(),
            new ApplicationDraft("digitalpakt-2019-ni", SpendingCategory.SchoolWlan, "WLAN Hauptgebäude", null, 10_000m, new DateOnly(2023, 2, 1), "MEK-2022"),
            DigitalPakt, "planner-paula", Now);
        application.Submit(DigitalPakt, new SubmissionFacts(MediaConceptStatus.RequirementProfile, null), Approval, "planner-paula", Now);
        application.Approve(12_000m, DigitalPakt, Approval, "finance-frank", Now);
        application.Start(Approval, "planner-paula", Now);
        application.Complete(ProofOfUseDay, "planner-paula", Now);
        if (withProofOfUse)
        {
            application.RecordProofOfUse(ProofOfUseDay, "VN-2024-017", 11_870.40m, Now);
        }

        return application;
    }

    [Fact]
    public void A_settlement_records_its_day_and_closes_the_measure()
    {
        var application = Completed();

        application.Settle(DigitalPakt, MediaConceptStatus.FullConcept, Today, Today, "finance-frank", Now);

        Assert.Equal((ApplicationStatus.Settled, Today), (application.Status, application.SettledOn));
    }

    [Fact]
    public void A_settlement_dated_after_the_programmes_settlement_day_is_refused_naming_it()
    {
        var refused = Assert.Throws<DomainRuleException>(() =>
            Completed().Settle(DigitalPakt, MediaConceptStatus.FullConcept, new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 1), "finance-frank", Now));

        Assert.Equal(("settlement-deadline", new DateOnly(2024, 12, 31)), (refused.Rule, refused.Extensions["deadline"]));
    }

    [Fact]
    public void A_settlement_recorded_after_the_settlement_day_is_refused_even_when_dated_before_it()
    {
        var refused = Assert.Throws<DomainRuleException>(() =>
            Completed().Settle(DigitalPakt, MediaConceptStatus.FullConcept, Today, new DateOnly(2025, 1, 2), "finance-frank", Now));

        Assert.Equal("settlement-deadline", refused.Rule);
    }

    [Fact]
    public void A_settlement_dated_before_the_proof_of_use_is_refused()
    {
        var refused = Assert.Throws<DomainRuleException>(() =>
            Completed().Settle(DigitalPakt, MediaConceptStatus.FullConcept, ProofOfUseDay.AddDays(-1), Today, "finance-frank", Now));

        Assert.Equal("settlement-before-proof-of-use", refused.Rule);
    }

    [Fact]
    public void A_settlement_without_a_proof_of_use_is_refused_where_the_programme_requires_one()
    {
        var application = Completed(withProofOfUse: false);

        var refused = Assert.Throws<DomainRuleException>(() =>
            application.Settle(DigitalPakt, MediaConceptStatus.FullConcept, Today, Today, "finance-frank", Now));

        Assert.Equal(("settlement-needs-proof-of-use", ApplicationStatus.Completed), (refused.Rule, application.Status));
    }

    [Fact]
    public void A_programme_that_requires_no_proof_of_use_settles_without_one()
    {
        var noProofNeeded = InMemoryProgrammes.DigitalPakt(rules => rules with { Settlement = rules.Settlement with { ProofOfUseRequired = false } });
        var application = Completed(withProofOfUse: false);

        application.Settle(noProofNeeded, MediaConceptStatus.FullConcept, Today, Today, "finance-frank", Now);

        Assert.Equal(ApplicationStatus.Settled, application.Status);
    }

    [Fact]
    public void A_settlement_before_the_school_has_its_full_media_concept_is_refused()
    {
        var refused = Assert.Throws<DomainRuleException>(() =>
            Completed().Settle(DigitalPakt, MediaConceptStatus.RequirementProfile, Today, Today, "finance-frank", Now));

        Assert.Equal("settlement-needs-media-concept", refused.Rule);
    }

    [Fact]
    public void A_programme_that_requires_no_full_media_concept_settles_a_school_with_none_on_record()
    {
        var noConceptNeeded = InMemoryProgrammes.DigitalPakt(rules => rules with { Settlement = rules.Settlement with { FullMediaConceptRequired = false } });
        var application = Completed();

        application.Settle(noConceptNeeded, null, Today, Today, "finance-frank", Now);

        Assert.Equal(ApplicationStatus.Settled, application.Status);
    }
}
