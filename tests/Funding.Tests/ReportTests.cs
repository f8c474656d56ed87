using System.Net;
using System.Text.Json;
using Mep.Contracts;
using Mep.Funding.Deadlines;

namespace Mep.Funding.Tests;

/// <summary>The per-school report on a fixed day (see <see cref="ReportCity"/>): sums, open amounts, risks, CSV, who may read it.</summary>
public sealed class ReportTests(FundingOnADay funding) : IClassFixture<FundingOnADay>
{
    private FundingApi Api => funding.Api;

    private static JsonElement Row(JsonElement report, Guid school) =>
        report.GetProperty("schools").EnumerateArray().Single(s => s.GetProperty("schoolId").GetGuid() == school);

    private static List<(string Deadline, string Day, int DaysLeft, decimal Amount, bool Lapsed)> Risks(JsonElement row) =>
        [.. row.GetProperty("risks").EnumerateArray().Select(r => (r.GetProperty("deadline").GetString()!, r.GetProperty("day").GetString()!,
            r.GetProperty("daysLeft").GetInt32(), r.GetProperty("amount").GetDecimal(), r.GetProperty("lapsed").GetBoolean()))];

    [Fact]
    public async Task A_schools_row_sums_allocated_applied_approved_spent_and_drawn_and_names_each_deadline_with_money_open()
    {
        var (a, b) = await ReportCity.SetUpAsync(funding, "Linden-Limmer");

        var report = await FundingApi.GetOkAsync(Api.Finance, "/api/funding/reports/schools?programme=digitalpakt-2019-ni&district=Linden-Limmer");

        Assert.Equal(("2024-10-15", 2), (report.GetProperty("day").GetString(), report.GetProperty("schools").GetArrayLength()));
        var row = Row(report, a.Id);
        Assert.Equal((30_000.00m, 25_000.00m, 18_000.00m, 5_000.00m, 12_345.67m, 10_000.00m),
            (row.GetProperty("allocated").GetDecimal(), row.GetProperty("applied").GetDecimal(), row.GetProperty("approved").GetDecimal(),
                row.GetProperty("pendingApproval").GetDecimal(), row.GetProperty("spent").GetDecimal(), row.GetProperty("drawn").GetDecimal()));
        Assert.Equal((5_000.00m, 8_000.00m, 3), (row.GetProperty("notYetApplied").GetDecimal(), row.GetProperty("approvedNotDrawn").GetDecimal(),
            row.GetProperty("applications").GetInt32()));
        Assert.Equal((25_000.00m, 30_000.00m, 18_000.00m), (row.GetProperty("appliedNet").GetDecimal(), row.GetProperty("appliedGross").GetDecimal(),
            row.GetProperty("approvedGross").GetDecimal()));
        Assert.Equal([("firstComeFirstServedUntil", "2024-05-15", -153, 5_000.00m, true), ("approvalsUntil", "2024-05-15", -153, 5_000.00m, true),
            ("settlementUntil", "2024-12-31", 77, 8_000.00m, false)], Risks(row));
        Assert.Equal([("firstComeFirstServedUntil", "2024-05-15", -153, 30_000.00m, true)], Risks(Row(report, b.Id)));
        var totals = report.GetProperty("totals");
        Assert.Equal((60_000.00m, 25_000.00m, 18_000.00m, 12_345.67m, 10_000.00m, 2, 48_000.00m),
            (totals.GetProperty("allocated").GetDecimal(), totals.GetProperty("applied").GetDecimal(), totals.GetProperty("approved").GetDecimal(),
                totals.GetProperty("spent").GetDecimal(), totals.GetProperty("drawn").GetDecimal(), totals.GetProperty("schoolsAtRisk").GetInt32(),
                totals.GetProperty("amountAtRisk").GetDecimal()));
        Assert.Equal((25_000.00m, 30_000.00m, 18_000.00m), (totals.GetProperty("appliedNet").GetDecimal(), totals.GetProperty("appliedGross").GetDecimal(),
            totals.GetProperty("approvedGross").GetDecimal()));
    }

