using System.Net;
using Mep.Contracts.Schools;
using Mep.ServiceDefaults.Errors;

namespace Mep.Funding.Tests;

/// <summary>Proof of use and settlement: only a completed measure, with its proof and the school's full concept, by 31.12.2024.</summary>
public sealed class SettlementTests(FundingOnADay funding) : IClassFixture<FundingOnADay>
{
    private FundingApi Api => funding.Api;

    private async Task<Guid> CompletedAsync(TestSchool school)
    {
        funding.SetDay(2023, 3, 1);
        var id = await Measures.ApprovedAsync(Api, school, 10_000.00m, 12_000.00m);
        await Measures.StepAsync(Api.Finance, id, "start");
        await Measures.StepAsync(Api.Finance, id, "complete");
        return id;
    }

    private static object Proof => new { submittedOn = "2024-09-30", documentReference = "VN-2024-017", spentTotal = 11_870.40m };

    [Fact]
    public async Task A_completed_measure_without_its_proof_of_use_is_not_settled()
    {
        var school = await Api.SchoolAsync();
        var id = await CompletedAsync(school);
        funding.SetDay(2024, 10, 15);
        var before = await Measures.RowsAsync(Api);

        var withoutProof = await Measures.TryStepAsync(Api.Finance, id, "settlement", new { settledOn = "2024-10-15" });

        await withoutProof.AssertRuleAsync("settlement-needs-proof-of-use");
        Assert.Equal(before, await Measures.RowsAsync(Api));
    }

    [Fact]
    public async Task A_completed_measure_is_settled_after_its_proof_of_use()
    {
        var school = await Api.SchoolAsync();
        var id = await CompletedAsync(school);
        funding.SetDay(2024, 10, 15);

        var proved = await Measures.StepAsync(Api.Finance, id, "proof-of-use", Proof);
        var settled = await Measures.StepAsync(Api.Finance, id, "settlement", new { settledOn = "2024-10-15" });

        Assert.Equal(("2024-09-30", "VN-2024-017", 11_870.40m), (proved.GetProperty("proofOfUse").GetProperty("submittedOn").GetString(),
            proved.GetProperty("proofOfUse").GetProperty("documentReference").GetString(), proved.GetProperty("proofOfUse").GetProperty("spentTotal").GetDecimal()));
        Assert.Equal(("settled", "2024-10-15"), (settled.GetProperty("status").GetString(), settled.GetProperty("settledOn").GetString()));
        Assert.Equal("completed -> settled 2024-10-15", settled.GetProperty("history").EnumerateArray().Select(h =>
            $"{h.GetProperty("from").GetString()} -> {h.GetProperty("to").GetString()} {h.GetProperty("onDay").GetString()}").Last());
        Assert.Equal(new DateOnly(2024, 10, 15), await Api.Database.ScalarAsync<DateOnly>($"SELECT settled_on FROM applications WHERE id = '{id}'"));
    }

    [Fact]
    public async Task A_school_with_only_a_requirement_profile_is_not_settled()
    {
        var school = await Api.SchoolAsync(concept: MediaConceptStatus.RequirementProfile);
        var id = await CompletedAsync(school);
        funding.SetDay(2024, 10, 15);
        await Measures.StepAsync(Api.Finance, id, "proof-of-use", Proof);
        var before = await Measures.RowsAsync(Api);

        var refused = await Measures.TryStepAsync(Api.Finance, id, "settlement", new { settledOn = "2024-10-15" });

        await refused.AssertRuleAsync("settlement-needs-media-concept");
        Assert.Equal(before, await Measures.RowsAsync(Api));
    }

