using System.Net;
using System.Text.Json;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Errors;

namespace Mep.Support.Tests;

/// <summary>
/// A repair's costs land on its payer: amounts recorded on the case, the contractor's hours on its ticket against the school's budget;
/// each tells Funding (RepairCostRecorded); the report separates what the city pays from what warranty and the parents' provider do.
/// </summary>
public sealed class RepairCostTests(SupportApi api) : IClassFixture<SupportApi>
{
    private static string Path(JsonElement repair, string step = "") => $"/api/support/repairs/{repair.GetProperty("id").GetGuid()}{step}";

    /// <summary>At a school not at MEP standard with 500 EUR budget: a parent-financed tablet, a class set tablet out of warranty (on site, the contractor's), one under warranty.</summary>
    private async Task<(TestSchool School, JsonElement Parents, JsonElement Budget, JsonElement Warranty)> ThreeCasesAsync()
    {
        var school = await api.SchoolAsync(atMepStandard: false, rooms: 1);
        await RepairArrange.BudgetAsync(api, school, 500m);
        var parents = await RepairArrange.OpenAsync(api, school,
            await RepairArrange.DeviceAsync(api, school, TabletOwnership.ParentFinancedPupil, new DateOnly(2024, 8, 1), null));
        var budget = await RepairArrange.OpenAsync(api, school,
            await RepairArrange.DeviceAsync(api, school, TabletOwnership.SchoolClassSet, new DateOnly(2020, 1, 1), null), onSite: true);
        var warranty = await RepairArrange.OpenAsync(api, school,
            await RepairArrange.DeviceAsync(api, school, TabletOwnership.Teacher, new DateOnly(2025, 1, 1), new DateOnly(2027, 12, 31)));
        return (school, parents, budget, warranty);
    }

    private async Task RecordCostsAsync(JsonElement parents, JsonElement budget, JsonElement warranty)
    {
        await SupportApi.PostOkAsync(api.Agent, Path(parents, "/costs"), new { amount = 89.90m, description = "Display by the provider", incurredOn = "2026-11-05" });
        await RepairArrange.BookHoursAsync(api, budget, "2026-11-04", 1.5m);
        await SupportApi.PostOkAsync(api.Agent, Path(warranty, "/costs"), new { amount = 120.00m, description = "Logic board (warranty)", incurredOn = "2026-11-06" });
    }

    [Fact]
    public async Task Costs_land_on_their_payer_and_only_the_paid_ones_cost_the_city()
    {
        var (school, parents, budget, warranty) = await ThreeCasesAsync();
        await RecordCostsAsync(parents, budget, warranty);

        var report = await SupportApi.GetOkAsync(api.Agent, $"/api/support/repairs/reports/summary?schoolId={school.Id}&from=2026-01-01&to=2026-12-31");

        var payers = report.GetProperty("payers").EnumerateArray().ToDictionary(p => p.GetProperty("payer").GetString()!,
            p => (p.GetProperty("cases").GetInt32(), p.GetProperty("costs").GetDecimal(), p.GetProperty("contractorHours").GetDecimal(),
                p.GetProperty("costToCity").GetDecimal()));
        // 1.5 h x 58.37 = 87.555 -> 87.56.
        Assert.Equal((1, 89.90m, 0m, 0m), payers["parentsProvider"]);
        Assert.Equal((1, 87.56m, 1.5m, 87.56m), payers["schoolSystemSupportBudget"]);
        Assert.Equal((1, 120.00m, 0m, 0m), payers["manufacturerWarranty"]);
        Assert.Equal((0, 0m, 0m, 0m), payers["city"]);
    }

    [Fact]
    public async Task A_case_shows_its_amounts_and_the_contractors_hours_on_its_ticket()
    {
        var (_, parents, budget, warranty) = await ThreeCasesAsync();
        await RecordCostsAsync(parents, budget, warranty);

        var shown = await SupportApi.GetOkAsync(api.Agent, Path(budget));

        var line = Assert.Single(shown.GetProperty("costs").EnumerateArray());
        Assert.Equal(("contractorHours", "schoolSystemSupportBudget", 87.56m, 1.5m, "2026-11-04"), (line.GetProperty("kind").GetString(),
            line.GetProperty("payer").GetString(), line.GetProperty("amount").GetDecimal(), line.GetProperty("hours").GetDecimal(),
            line.GetProperty("incurredOn").GetString()));
        Assert.Equal((87.56m, 87.56m), (shown.GetProperty("costTotal").GetDecimal(), shown.GetProperty("costToCity").GetDecimal()));
    }