    [Fact]
    public async Task The_csv_export_is_for_german_excel_with_a_row_per_school_and_net_and_gross_named()
    {
        var (a, _) = await ReportCity.SetUpAsync(funding, "Südstadt-Bult");

        var csv = await Api.Finance.GetAsync("/api/funding/reports/schools.csv?programme=digitalpakt-2019-ni&district=Südstadt-Bult");

        var lines = await ExportFiles.CsvLinesAsync(csv);
        Assert.Equal(3, lines.Length);
        Assert.Equal("Schulnummer;Schule;Stadtbezirk;Schulform;Sockelbetrag;Pro-Schüler-Anteil;Zuweisung;Beantragt (netto);Beantragt (brutto);"
            + "Bewilligt (brutto);In Bewilligung (netto);Ausgegeben;Abgerufen;Noch nicht beantragt (netto);Bewilligt, nicht abgerufen (brutto);Anträge;"
            + "Gefährdet;Risiken", lines[0]);
        Assert.Contains($"{a.Number};GY Testschule {a.Number};Südstadt-Bult;GY;30000,00;0,00;30000,00;25000,00;30000,00;18000,00;5000,00;12345,67;"
            + "10000,00;5000,00;8000,00;3;ja;\"Antragsfrist (Windhundverfahren) 15.05.2024: 5.000,00 EUR (abgelaufen); Bewilligungsfrist 15.05.2024: "
            + "5.000,00 EUR (abgelaufen); Abrechnungsfrist 31.12.2024: 8.000,00 EUR\"", lines);
        Assert.Equal(("Förderbericht_digitalpakt-2019-ni_Südstadt-Bult_2024-10-15.csv", "Foerderbericht_digitalpakt-2019-ni_Suedstadt-Bult_2024-10-15.csv"),
            ExportFiles.FileName(csv));
    }

    [Fact]
    public async Task A_district_with_an_emoji_names_the_file_as_stored_and_writes_the_emoji_as_an_underscore_in_the_ascii_name()
    {
        funding.SetDay(2024, 10, 15);
        await Api.SchoolAsync(district: "Kirchrode 😀");

        var csv = await Api.Finance.GetAsync("/api/funding/reports/schools.csv?programme=digitalpakt-2019-ni&district=Kirchrode%20%F0%9F%98%80");

        Assert.Equal(2, (await ExportFiles.CsvLinesAsync(csv)).Length);
        Assert.Equal(("Förderbericht_digitalpakt-2019-ni_Kirchrode 😀_2024-10-15.csv", "Foerderbericht_digitalpakt-2019-ni_Kirchrode __2024-10-15.csv"),
            ExportFiles.FileName(csv));
    }

    [Theory]
    [InlineData("%F0%9F%98%80")]
    [InlineData("%ED%A0%80")]
    [InlineData("%F0%9F")]
    public async Task A_district_no_school_has_an_emoji_or_half_a_character_gives_an_empty_file_named_without_it(string district)
    {
        funding.SetDay(2024, 10, 15);

        var csv = await Api.Finance.GetAsync($"/api/funding/reports/schools.csv?programme=digitalpakt-2019-ni&district={district}");

        Assert.Single(await ExportFiles.CsvLinesAsync(csv));
        Assert.Equal(("Förderbericht_digitalpakt-2019-ni_2024-10-15.csv", "Foerderbericht_digitalpakt-2019-ni_2024-10-15.csv"), ExportFiles.FileName(csv));
    }

    [Fact]
    public async Task The_district_filter_takes_the_district_exactly_as_stored_around_spaces_trimmed()
    {
        var (a, b) = await ReportCity.SetUpAsync(funding, "Herrenhausen-Stöcken");

        var trimmed = await FundingApi.GetOkAsync(Api.Finance, "/api/funding/reports/schools?programme=digitalpakt-2019-ni&district=%20Herrenhausen-St%C3%B6cken%20");
        var otherCase = await FundingApi.GetOkAsync(Api.Finance, "/api/funding/reports/schools?programme=digitalpakt-2019-ni&district=herrenhausen-st%C3%B6cken");

        Assert.Equal(new[] { a.Id, b.Id }.Order(), trimmed.GetProperty("schools").EnumerateArray().Select(s => s.GetProperty("schoolId").GetGuid()).Order());
        Assert.Equal(60_000.00m, trimmed.GetProperty("totals").GetProperty("allocated").GetDecimal());
        Assert.Equal(0, otherCase.GetProperty("schools").GetArrayLength());
    }