    [Fact]
    public async Task A_settlement_dated_after_31_december_2024_is_refused_naming_the_deadline()
    {
        var school = await Api.SchoolAsync();
        var id = await CompletedAsync(school);
        funding.SetDay(2025, 1, 5);
        await Measures.StepAsync(Api.Finance, id, "proof-of-use", Proof);
        var before = await Measures.RowsAsync(Api);

        var late = await Measures.TryStepAsync(Api.Finance, id, "settlement", new { settledOn = "2025-01-02" });

        Assert.Equal("2024-12-31", (await late.AssertRuleAsync("settlement-deadline")).GetProperty("deadline").GetString());
        Assert.Equal(before, await Measures.RowsAsync(Api));
    }

    [Fact]
    public async Task A_settlement_recorded_after_31_december_2024_is_refused_even_when_backdated_to_before_it()
    {
        var school = await Api.SchoolAsync();
        var id = await CompletedAsync(school);
        funding.SetDay(2024, 10, 15);
        await Measures.StepAsync(Api.Finance, id, "proof-of-use", Proof);
        funding.SetDay(2025, 3, 1);
        var before = await Measures.RowsAsync(Api);

        var backdated = await Measures.TryStepAsync(Api.Finance, id, "settlement", new { settledOn = "2024-12-31" });

        Assert.Equal("2024-12-31", (await backdated.AssertRuleAsync("settlement-deadline")).GetProperty("deadline").GetString());
        Assert.Equal(before, await Measures.RowsAsync(Api));
    }

    [Fact]
    public async Task A_settlement_dated_before_its_proof_of_use_is_refused()
    {
        var school = await Api.SchoolAsync();
        var id = await CompletedAsync(school);
        funding.SetDay(2024, 10, 15);
        await Measures.StepAsync(Api.Finance, id, "proof-of-use", Proof);
        var before = await Measures.RowsAsync(Api);

        var beforeProof = await Measures.TryStepAsync(Api.Finance, id, "settlement", new { settledOn = "2024-09-29" });

        await beforeProof.AssertRuleAsync("settlement-before-proof-of-use");
        Assert.Equal(before, await Measures.RowsAsync(Api));
    }

    [Fact]
    public async Task A_proof_of_use_that_accounts_for_less_than_was_drawn_is_refused()
    {
        var school = await Api.SchoolAsync();
        funding.SetDay(2023, 3, 1);
        var drawnId = await Measures.ApprovedAsync(Api, school, 10_000.00m, 10_000.00m);
        await FundingApi.SendOkAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{drawnId}/draws",
            new { amount = 9_000.00m, drawnOn = "2023-03-01", reference = "NBank-9" });
        await Measures.StepAsync(Api.Finance, drawnId, "start");
        funding.SetDay(2024, 10, 15);
        var before = await Measures.RowsAsync(Api);

        var belowDrawn = await Measures.TryStepAsync(Api.Finance, drawnId, "proof-of-use",
            new { submittedOn = "2024-09-30", documentReference = "VN-2024-018", spentTotal = 8_999.99m });

        await belowDrawn.AssertRuleAsync("proof-of-use-below-drawn");
        Assert.Equal(before, await Measures.RowsAsync(Api));
    }

    [Fact]
    public async Task Only_a_completed_application_is_settled()
    {
        funding.SetDay(2023, 3, 1);
        var school = await Api.SchoolAsync();
        var id = await Measures.ApprovedAsync(Api, school, 10_000.00m, 10_000.00m);
        var before = await Measures.RowsAsync(Api);

        var refused = await Measures.TryStepAsync(Api.Finance, id, "settlement", new { settledOn = "2023-03-01" });
        var proofOfApproved = await Measures.TryStepAsync(Api.Finance, id, "proof-of-use", new { submittedOn = "2023-03-01", documentReference = "VN", spentTotal = 1m });

        var problem = await refused.AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.Conflict);
        Assert.Equal("invalid-status-transition", problem.GetProperty("rule").GetString());
        Assert.Equal("proof-of-use-needs-running-measure",
            (await proofOfApproved.AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.Conflict)).GetProperty("rule").GetString());
        Assert.Equal(before, await Measures.RowsAsync(Api));
    }
}
