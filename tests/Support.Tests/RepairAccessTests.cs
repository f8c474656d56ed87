using System.Net;
using System.Text.Json;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Errors;

namespace Mep.Support.Tests;

/// <summary>A school's key sees its own school's repair cases and nothing of another school's: list, single, report, CSV, OData.</summary>
public sealed class RepairAccessTests(SupportApi api) : IClassFixture<SupportApi>
{
    private async Task<(TestSchool Own, JsonElement OwnCase, TestSchool Other, JsonElement OtherCase)> TwoSchoolsAsync()
    {
        var own = await api.SchoolAsync();
        var other = await api.SchoolAsync();
        var ownCase = await RepairArrange.OpenAsync(api, own, await RepairArrange.DeviceAsync(api, own, TabletOwnership.Teacher, new DateOnly(2020, 1, 1), null));
        var otherCase = await RepairArrange.OpenAsync(api, other,
            await RepairArrange.DeviceAsync(api, other, TabletOwnership.Teacher, new DateOnly(2020, 1, 1), null));
        await SupportApi.PostOkAsync(api.Agent, $"/api/support/repairs/{otherCase.GetProperty("id").GetGuid()}/costs",
            new { amount = 45.00m, description = "Other school's part", incurredOn = "2026-11-05" });
        return (own, ownCase, other, otherCase);
    }

    [Fact]
    public async Task A_school_lists_only_its_own_repair_cases()
    {
        var (own, ownCase, _, _) = await TwoSchoolsAsync();

        var listed = await SupportApi.GetOkAsync(api.ClientFor(own), "/api/support/repairs?pageSize=200");

        Assert.Equal([ownCase.GetProperty("id").GetGuid()], listed.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task Another_schools_case_answers_404_as_one_nobody_has()
    {
        var (own, _, _, otherCase) = await TwoSchoolsAsync();

        var foreign = await api.ClientFor(own).GetAsync($"/api/support/repairs/{otherCase.GetProperty("id").GetGuid()}");
        var nobodys = await api.ClientFor(own).GetAsync($"/api/support/repairs/{Guid.NewGuid()}");

        var (a, b) = (await foreign.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound),
            await nobodys.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound));
        Assert.Equal(b.GetProperty("detail").GetString(), a.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_school_cannot_work_on_another_schools_case()
    {
        var (own, _, _, otherCase) = await TwoSchoolsAsync();

        var refused = await api.ClientFor(own).PostAsync($"/api/support/repairs/{otherCase.GetProperty("id").GetGuid()}/sent",
            Json.Body(new { sentOn = "2026-11-03", sentTo = "Apple" }));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task A_schools_report_holds_only_its_own_school_and_its_costs()
    {
        var (own, _, _, _) = await TwoSchoolsAsync();

        var report = await SupportApi.GetOkAsync(api.ClientFor(own), "/api/support/repairs/reports/summary?from=2026-01-01&to=2026-12-31");

        Assert.Equal([own.Id], report.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("schoolId").GetGuid()));
        Assert.Equal(0m, report.GetProperty("payers").EnumerateArray().Sum(p => p.GetProperty("costs").GetDecimal()));
    }

    [Fact]
    public async Task A_schools_report_naming_another_school_answers_404()
    {
        var (own, _, other, _) = await TwoSchoolsAsync();

        var refused = await api.ClientFor(own).GetAsync($"/api/support/repairs/reports/summary?schoolId={other.Id}");

        await refused.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task A_schools_csv_holds_only_its_own_rows_in_german()
    {
        var (own, _, other, _) = await TwoSchoolsAsync();

        var lines = await ExportFiles.CsvLinesAsync(await api.ClientFor(own).GetAsync("/api/support/repairs/reports/summary.csv?from=2026-01-01&to=2026-12-31"));

        Assert.StartsWith("Schulnummer;Schule;Hersteller;Modell;Reparatur bei;Kostenträger;Kostenpflichtig;Fälle", lines[0], StringComparison.Ordinal);
        Assert.Equal($"{own.Number};GY Testschule {own.Number};Apple;iPad 10;;Stadt;ja;1;0;0;0;0;0;0,00;0,00", Assert.Single(lines[1..]));
        Assert.DoesNotContain(lines, l => l.Contains(other.Number, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_schools_odata_feed_holds_only_its_own_cases_and_costs()
    {
        var (own, ownCase, _, _) = await TwoSchoolsAsync();

        var cases = await SupportApi.GetOkAsync(api.ClientFor(own), "/api/support/odata/RepairCases?$select=Id,SchoolNumber,Payer");
        var costs = await SupportApi.GetOkAsync(api.ClientFor(own), "/api/support/odata/RepairCosts");

        var row = Assert.Single(cases.GetProperty("value").EnumerateArray());
        Assert.Equal((ownCase.GetProperty("id").GetGuid(), own.Number), (row.GetProperty("Id").GetGuid(), row.GetProperty("SchoolNumber").GetString()));
        Assert.Empty(costs.GetProperty("value").EnumerateArray());
    }

    [Fact]
    public async Task Staff_see_every_schools_cases()
    {
        var (_, ownCase, _, otherCase) = await TwoSchoolsAsync();

        var listed = await SupportApi.GetOkAsync(api.ClientAs(Mep.ServiceDefaults.Auth.PlatformRoles.Finance, "finance-fritz"), "/api/support/repairs?pageSize=200");

        var ids = listed.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ToList();
        Assert.Contains(ownCase.GetProperty("id").GetGuid(), ids);
        Assert.Contains(otherCase.GetProperty("id").GetGuid(), ids);
    }
}