    [Fact]
    public async Task The_workbook_export_holds_the_figures_of_the_json_report_as_number_cells_under_german_headers()
    {
        await ReportCity.SetUpAsync(funding, "Misburg-Anderten");
        const string query = "?programme=digitalpakt-2019-ni&district=Misburg-Anderten";

        var json = await FundingApi.GetOkAsync(Api.Finance, $"/api/funding/reports/schools{query}");
        var workbook = await ExportFiles.WorkbookAsync(await Api.Finance.GetAsync($"/api/funding/reports/schools.xlsx{query}"));

        Assert.Equal(["Schulen", "Summen"], workbook.Select(sheet => sheet.Name));
        var schools = workbook[0];
        Assert.Equal(("A2", "A1:R3"), (schools.FrozenAt, schools.Filter));
        Assert.Equal(["Schulnummer", "Schule", "Stadtbezirk", "Schulform", "Sockelbetrag", "Pro-Schüler-Anteil", "Zuweisung", "Beantragt (netto)",
            "Beantragt (brutto)", "Bewilligt (brutto)", "In Bewilligung (netto)", "Ausgegeben", "Abgerufen", "Noch nicht beantragt (netto)",
            "Bewilligt, nicht abgerufen (brutto)", "Anträge", "Gefährdet", "Risiken"], schools.Header);
        foreach (var school in json.GetProperty("schools").EnumerateArray())
        {
            var row = schools.Row(school.GetProperty("number").GetString()!);
            Assert.Equal(Amounts(school, "baseAmount", "perPupilShare", "allocated", "appliedNet", "appliedGross", "approvedGross", "pendingApproval", "spent",
                    "drawn", "notYetApplied", "approvedNotDrawn"),
                [.. new[] { "Sockelbetrag", "Pro-Schüler-Anteil", "Zuweisung", "Beantragt (netto)", "Beantragt (brutto)", "Bewilligt (brutto)",
                    "In Bewilligung (netto)", "Ausgegeben", "Abgerufen", "Noch nicht beantragt (netto)", "Bewilligt, nicht abgerufen (brutto)" }
                    .Select(header => row[header].Number)]);
            Assert.Equal((school.GetProperty("name").GetString(), (decimal)school.GetProperty("applications").GetInt32(), school.GetProperty("atRisk").GetBoolean() ? "ja" : "nein"),
                (row["Schule"].Text, row["Anträge"].Number!.Value, row["Gefährdet"].Text));
            Assert.Equal("#,##0.00\\ \"€\"", row["Zuweisung"].NumberFormat);
        }

        var totals = workbook[1].Row(json.GetProperty("programmeName").GetString()!);
        Assert.Equal(json.GetProperty("day").GetString(), totals["Stichtag"].Day?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Amounts(json.GetProperty("totals"), "allocated", "appliedNet", "appliedGross", "approvedGross"),
            [.. new[] { "Zuweisung", "Beantragt (netto)", "Beantragt (brutto)", "Bewilligt (brutto)" }.Select(header => totals[header].Number)]);
    }

    [Fact]
    public async Task A_school_name_that_starts_like_a_formula_is_text_in_the_csv_and_the_workbook()
    {
        funding.SetDay(2024, 10, 15);
        var school = await Api.SchoolAsync(district: "Bothfeld-Vahrenheide", name: "=HYPERLINK(\"https://example.org\";\"GS\")");
        const string query = "?programme=digitalpakt-2019-ni&district=Bothfeld-Vahrenheide";

        var lines = await ExportFiles.CsvLinesAsync(await Api.Finance.GetAsync($"/api/funding/reports/schools.csv{query}"));
        var workbook = await ExportFiles.WorkbookAsync(await Api.Finance.GetAsync($"/api/funding/reports/schools.xlsx{query}"));

        Assert.StartsWith($"{school.Number};\"'=HYPERLINK(\"\"https://example.org\"\";\"\"GS\"\")\";", lines[1], StringComparison.Ordinal);
        var name = workbook[0].Row(school.Number)["Schule"];
        Assert.Equal(("=HYPERLINK(\"https://example.org\";\"GS\")", false), (name.Text, name.IsFormula));
    }

    private static List<decimal?> Amounts(JsonElement row, params string[] fields) => [.. fields.Select(field => (decimal?)row.GetProperty(field).GetDecimal())];

