using System.Net;
using System.Text.Json;

namespace Mep.Funding.Tests;

public sealed class CostTableTests(FundingApi api) : IClassFixture<FundingApi>
{
    private const string CouncilPaper = "/api/funding/cost-tables/drucksache-1000-2020";

    private static readonly object CouncilInputs = new
    {
        grantsForInvestment = 783_960.00m, purchaseOfMovableAssets = 4_767_000.00m, usefulLifeYears = 5, personnel = 1_734_000.00m,
        goodsAndServices = 734_400.00m, depreciation = 1_011_900.00m, interest = 71_000.00m,
    };

    [Fact]
    public async Task The_seeded_cost_table_computed_from_its_inputs_reproduces_the_council_paper_exactly()
    {
        var table = await FundingApi.GetOkAsync(api.Finance, CouncilPaper);

        Assert.Equal([783_960.00m, 4_767_000.00m, -3_983_040.00m, 156_792.00m, 1_734_000.00m, 734_400.00m, 1_011_900.00m, 71_000.00m, -3_394_508.00m],
            Lines(table.GetProperty("result")).Select(l => l.GetProperty("amount").GetDecimal()));
        Assert.All(Lines(table.GetProperty("result")), l => Assert.Equal(0.00m, l.GetProperty("difference").GetDecimal()));
        Assert.Equal(0, table.GetProperty("result").GetProperty("printedDisagreements").GetInt32());
        var perYear = table.GetProperty("result").GetProperty("perYear");
        Assert.Equal((156_792.00m, -3_394_508.00m), (perYear.GetProperty("releaseOfSpecialItem").GetDecimal(), perYear.GetProperty("balance").GetDecimal()));
        Assert.Equal(-3_983_040.00m, table.GetProperty("result").GetProperty("investment").GetProperty("balance").GetDecimal());
    }

    [Fact]
    public async Task Computing_without_saving_shows_where_printed_figures_differ()
    {
        var stored = await api.Database.ScalarAsync<long>("SELECT count(*) FROM cost_tables");

        var result = await FundingApi.SendOkAsync(api.Finance, HttpMethod.Post, "/api/funding/cost-tables/compute",
            new { inputs = CouncilInputs, printedFigures = new[] { new { line = "yearBalance", amount = -3_394_500.00m } } });

        var yearBalance = Lines(result).Single(l => l.GetProperty("line").GetString() == "yearBalance");
        Assert.Equal((-3_394_508.00m, -3_394_500.00m, 8.00m), (yearBalance.GetProperty("amount").GetDecimal(), yearBalance.GetProperty("printed").GetDecimal(),
            yearBalance.GetProperty("difference").GetDecimal()));
        Assert.Equal(1, result.GetProperty("printedDisagreements").GetInt32());
        Assert.Equal(stored, await api.Database.ScalarAsync<long>("SELECT count(*) FROM cost_tables"));
    }

    /// <summary>Creates a cost table of the council's inputs under <paramref name="code"/>; its ETag.</summary>
    private async Task<string> CreatedAsync(string code)
    {
        var created = await FundingApi.SendAsync(api.Finance, HttpMethod.Post, "/api/funding/cost-tables",
            new { code, name = "Variant with 3 years", inputs = CouncilInputs });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return created.Headers.ETag!.Tag;
    }

    private Task<JsonElement> ChangeAsync(string code, string etag) =>
        FundingApi.SendOkAsync(api.Finance, HttpMethod.Put, $"/api/funding/cost-tables/{code}",
            new { name = "Variant with 3 years", inputs = new { grantsForInvestment = 100.00m, purchaseOfMovableAssets = 0m, usefulLifeYears = 3,
                personnel = 0m, goodsAndServices = 0m, depreciation = 0m, interest = 0m } }, etag);

    [Fact]
    public async Task A_cost_table_is_created_and_listed()
    {
        await CreatedAsync("mep-2025-listed");

        var list = await FundingApi.GetOkAsync(api.Finance, "/api/funding/cost-tables");

        Assert.Contains(list.EnumerateArray(), t => t.GetProperty("code").GetString() == "mep-2025-listed");
    }

