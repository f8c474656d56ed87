using System.Net;
using Mep.ServiceDefaults.Errors;

namespace Mep.Funding.Tests;

/// <summary>Applications (measures): the surcharge apart, the lifecycle with its dated history, ETags, and who sees what.</summary>
public sealed class ApplicationTests(FundingOnADay funding) : IClassFixture<FundingOnADay>
{
    private FundingApi Api => funding.Api;

    [Fact]
    public async Task A_draft_of_100000_shows_the_20000_surcharge_apart_and_a_total_of_120000()
    {
        funding.SetDay(2023, 3, 1);
        var school = await Api.SchoolAsync();

        var created = await FundingApi.SendOkAsync(Api.Planner, HttpMethod.Post, "/api/funding/applications", Measures.Draft(school, 100_000.00m));
        var read = await FundingApi.GetOkAsync(Api.Finance, $"/api/funding/applications/{created.GetProperty("id").GetGuid()}");

        Assert.Equal((100_000.00m, 20_000.00m, 120_000.00m, "draft"), (read.GetProperty("plannedAmount").GetDecimal(),
            read.GetProperty("surchargeAmount").GetDecimal(), read.GetProperty("plannedTotal").GetDecimal(), read.GetProperty("status").GetString()));
        Assert.Equal((0m, 0m), (read.GetProperty("drawnAmount").GetDecimal(), read.GetProperty("remaining").GetDecimal()));
        var history = read.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(("draft", "2023-03-01", "planner-paula"), (history.Single().GetProperty("to").GetString(),
            history.Single().GetProperty("onDay").GetString(), history.Single().GetProperty("actor").GetString()));
        Assert.Equal(100_000.00m, await Api.Database.ScalarAsync<decimal>(
            $"SELECT planned_amount FROM applications WHERE id = '{created.GetProperty("id").GetGuid()}' AND surcharge_amount = 20000.00 AND drawn_amount = 0"));
    }

    [Fact]
    public async Task The_lifecycle_runs_from_draft_to_completed_each_step_dated_and_signed_and_published()
    {
        funding.SetDay(2023, 3, 1);
        var school = await Api.SchoolAsync();
        var id = await Measures.DraftAsync(Api.Planner, Measures.Draft(school, 50_000.00m));

        await Measures.StepAsync(Api.Finance, id, "submit");
        funding.SetDay(2023, 4, 3);
        await Measures.StepAsync(Api.Finance, id, "approve", new { approvedAmount = 55_000.00m });
        funding.SetDay(2023, 5, 2);
        await Measures.StepAsync(Api.Finance, id, "start");
        funding.SetDay(2023, 9, 29);
        var completed = await Measures.StepAsync(Api.Finance, id, "complete");

        Assert.Equal(("completed", "2023-03-01", "2023-04-03", 55_000.00m), (completed.GetProperty("status").GetString(),
            completed.GetProperty("submittedOn").GetString(), completed.GetProperty("approvedOn").GetString(), completed.GetProperty("approvedAmount").GetDecimal()));
        Assert.False(completed.GetProperty("firstComeFirstServed").GetBoolean());
        Assert.Equal(["-> draft 2023-03-01", "draft -> submitted 2023-03-01", "submitted -> approved 2023-04-03", "approved -> inProgress 2023-05-02",
                "inProgress -> completed 2023-09-29"],
            completed.GetProperty("history").EnumerateArray().Select(h =>
                $"{(h.GetProperty("from").GetString() is { } from ? from + " " : "")}-> {h.GetProperty("to").GetString()} {h.GetProperty("onDay").GetString()}"));
        Assert.Equal(4, await Measures.CountAsync(Api, "outbox_messages",
            $"message_type = 'Mep.Contracts.Funding.ApplicationStatusChanged' AND aggregate_id = '{id}'"));
        Assert.Equal(5, await Measures.CountAsync(Api, "audit_entries", $"entity = 'application' AND entity_id = '{id}'"));
    }

    [Fact]
    public async Task A_transition_the_lifecycle_does_not_have_is_a_409_that_changes_nothing()
    {
        funding.SetDay(2023, 3, 1);
        var school = await Api.SchoolAsync();
        var id = await Measures.DraftAsync(Api.Planner, Measures.Draft(school));
        var before = await Measures.RowsAsync(Api);

        var approvingADraft = await Measures.TryStepAsync(Api.Finance, id, "approve", new { approvedAmount = 1_000.00m });
        var completingADraft = await Measures.TryStepAsync(Api.Finance, id, "complete");
        var rejectingADraft = await Measures.TryStepAsync(Api.Finance, id, "reject", new { reason = "no" });

        foreach (var response in new[] { approvingADraft, completingADraft, rejectingADraft })
        {
            var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.Conflict);
            Assert.Equal("invalid-status-transition", problem.GetProperty("rule").GetString());
        }