    [Fact]
    public async Task A_school_key_reads_only_its_own_schools_report()
    {
        var (a, b) = await ReportCity.SetUpAsync(funding, "Vahrenwald-List");

        var own = await FundingApi.GetOkAsync(Api.ClientFor(a), $"/api/funding/reports/schools/{a.Id}");
        var other = await Api.ClientFor(a).GetAsync($"/api/funding/reports/schools/{b.Id}");
        var list = await Api.ClientFor(a).GetAsync("/api/funding/reports/schools?programme=digitalpakt-2019-ni");

        var digitalPakt = own.GetProperty("programmes").EnumerateArray().Single(p => p.GetProperty("programme").GetString() == "digitalpakt-2019-ni");
        Assert.Equal(18_000.00m, digitalPakt.GetProperty("figures").GetProperty("approved").GetDecimal());
        Assert.Equal(7, own.GetProperty("programmes").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
    }

    [Fact]
    public async Task A_report_without_a_programme_is_a_400()
    {
        var missing = await Api.Finance.GetAsync("/api/funding/reports/schools");

        await missing.AssertProblemAsync(HttpStatusCode.BadRequest, ServiceDefaults.Errors.ProblemTypes.MalformedRequest);
    }

    [Fact]
    public async Task A_report_on_an_unknown_programme_is_a_404()
    {
        var unknown = await Api.Finance.GetAsync("/api/funding/reports/schools?programme=digitalpakt-1999");

        await unknown.AssertProblemAsync(HttpStatusCode.NotFound, ServiceDefaults.Errors.ProblemTypes.NotFound);
    }
}

/// <summary>
/// The money the report tests read, set up in March 2023 inside DigitalPakt's windows and read on 15 October 2024, 77 days before the
/// settlement day (31.12.2024), after the application and approval days (15.05.2024) have passed.
/// </summary>
public static class ReportCity
{
    private static object Invoice(string number, decimal amount) =>
        new { vendor = "Bechtle Hannover", invoiceNumber = number, invoiceDate = "2023-06-12", amount, category = "schoolWlan", deviceIds = Array.Empty<Guid>(), rolloutItemIds = Array.Empty<Guid>() };

    /// <summary>
    /// School A (600 pupils, base 30,000.00): an approved measure (20,000.00 planned, 18,000.00 approved, 10,000.00 drawn, 12,345.67
    /// spent), a submitted one (5,000.00) and a draft (1,000.00). School B (600 pupils) has applied for nothing.
    /// </summary>
    public static async Task<(TestSchool A, TestSchool B)> SetUpAsync(FundingOnADay funding, string district)
    {
        funding.SetDay(2023, 3, 1);
        var a = await funding.Api.SchoolAsync(district: district);
        var b = await funding.Api.SchoolAsync(type: SchoolType.GS, district: district);
        var approved = await Measures.ApprovedAsync(funding.Api, a, 20_000.00m, 18_000.00m);
        await FundingApi.SendOkAsync(funding.Api.Finance, HttpMethod.Post, $"/api/funding/applications/{approved}/draws",
            new { amount = 10_000.00m, drawnOn = "2023-03-01", reference = "NBank-1" });
        await FundingApi.SendOkAsync(funding.Api.Finance, HttpMethod.Post, $"/api/funding/applications/{approved}/expenditures", Invoice($"RE-{a.Number}", 12_345.67m));
        var submitted = await Measures.DraftAsync(funding.Api.Planner, Measures.Draft(a, 5_000.00m));
        await Measures.StepAsync(funding.Api.Finance, submitted, "submit");
        await Measures.DraftAsync(funding.Api.Planner, Measures.Draft(a, 1_000.00m));
        funding.SetDay(2024, 10, 15);
        return (a, b);
    }
}

/// <summary>Deadline warnings (DeadlineApproaching) on their own database: exactly once per deadline, window and school.</summary>
public sealed class DeadlineWarningTests(FundingOnADay funding) : IClassFixture<FundingOnADay>
{
    private FundingApi Api => funding.Api;