    [Fact]
    public async Task Each_cost_tells_funding_with_its_payer_and_the_contractors_hours()
    {
        var (school, parents, budget, warranty) = await ThreeCasesAsync();
        await RecordCostsAsync(parents, budget, warranty);

        var events = JsonDocument.Parse(await api.Database.ScalarAsync<string>($"""
            SELECT json_agg(body::json ORDER BY sequence)::text FROM outbox_messages WHERE message_type = 'Mep.Contracts.Support.RepairCostRecorded'
            AND aggregate_id IN ('{parents.GetProperty("id").GetGuid()}', '{budget.GetProperty("id").GetGuid()}', '{warranty.GetProperty("id").GetGuid()}')
            """) ?? "[]").RootElement.EnumerateArray().ToList();

        Assert.Equal(
        [
            ("ParentsProvider", 89.90m, null),
            ("SchoolSystemSupportBudget", 87.56m, 1.5m),
            ("ManufacturerWarranty", 120.00m, null),
        ], events.Select(e => (e.GetProperty("payer").GetString(), e.GetProperty("amount").GetDecimal(),
            e.GetProperty("contractorHours").ValueKind == JsonValueKind.Null ? (decimal?)null : e.GetProperty("contractorHours").GetDecimal())));
        Assert.All(events, e => Assert.Equal(school.Id, e.GetProperty("schoolId").GetGuid()));
    }

    [Fact]
    public async Task An_amount_against_the_schools_budget_is_refused_and_nothing_is_stored()
    {
        var (_, _, budget, _) = await ThreeCasesAsync();

        var refused = await api.Agent.PostAsync(Path(budget, "/costs"), Json.Body(new { amount = 50m, description = "Part", incurredOn = "2026-11-05" }));

        var problem = await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal("repair-cost-through-contractor-hours", problem.GetProperty("rule").GetString());
        Assert.Equal(0, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM repair_costs WHERE repair_case_id = '{budget.GetProperty("id").GetGuid()}'"));
    }

    [Theory]
    [InlineData("""{"description": "Part", "incurredOn": "2026-11-05"}""", "amount")]
    [InlineData("""{"amount": 0, "description": "Part", "incurredOn": "2026-11-05"}""", "amount")]
    [InlineData("""{"amount": 10.005, "description": "Part", "incurredOn": "2026-11-05"}""", "amount")]
    [InlineData("""{"amount": 10, "incurredOn": "2026-11-05"}""", "description")]
    public async Task A_cost_without_a_valid_amount_or_description_is_a_400_naming_the_field(string body, string field)
    {
        var (_, parents, _, _) = await ThreeCasesAsync();

        var refused = await api.Agent.PostAsync(Path(parents, "/costs"), Json.Raw(body));

        Assert.Equal([field], (await refused.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }

    [Fact]
    public async Task A_cost_retried_with_its_idempotency_key_answers_the_same_and_is_recorded_once()
    {
        var (_, parents, _, _) = await ThreeCasesAsync();
        var key = Guid.NewGuid().ToString();

        async Task<(HttpStatusCode, string)> PostAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Path(parents, "/costs"))
            {
                Content = Json.Body(new { amount = 49.00m, description = "Charger", incurredOn = "2026-11-05" }),
            };
            request.Headers.Add("Idempotency-Key", key);
            var response = await api.Agent.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var (first, retry) = (await PostAsync(), await PostAsync());

        Assert.Equal(HttpStatusCode.Created, first.Item1);
        Assert.Equal(first, retry);
        Assert.Equal(1, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM repair_costs WHERE repair_case_id = '{parents.GetProperty("id").GetGuid()}'"));
    }
}