        Assert.Equal(before, await Measures.RowsAsync(Api));
        Assert.Equal("draft", (await FundingApi.GetOkAsync(Api.Finance, $"/api/funding/applications/{id}")).GetProperty("status").GetString());
    }

    private static object Revision => new
    {
        category = "displayDevices", title = "Boards in Raum 101-104", description = (string?)null, plannedAmount = 12_345.67m,
        measureStart = "2022-10-01", conceptReference = "MEK-2020-03",
    };

    /// <summary>A draft of 10,000.00: its path and the ETag it was read with.</summary>
    private async Task<(Guid Id, string Path, string ETag)> DraftAsync()
    {
        funding.SetDay(2023, 3, 1);
        var school = await Api.SchoolAsync();
        var id = await Measures.DraftAsync(Api.Planner, Measures.Draft(school, 10_000.00m));
        var path = $"/api/funding/applications/{id}";
        return (id, path, (await FundingApi.GetOkAsync(Api.Planner, path)).GetProperty("eTag").GetString()!);
    }

    [Fact]
    public async Task Revising_a_draft_without_if_match_is_a_428()
    {
        var (_, path, _) = await DraftAsync();

        var withoutIfMatch = await FundingApi.SendAsync(Api.Planner, HttpMethod.Put, path, Revision);

        await withoutIfMatch.AssertProblemAsync(HttpStatusCode.PreconditionRequired, ProblemTypes.PreconditionRequired);
    }

    [Fact]
    public async Task A_draft_revised_with_its_current_etag_shows_the_new_amounts()
    {
        var (_, path, etag) = await DraftAsync();

        var revised = await FundingApi.SendOkAsync(Api.Planner, HttpMethod.Put, path, Revision, ifMatch: etag);

        // 12,345.67 x 0.2 = 2,469.134 -> 2,469.13.
        Assert.Equal((12_345.67m, 2_469.13m, 14_814.80m, "displayDevices"), (revised.GetProperty("plannedAmount").GetDecimal(),
            revised.GetProperty("surchargeAmount").GetDecimal(), revised.GetProperty("plannedTotal").GetDecimal(), revised.GetProperty("category").GetString()));
    }

    [Fact]
    public async Task Revising_a_draft_with_a_stale_etag_is_a_412()
    {
        var (_, path, etag) = await DraftAsync();
        await FundingApi.SendOkAsync(Api.Planner, HttpMethod.Put, path, Revision, ifMatch: etag);

        var stale = await FundingApi.SendAsync(Api.Planner, HttpMethod.Put, path, Revision, ifMatch: etag);

        await stale.AssertProblemAsync(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
    }

    [Fact]
    public async Task A_submitted_application_is_not_revised()
    {
        var (id, path, _) = await DraftAsync();
        var submitted = await Measures.StepAsync(Api.Finance, id, "submit");

        var afterSubmission = await FundingApi.SendAsync(Api.Planner, HttpMethod.Put, path, Revision, ifMatch: submitted.GetProperty("eTag").GetString());

        var problem = await afterSubmission.AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.Conflict);
        Assert.Equal("invalid-status-transition", problem.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task A_school_key_reads_only_its_own_schools_applications()
    {
        funding.SetDay(2023, 3, 1);
        var school = await Api.SchoolAsync();
        var other = await Api.SchoolAsync();
        var own = await Measures.DraftAsync(Api.Planner, Measures.Draft(school));
        var foreign = await Measures.DraftAsync(Api.Planner, Measures.Draft(other));
        var key = Api.ClientFor(school);

        var ownRead = await FundingApi.GetOkAsync(key, $"/api/funding/applications/{own}");
        var foreignRead = await key.GetAsync($"/api/funding/applications/{foreign}");
        var foreignDraws = await key.GetAsync($"/api/funding/applications/{foreign}/draws");
        var foreignInvoices = await key.GetAsync($"/api/funding/applications/{foreign}/expenditures");
        var list = await FundingApi.GetOkAsync(key, "/api/funding/applications?pageSize=200");
        var listOfOther = await key.GetAsync($"/api/funding/applications?schoolId={other.Id}");

        Assert.Equal(school.Id, ownRead.GetProperty("schoolId").GetGuid());
        await foreignRead.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await foreignDraws.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await foreignInvoices.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Equal([own], list.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetGuid()));
        await listOfOther.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task A_school_key_writes_no_application()
    {
        funding.SetDay(2023, 3, 1);
        var school = await Api.SchoolAsync();
        var own = await Measures.DraftAsync(Api.Planner, Measures.Draft(school));
        var key = Api.ClientFor(school);

        var drafting = await FundingApi.SendAsync(key, HttpMethod.Post, "/api/funding/applications", Measures.Draft(school));
        var submitting = await Measures.TryStepAsync(key, own, "submit");

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (drafting.StatusCode, submitting.StatusCode));
        Assert.Equal("draft", (await FundingApi.GetOkAsync(Api.Finance, $"/api/funding/applications/{own}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_list_filters_by_school_programme_status_and_category_and_pages()
    {
        funding.SetDay(2023, 3, 1);
        var school = await Api.SchoolAsync();
        // A minute between drafts: the list is newest first, and drafts made in the same instant have no order of their own.
        var wlan = await Measures.DraftAsync(Api.Planner, Measures.Draft(school, 1_000.00m));
        funding.Clock.Set(funding.Clock.GetUtcNow().AddMinutes(1));
        var boards = await Measures.DraftAsync(Api.Planner, Measures.Draft(school, 2_000.00m, category: "displayDevices"));
        funding.Clock.Set(funding.Clock.GetUtcNow().AddMinutes(1));
        var submitted = await Measures.DraftAsync(Api.Planner, Measures.Draft(school, 3_000.00m, category: "displayDevices"));
        await Measures.StepAsync(Api.Finance, submitted, "submit");

        var drafts = await FundingApi.GetOkAsync(Api.Finance, $"/api/funding/applications?schoolId={school.Id}&status=draft");
        var boardDrafts = await FundingApi.GetOkAsync(Api.Finance,
            $"/api/funding/applications?schoolId={school.Id}&programme={Measures.DigitalPakt}&status=draft&category=displayDevices");
        var firstPage = await FundingApi.GetOkAsync(Api.Finance, $"/api/funding/applications?schoolId={school.Id}&page=1&pageSize=2");

        Assert.Equal([boards, wlan], drafts.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetGuid()));
        Assert.Equal([boards], boardDrafts.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetGuid()));
        Assert.Equal((3, 2, 2), (firstPage.GetProperty("totalItems").GetInt32(), firstPage.GetProperty("totalPages").GetInt32(),
            firstPage.GetProperty("items").GetArrayLength()));
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_the_fields_and_stores_nothing()
    {
        funding.SetDay(2023, 3, 1);
        var school = await Api.SchoolAsync();
        var before = await Measures.RowsAsync(Api);

        var missing = await FundingApi.SendAsync(Api.Planner, HttpMethod.Post, "/api/funding/applications",
            new { schoolId = school.Id, programmeCode = Measures.DigitalPakt, category = "schoolWlan", title = " ", plannedAmount = -5m });
        var fractionOfCent = await FundingApi.SendAsync(Api.Planner, HttpMethod.Post, "/api/funding/applications",
            Measures.Draft(school, 100.001m));
        var unknownField = await Api.Planner.PostAsync("/api/funding/applications", Json.Raw(
            $$"""{"schoolId":"{{school.Id}}","programmeCode":"{{Measures.DigitalPakt}}","category":"schoolWlan","title":"x","plannedAmount":1,"measureStart":"2022-01-01","status":"approved"}"""));
        var unknownCategory = await Api.Planner.PostAsync("/api/funding/applications", Json.Raw(
            $$"""{"schoolId":"{{school.Id}}","programmeCode":"{{Measures.DigitalPakt}}","category":"coffee","title":"x","plannedAmount":1,"measureStart":"2022-01-01"}"""));
        var badFilter = await Api.Finance.GetAsync("/api/funding/applications?status=paid&pageSize=1000");

        var problem = await missing.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.Equal(["measureStart", "plannedAmount", "title"], problem.ErrorFields());
        Assert.Equal(["plannedAmount"], (await fractionOfCent.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownCategory.StatusCode);
        Assert.Equal(["pageSize", "status"], (await badFilter.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
        Assert.Equal(before, await Measures.RowsAsync(Api));
    }
}