    [Fact]
    public async Task Deadline_warnings_are_given_once_per_window_even_when_two_replicas_run_at_once_and_again_in_the_next_window()
    {
        var (a, _) = await ReportCity.SetUpAsync(funding, "Ahlem-Badenstedt-Davenstedt");
        var before = await Measures.CountAsync(Api, "outbox_messages", "message_type = 'Mep.Contracts.Funding.DeadlineApproaching'");

        var first = await Task.WhenAll(WarnAsync(), WarnAsync());
        var again = await WarnAsync();
        funding.SetDay(2024, 12, 1);
        var thirtyDays = await WarnAsync();
        funding.SetDay(2024, 12, 2);
        var nextDay = await WarnAsync();

        Assert.Equal((1, 0, 1, 0), (first.Sum(w => w.Warnings), again.Warnings, thirtyDays.Warnings, nextDay.Warnings));
        var warnings = await FundingApi.GetOkAsync(Api.Finance, $"/api/funding/deadline-warnings?schoolId={a.Id}");
        Assert.Equal([("settlementUntil", 30, 30, 8_000.00m), ("settlementUntil", 90, 77, 8_000.00m)],
            warnings.GetProperty("items").EnumerateArray().Select(w => (w.GetProperty("deadline").GetString(), w.GetProperty("windowDays").GetInt32(),
                w.GetProperty("daysLeft").GetInt32(), w.GetProperty("amountAtRisk").GetDecimal())));
        Assert.Equal(before + 2, await Measures.CountAsync(Api, "outbox_messages", "message_type = 'Mep.Contracts.Funding.DeadlineApproaching'"));
    }

    private Task<WarningsGiven> WarnAsync() => WarnAsync(Api);

    /// <summary>Runs the deadline job's work once, as the job does.</summary>
    internal static async Task<WarningsGiven> WarnAsync(FundingApi api)
    {
        await using var scope = api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DeadlineWatch>().WarnAsync(CancellationToken.None);
    }
}

/// <summary>The list of deadline warnings given, on its own database (the warnings are given for every school at once).</summary>
public sealed class DeadlineWarningListTests(FundingOnADay funding) : IClassFixture<FundingOnADay>
{
    private FundingApi Api => funding.Api;

    [Fact]
    public async Task Deadline_warnings_are_paged_newest_first_with_the_total_of_every_page()
    {
        var (a, _) = await ReportCity.SetUpAsync(funding, "Kirchrode-Bemerode-Wülferode");
        await WarnAsync();
        funding.SetDay(2024, 12, 1);
        await WarnAsync();

        var first = await FundingApi.GetOkAsync(Api.Finance, $"/api/funding/deadline-warnings?schoolNumber={a.Number}&pageSize=1");
        var second = await FundingApi.GetOkAsync(Api.Finance, $"/api/funding/deadline-warnings?schoolNumber={a.Number}&pageSize=1&page=2");

        Assert.Equal((30, 1, 1, 2), (first.GetProperty("items").EnumerateArray().Single().GetProperty("windowDays").GetInt32(),
            first.GetProperty("pageNumber").GetInt32(), first.GetProperty("pageSize").GetInt32(), first.GetProperty("totalItems").GetInt32()));
        Assert.Equal((90, 2), (second.GetProperty("items").EnumerateArray().Single().GetProperty("windowDays").GetInt32(),
            second.GetProperty("totalItems").GetInt32()));
    }

    [Fact]
    public async Task The_deadline_warnings_of_a_programme_named_with_spaces_around_are_that_programmes()
    {
        var (a, _) = await ReportCity.SetUpAsync(funding, "Buchholz-Kleefeld");
        await WarnAsync();

        var warnings = await FundingApi.GetOkAsync(Api.Finance, $"/api/funding/deadline-warnings?schoolId={a.Id}&programme=%20digitalpakt-2019-ni%20");

        Assert.Equal(["digitalpakt-2019-ni"], warnings.GetProperty("items").EnumerateArray().Select(w => w.GetProperty("programme").GetString()).Distinct());
    }

    [Fact]
    public async Task The_deadline_warnings_of_an_unknown_programme_are_a_404_as_its_deadline_risks_are()
    {
        var warnings = await Api.Finance.GetAsync("/api/funding/deadline-warnings?programme=digitalpakt-1999");
        var risks = await Api.Finance.GetAsync("/api/funding/applications/deadline-risks?programme=digitalpakt-1999");

        await warnings.AssertProblemAsync(HttpStatusCode.NotFound, ServiceDefaults.Errors.ProblemTypes.NotFound);
        await risks.AssertProblemAsync(HttpStatusCode.NotFound, ServiceDefaults.Errors.ProblemTypes.NotFound);
    }

    private Task<WarningsGiven> WarnAsync() => DeadlineWarningTests.WarnAsync(Api);
}
