using System.Net;
using System.Text.Json;
using Mep.ServiceDefaults.Errors;

namespace Mep.Funding.Tests;

/// <summary>Draws (Mittelabruf): never above the approved amount, not even when many come at once; retried safely; published.</summary>
public sealed class DrawTests(FundingOnADay funding) : IClassFixture<FundingOnADay>
{
    private FundingApi Api => funding.Api;

    private static object Draw(decimal amount, string reference = "NBank-2023-0815") => new { amount, drawnOn = "2023-05-10", reference };

    [Fact]
    public async Task Twenty_parallel_draws_of_10000_on_100000_approved_draw_exactly_100000_ten_succeed_and_ten_are_refused()
    {
        funding.SetDay(2023, 5, 10);
        var school = await Api.SchoolAsync();
        var id = await Measures.ApprovedAsync(Api, school, 100_000.00m, 100_000.00m);
        var clients = Enumerable.Range(0, 20).Select(_ => Api.Finance).ToList();

        var answers = await Task.WhenAll(clients.Select((client, i) =>
            FundingApi.SendAsync(client, HttpMethod.Post, $"/api/funding/applications/{id}/draws", Draw(10_000.00m, $"NBank-{i}"))));

        Assert.Equal(10, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(10, answers.Count(a => a.StatusCode == HttpStatusCode.UnprocessableEntity));
        foreach (var refused in answers.Where(a => a.StatusCode == HttpStatusCode.UnprocessableEntity))
        {
            Assert.Equal(0.00m, (await refused.AssertRuleAsync("draw-exceeds-approved")).GetProperty("remaining").GetDecimal());
        }

        Assert.Equal(100_000.00m, await Api.Database.ScalarAsync<decimal>($"SELECT sum(amount) FROM draws WHERE application_id = '{id}'"));
        Assert.Equal(100_000.00m, await Api.Database.ScalarAsync<decimal>($"SELECT drawn_amount FROM applications WHERE id = '{id}'"));
        var read = await FundingApi.GetOkAsync(Api.Finance, $"/api/funding/applications/{id}");
        Assert.Equal((100_000.00m, 0.00m), (read.GetProperty("drawnAmount").GetDecimal(), read.GetProperty("remaining").GetDecimal()));
        Assert.Equal(10, (await FundingApi.GetOkAsync(Api.Finance, $"/api/funding/applications/{id}/draws")).GetArrayLength());
    }

    [Fact]
    public async Task A_draw_above_what_remains_is_refused_with_the_remaining_amount_and_stores_nothing()
    {
        funding.SetDay(2023, 5, 10);
        var school = await Api.SchoolAsync();
        var id = await Measures.ApprovedAsync(Api, school, 50_000.00m, 45_000.00m);
        await FundingApi.SendOkAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{id}/draws", Draw(30_000.00m));
        var before = await Measures.RowsAsync(Api);

        var refused = await FundingApi.SendAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{id}/draws", Draw(15_000.01m));

        var problem = await refused.AssertRuleAsync("draw-exceeds-approved");
        Assert.Equal((15_000.00m, 45_000.00m, 30_000.00m), (problem.GetProperty("remaining").GetDecimal(),
            problem.GetProperty("approvedAmount").GetDecimal(), problem.GetProperty("drawnAmount").GetDecimal()));
        Assert.Equal(before, await Measures.RowsAsync(Api));
        var last = await FundingApi.SendOkAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{id}/draws", Draw(15_000.00m));
        Assert.Equal((45_000.00m, 0.00m), (last.GetProperty("drawnTotal").GetDecimal(), last.GetProperty("remaining").GetDecimal()));
    }

    /// <summary>An approved measure of 10,000.00 and the path to draw on it.</summary>
    private async Task<(Guid Id, string Path)> ApprovedTenThousandAsync()
    {
        funding.SetDay(2023, 5, 10);
        var school = await Api.SchoolAsync();
        var id = await Measures.ApprovedAsync(Api, school, 10_000.00m, 10_000.00m);
        return (id, $"/api/funding/applications/{id}/draws");
    }

    /// <summary>The first draw of 4,000.00 is the only one on the application.</summary>
    private async Task AssertDrawnOnceAsync(Guid id)
    {
        Assert.Equal(1, await Measures.CountAsync(Api, "draws", $"application_id = '{id}'"));
        Assert.Equal(4_000.00m, await Api.Database.ScalarAsync<decimal>($"SELECT drawn_amount FROM applications WHERE id = '{id}'"));
    }

    [Fact]
    public async Task A_retried_draw_with_the_same_idempotency_key_gets_the_same_answer_and_draws_once()
    {
        var (id, path) = await ApprovedTenThousandAsync();
        var key = Guid.NewGuid().ToString();

        var first = await FundingApi.SendAsync(Api.Finance, HttpMethod.Post, path, Draw(4_000.00m), idempotencyKey: key);
        var retry = await FundingApi.SendAsync(Api.Finance, HttpMethod.Post, path, Draw(4_000.00m), idempotencyKey: key);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, retry.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        await AssertDrawnOnceAsync(id);
    }

    [Fact]
    public async Task Another_draw_under_a_used_idempotency_key_is_a_422_and_draws_nothing()
    {
        var (id, path) = await ApprovedTenThousandAsync();
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await FundingApi.SendAsync(Api.Finance, HttpMethod.Post, path, Draw(4_000.00m), idempotencyKey: key)).StatusCode);

