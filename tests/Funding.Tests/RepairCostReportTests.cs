using System.Net;
using System.Text.Json;
using Mep.Contracts.Support;
using Mep.ServiceDefaults.Errors;

namespace Mep.Funding.Tests;

/// <summary>Repair costs per school and payer, from Support's RepairCostRecorded as Support publishes it; each test in a year of its own.</summary>
public sealed class RepairCostReportTests(FundingApi api) : IClassFixture<FundingApi>
{
    private static RepairCostRecorded Cost(Guid schoolId, RepairPayer payer, decimal amount, DateOnly incurredOn, decimal? hours = null,
        Guid? repairCase = null) =>
        new(Guid.NewGuid(), repairCase ?? Guid.NewGuid(), schoolId, Guid.NewGuid(), payer, amount, hours, incurredOn,
            new DateTimeOffset(incurredOn, new TimeOnly(10, 0), TimeSpan.Zero));

    /// <summary>Publishes each cost under an id of its own and waits until Funding applied all of them.</summary>
    private async Task DeliverAsync(params RepairCostRecorded[] costs)
    {
        var ids = new List<Guid>();
        foreach (var cost in costs)
        {
            var id = Guid.NewGuid();
            ids.Add(id);
            await api.PublishAsync(cost, id);
        }

        var idList = string.Join(",", ids.Select(id => $"'{id}'"));
        await Eventually.AssertAsync(async () => await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM inbox_messages WHERE message_id IN ({idList})") == ids.Count, $"Funding applied {ids.Count} repair costs");
    }

    /// <summary>Per payer in the API's order: amount, contractor hours, costs, repair cases.</summary>
    private static Dictionary<string, (decimal Amount, decimal Hours, int Costs, int Cases, bool CityMoney)> ByPayer(JsonElement figures) =>
        figures.GetProperty("byPayer").EnumerateArray().ToDictionary(p => p.GetProperty("payer").GetString()!, p => (p.GetProperty("amount").GetDecimal(),
            p.GetProperty("contractorHours").GetDecimal(), p.GetProperty("costs").GetInt32(), p.GetProperty("repairCases").GetInt32(),
            p.GetProperty("cityMoney").GetBoolean()));

    [Fact]
    public async Task Costs_are_summed_per_school_and_payer_and_the_parents_provider_and_warranties_are_not_city_money()
    {
        var school = await api.SchoolAsync();
        var contractorCase = Guid.NewGuid();
        await DeliverAsync(
            Cost(school.Id, RepairPayer.City, 120.50m, new DateOnly(2031, 3, 2)),
            Cost(school.Id, RepairPayer.SchoolSystemSupportBudget, 95.00m, new DateOnly(2031, 4, 1), hours: 1.5m, repairCase: contractorCase),
            Cost(school.Id, RepairPayer.SchoolSystemSupportBudget, 63.33m, new DateOnly(2031, 4, 8), hours: 1.0m, repairCase: contractorCase),
            Cost(school.Id, RepairPayer.ParentsProvider, 80.00m, new DateOnly(2031, 5, 5)),
            Cost(school.Id, RepairPayer.ManufacturerWarranty, 199.99m, new DateOnly(2031, 12, 31)),
            Cost(school.Id, RepairPayer.City, 1_000.00m, new DateOnly(2030, 12, 31)));

        var own = await FundingApi.GetOkAsync(api.Finance, $"/api/funding/reports/repair-costs/schools/{school.Id}?year=2031");

        var figures = own.GetProperty("figures");
        Assert.Equal((278.83m, 279.99m, 558.82m, 2.5m), (figures.GetProperty("cityMoney").GetDecimal(), figures.GetProperty("otherMoney").GetDecimal(),
            figures.GetProperty("total").GetDecimal(), figures.GetProperty("contractorHours").GetDecimal()));
        Assert.Equal(new Dictionary<string, (decimal, decimal, int, int, bool)>
        {
            ["parentsProvider"] = (80.00m, 0m, 1, 1, false), ["manufacturerWarranty"] = (199.99m, 0m, 1, 1, false), ["sellerLiability"] = (0m, 0m, 0, 0, false),
            ["schoolSystemSupportBudget"] = (158.33m, 2.5m, 2, 1, true), ["city"] = (120.50m, 0m, 1, 1, true),
        }, ByPayer(figures));
    }

    [Fact]
    public async Task A_cost_told_twice_under_a_new_message_id_is_counted_once()
    {
        var school = await api.SchoolAsync();
        var cost = Cost(school.Id, RepairPayer.City, 42.00m, new DateOnly(2032, 6, 1));

        await DeliverAsync(cost, cost);

        var own = await FundingApi.GetOkAsync(api.Finance, $"/api/funding/reports/repair-costs/schools/{school.Id}?year=2032");
        Assert.Equal((42.00m, 1), (own.GetProperty("figures").GetProperty("total").GetDecimal(), ByPayer(own.GetProperty("figures"))["city"].Costs));
    }

    [Fact]
    public async Task The_city_report_has_a_row_per_school_and_totals_over_them_for_the_year()
    {
        var district = $"Rep-{Guid.NewGuid():N}"[..16];
        var a = await api.SchoolAsync(district: district);
        var b = await api.SchoolAsync(district: district);
        await DeliverAsync(Cost(a.Id, RepairPayer.City, 10.00m, new DateOnly(2033, 1, 5)), Cost(b.Id, RepairPayer.SellerLiability, 20.00m, new DateOnly(2033, 2, 5)),
            Cost(b.Id, RepairPayer.City, 5.25m, new DateOnly(2033, 2, 6)));

        var report = await FundingApi.GetOkAsync(api.Finance, $"/api/funding/reports/repair-costs?year=2033&district={district}");

        Assert.Equal([(a.Id, 10.00m), (b.Id, 25.25m)], report.GetProperty("schools").EnumerateArray()
            .Select(s => (s.GetProperty("schoolId").GetGuid(), s.GetProperty("figures").GetProperty("total").GetDecimal())));
        var totals = report.GetProperty("totals");
        Assert.Equal((15.25m, 20.00m, 35.25m), (totals.GetProperty("cityMoney").GetDecimal(), totals.GetProperty("otherMoney").GetDecimal(),
            totals.GetProperty("total").GetDecimal()));
    }

    [Fact]
    public async Task The_repair_cost_report_as_csv_has_a_column_per_payer_under_german_headers()
    {
        var district = $"Rep-{Guid.NewGuid():N}"[..16];
        var school = await api.SchoolAsync(district: district);
        await DeliverAsync(Cost(school.Id, RepairPayer.SchoolSystemSupportBudget, 1_234.50m, new DateOnly(2034, 3, 3), hours: 12.5m),
            Cost(school.Id, RepairPayer.ParentsProvider, 99.00m, new DateOnly(2034, 3, 4)));

        var csv = await api.Finance.GetAsync($"/api/funding/reports/repair-costs.csv?year=2034&district={district}");

        Assert.Equal(["Schulnummer;Schule;Stadtbezirk;Anbieter (Elternvertrag);Herstellergarantie;Gewährleistung;Systembetreuungsmittel der Schule;Stadt;"
            + "Stunden Dienstleister;Kosten Stadt und Schulträger;Kosten Dritter;Summe",
            $"{school.Number};GY Testschule {school.Number};{district};99,00;0,00;0,00;1234,50;0,00;12,50;1234,50;99,00;1333,50"],
            await ExportFiles.CsvLinesAsync(csv));
    }

    [Fact]
    public async Task A_school_key_reads_its_own_schools_repair_costs_only()
    {
        var a = await api.SchoolAsync();
        var b = await api.SchoolAsync();
        await DeliverAsync(Cost(a.Id, RepairPayer.City, 10.00m, new DateOnly(2035, 1, 5)), Cost(b.Id, RepairPayer.City, 20.00m, new DateOnly(2035, 1, 6)));
        var key = api.ClientFor(a);

        var own = await FundingApi.GetOkAsync(key, $"/api/funding/reports/repair-costs/schools/{a.Id}?year=2035");
        var other = await key.GetAsync($"/api/funding/reports/repair-costs/schools/{b.Id}?year=2035");
        var list = await key.GetAsync("/api/funding/reports/repair-costs?year=2035");
        var feed = await FundingApi.GetOkAsync(key, "/api/funding/odata/RepairCosts");

        Assert.Equal(10.00m, own.GetProperty("figures").GetProperty("total").GetDecimal());
        await other.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Equal([(a.Id, 10.00m)], feed.GetProperty("value").EnumerateArray()
            .Select(c => (c.GetProperty("SchoolId").GetGuid(), c.GetProperty("Amount").GetDecimal())));
    }

    [Fact]
    public async Task A_year_outside_2000_to_2100_is_a_400()
    {
        var response = await api.Finance.GetAsync("/api/funding/reports/repair-costs?year=1999");

        Assert.Equal(["year"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }
}