    [Fact]
    public async Task A_cost_table_with_a_code_in_use_is_a_409()
    {
        await CreatedAsync("mep-2025-twice");

        var again = await FundingApi.SendAsync(api.Finance, HttpMethod.Post, "/api/funding/cost-tables",
            new { code = "mep-2025-twice", name = "Twice", inputs = CouncilInputs });

        await again.AssertProblemAsync(HttpStatusCode.Conflict, "urn:mep:problem:conflict");
    }

    [Fact]
    public async Task A_cost_table_replaced_with_its_current_etag_is_recomputed_and_audited()
    {
        var etag = await CreatedAsync("mep-2025-variant");

        var changed = await ChangeAsync("mep-2025-variant", etag);

        Assert.Equal(33.33m, changed.GetProperty("result").GetProperty("perYear").GetProperty("releaseOfSpecialItem").GetDecimal());
        var audit = await FundingApi.GetOkAsync(api.Finance, "/api/funding/audit?entity=costTable&entityId=mep-2025-variant");
        Assert.Equal(["changed", "created"], audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task A_cost_table_replaced_with_a_stale_etag_is_a_412()
    {
        var etag = await CreatedAsync("mep-2025-stale");
        await ChangeAsync("mep-2025-stale", etag);

        var stale = await FundingApi.SendAsync(api.Finance, HttpMethod.Put, "/api/funding/cost-tables/mep-2025-stale",
            new { name = "Stale", inputs = CouncilInputs }, etag);

        await stale.AssertProblemAsync(HttpStatusCode.PreconditionFailed, "urn:mep:problem:precondition-failed");
    }

    [Fact]
    public async Task The_csv_export_is_for_german_excel_with_semicolons_and_decimal_commas()
    {
        var response = await api.Finance.GetAsync($"{CouncilPaper}/csv");

        var lines = await ExportFiles.CsvLinesAsync(response);
        Assert.Equal("Zeile;Schlüssel;Betrag EUR;gedruckt EUR;Differenz EUR", lines[0]);
        Assert.Equal("Saldo Investitionstätigkeit;investmentBalance;-3983040,00;-3983040,00;0,00", lines[3]);
        Assert.Equal("Saldo ordentliches Ergebnis (jährlich);yearBalance;-3394508,00;-3394508,00;0,00", lines[9]);
        Assert.Equal(("Kostentabelle_drucksache-1000-2020.csv", "Kostentabelle_drucksache-1000-2020.csv"), ExportFiles.FileName(response));
    }

    [Fact]
    public async Task The_workbook_export_has_the_computed_lines_as_number_cells()
    {
        var table = await FundingApi.GetOkAsync(api.Finance, CouncilPaper);

        var workbook = await ExportFiles.WorkbookAsync(await api.Finance.GetAsync($"{CouncilPaper}/xlsx"));

        var sheet = Assert.Single(workbook);
        Assert.Equal(("Kostentabelle", "A2"), (sheet.Name, sheet.FrozenAt));
        Assert.Equal(Lines(table.GetProperty("result")).Select(l => (l.GetProperty("label").GetString(), (decimal?)l.GetProperty("amount").GetDecimal())),
            sheet.Rows.Skip(1).Select(row => (row[0].Text, row[2].Number)));
    }

    [Fact]
    public async Task Bad_cost_table_input_answers_400_with_field_errors()
    {
        var response = await FundingApi.SendAsync(api.Finance, HttpMethod.Post, "/api/funding/cost-tables",
            new { code = "Not A Code", name = "", inputs = new { grantsForInvestment = 1.001m, usefulLifeYears = 0 },
                printedFigures = new[] { new { line = "profit", amount = 1m } } });
        var compute = await FundingApi.SendAsync(api.Finance, HttpMethod.Post, "/api/funding/cost-tables/compute", new { });

        Assert.Equal(["code", "inputs.depreciation", "inputs.goodsAndServices", "inputs.grantsForInvestment", "inputs.interest", "inputs.personnel",
                "inputs.purchaseOfMovableAssets", "inputs.usefulLifeYears", "name", "printedFigures[0].line"],
            (await response.AssertProblemAsync(HttpStatusCode.BadRequest, "urn:mep:problem:validation")).ErrorFields());
        Assert.Equal(["inputs"], (await compute.AssertProblemAsync(HttpStatusCode.BadRequest, "urn:mep:problem:validation")).ErrorFields());
    }

    private static List<JsonElement> Lines(JsonElement result) => [.. result.GetProperty("lines").EnumerateArray()];
}