        var otherRequestSameKey = await FundingApi.SendAsync(Api.Finance, HttpMethod.Post, path, Draw(1_000.00m), idempotencyKey: key);

        await otherRequestSameKey.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.IdempotencyKeyReused);
        await AssertDrawnOnceAsync(id);
    }

    [Fact]
    public async Task A_draw_puts_funds_drawn_in_the_outbox_and_an_audit_row()
    {
        funding.SetDay(2023, 5, 10);
        var school = await Api.SchoolAsync();
        var id = await Measures.ApprovedAsync(Api, school, 20_000.00m, 24_000.00m);

        var drawn = await FundingApi.SendOkAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{id}/draws", Draw(7_500.50m));

        var drawId = drawn.GetProperty("draw").GetProperty("id").GetGuid();
        var body = await Api.Database.ScalarAsync<string>(
            $"SELECT body::text FROM outbox_messages WHERE message_type = 'Mep.Contracts.Funding.FundsDrawn' AND aggregate_id = '{id}'");
        var evt = JsonDocument.Parse(body!).RootElement;
        Assert.Equal((drawId, school.Id, Measures.DigitalPakt, 7_500.50m, 7_500.50m, 24_000.00m, "2023-05-10"), (evt.GetProperty("drawId").GetGuid(),
            evt.GetProperty("schoolId").GetGuid(), evt.GetProperty("programmeCode").GetString(), evt.GetProperty("amount").GetDecimal(),
            evt.GetProperty("drawnTotal").GetDecimal(), evt.GetProperty("approvedAmount").GetDecimal(), evt.GetProperty("drawnOn").GetString()));
        Assert.Equal(1, await Measures.CountAsync(Api, "audit_entries", $"entity = 'draw' AND entity_id = '{drawId}' AND school_id = '{school.Id}'"));
    }

    [Fact]
    public async Task Money_is_drawn_only_on_approved_applications()
    {
        funding.SetDay(2023, 5, 10);
        var school = await Api.SchoolAsync();
        var submitted = await Measures.DraftAsync(Api.Planner, Measures.Draft(school, 5_000.00m));
        await Measures.StepAsync(Api.Finance, submitted, "submit");
        var before = await Measures.RowsAsync(Api);

        var onSubmitted = await FundingApi.SendAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{submitted}/draws", Draw(1_000.00m));

        await onSubmitted.AssertRuleAsync("draw-needs-approval");
        Assert.Equal(before, await Measures.RowsAsync(Api));
    }

    [Fact]
    public async Task An_application_drawn_on_is_not_withdrawn_while_one_not_drawn_on_is()
    {
        funding.SetDay(2023, 5, 10);
        var school = await Api.SchoolAsync();
        var submitted = await Measures.DraftAsync(Api.Planner, Measures.Draft(school, 5_000.00m));
        await Measures.StepAsync(Api.Finance, submitted, "submit");
        var approved = await Measures.ApprovedAsync(Api, school, 5_000.00m, 5_000.00m);
        await FundingApi.SendOkAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{approved}/draws", Draw(1_000.00m));
        var before = await Measures.RowsAsync(Api);

        var withdrawal = await Measures.TryStepAsync(Api.Finance, approved, "withdraw", new { reason = "school closes" });

        var problem = await withdrawal.AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.Conflict);
        Assert.Equal("withdrawal-after-draw", problem.GetProperty("rule").GetString());
        Assert.Equal(before, await Measures.RowsAsync(Api));
        Assert.Equal("withdrawn", (await Measures.StepAsync(Api.Finance, submitted, "withdraw", new { reason = "merged into another measure" }))
            .GetProperty("status").GetString());
    }

    /// <summary>A school with an approved measure of 5,000.00 and one draw of 1,000.00 on it.</summary>
    private async Task<(TestSchool School, Guid Id)> DrawnOnceAsync()
    {
        funding.SetDay(2023, 5, 10);
        var school = await Api.SchoolAsync();
        var id = await Measures.ApprovedAsync(Api, school, 5_000.00m, 5_000.00m);
        await FundingApi.SendOkAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{id}/draws", Draw(1_000.00m));
        return (school, id);
    }

    [Fact]
    public async Task A_school_key_reads_its_own_draws()
    {
        var (school, id) = await DrawnOnceAsync();

        var own = await FundingApi.GetOkAsync(Api.ClientFor(school), $"/api/funding/applications/{id}/draws");

        Assert.Equal([1_000.00m], own.EnumerateArray().Select(d => d.GetProperty("amount").GetDecimal()));
    }

    [Fact]
    public async Task A_school_key_draws_nothing()
    {
        var (school, id) = await DrawnOnceAsync();
        var before = await Measures.RowsAsync(Api);

        var bySchool = await FundingApi.SendAsync(Api.ClientFor(school), HttpMethod.Post, $"/api/funding/applications/{id}/draws", Draw(1_000.00m));

        Assert.Equal(HttpStatusCode.Forbidden, bySchool.StatusCode);
        Assert.Equal(before, await Measures.RowsAsync(Api));
    }

    [Fact]
    public async Task A_draw_without_an_amount_a_day_or_a_reference_is_a_400_naming_them()
    {
        var (_, id) = await DrawnOnceAsync();
        var before = await Measures.RowsAsync(Api);

        var bad = await FundingApi.SendAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{id}/draws", new { amount = 0m, reference = "" });

        Assert.Equal(["amount", "drawnOn", "reference"], (await bad.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
        Assert.Equal(before, await Measures.RowsAsync(Api));
    }

    [Fact]
    public async Task A_draw_dated_before_its_approval_or_in_the_future_or_made_after_the_settlement_day_is_refused()
    {
        funding.SetDay(2023, 5, 10);
        var school = await Api.SchoolAsync();
        var id = await Measures.ApprovedAsync(Api, school, 50_000.00m, 50_000.00m);
        var before = await Measures.RowsAsync(Api);

        var beforeApproval = await FundingApi.SendAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{id}/draws",
            new { amount = 1_000.00m, drawnOn = "2023-05-09", reference = "NBank-early" });
        var future = await FundingApi.SendAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{id}/draws",
            new { amount = 1_000.00m, drawnOn = "2023-05-11", reference = "NBank-future" });
        funding.SetDay(2025, 1, 2);
        var late = await FundingApi.SendAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{id}/draws",
            new { amount = 1_000.00m, drawnOn = "2024-12-30", reference = "NBank-late" });

        await beforeApproval.AssertRuleAsync("draw-outside-approval");
        await future.AssertRuleAsync("draw-outside-approval");
        Assert.Equal("2024-12-31", (await late.AssertRuleAsync("draw-after-settlement-deadline")).GetProperty("deadline").GetString());
        Assert.Equal(before, await Measures.RowsAsync(Api));
    }
}
