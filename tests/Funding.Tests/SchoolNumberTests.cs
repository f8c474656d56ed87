using System.Net;
using System.Text.Json;
using Mep.ServiceDefaults.Errors;

namespace Mep.Funding.Tests;

/// <summary>Funding's lists by school number, and every row that refers to a school naming it by number and name.</summary>
public sealed class SchoolNumberTests(FundingOnADay funding) : IClassFixture<FundingOnADay>
{
    private FundingApi Api => funding.Api;

    private static string NameOf(TestSchool school) => $"GY Testschule {school.Number}";

    private static (string? Number, string? Name) SchoolOf(JsonElement row) =>
        (row.GetProperty("schoolNumber").GetString(), row.GetProperty("schoolName").GetString());

    /// <summary>An approved measure with a draw and an invoice, on 1 March 2023.</summary>
    private async Task<Guid> ApprovedWithDrawAndInvoiceAsync(TestSchool school)
    {
        funding.SetDay(2023, 3, 1);
        var id = await Measures.ApprovedAsync(Api, school, 20_000.00m, 18_000.00m);
        await FundingApi.SendOkAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{id}/draws",
            new { amount = 1_000.00m, drawnOn = "2023-03-01", reference = $"NBank-{school.Number}" });
        await FundingApi.SendOkAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{id}/expenditures",
            new { vendor = "Bechtle Hannover", invoiceNumber = $"RE-{school.Number}", invoiceDate = "2023-03-01", amount = 900.00m,
                category = "schoolWlan" });
        return id;
    }

    [Fact]
    public async Task The_school_number_filter_lists_exactly_that_schools_applications()
    {
        funding.SetDay(2023, 3, 1);
        var school = await Api.SchoolAsync();
        var other = await Api.SchoolAsync();
        var own = await Measures.DraftAsync(Api.Planner, Measures.Draft(school));
        await Measures.DraftAsync(Api.Planner, Measures.Draft(other));

        var page = await FundingApi.GetOkAsync(Api.Finance, $"/api/funding/applications?schoolNumber={school.Number}");

        Assert.Equal([own], page.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task A_school_id_and_a_school_number_of_different_schools_are_refused_naming_both()
    {
        var school = await Api.SchoolAsync();
        var other = await Api.SchoolAsync();

        var problem = await (await Api.Finance.GetAsync($"/api/funding/applications?schoolId={school.Id}&schoolNumber={other.Number}"))
            .AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);

        Assert.Equal(["schoolId", "schoolNumber"], problem.ErrorFields());
    }

    [Fact]
    public async Task A_school_key_naming_another_schools_number_gets_the_404_it_gets_for_another_schools_id()
    {
        var school = await Api.SchoolAsync();
        var other = await Api.SchoolAsync();
        using var key = Api.ClientFor(school);

        foreach (var list in new[] { "applications", "expenditures" })
        {
            var byId = await (await key.GetAsync($"/api/funding/{list}?schoolId={other.Id}"))
                .AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
            var byNumber = await (await key.GetAsync($"/api/funding/{list}?schoolNumber={other.Number}"))
                .AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
            Assert.Equal(byId.GetProperty("detail").GetString(), byNumber.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task Application_invoice_and_draw_rows_name_their_school_by_number_and_name()
    {
        var school = await Api.SchoolAsync();
        var id = await ApprovedWithDrawAndInvoiceAsync(school);

        var application = Assert.Single((await FundingApi.GetOkAsync(Api.Finance, $"/api/funding/applications?schoolNumber={school.Number}"))
            .GetProperty("items").EnumerateArray());
        var invoice = Assert.Single((await FundingApi.GetOkAsync(Api.Finance, $"/api/funding/expenditures?schoolNumber={school.Number}"))
            .GetProperty("items").EnumerateArray());
        var draw = Assert.Single((await FundingApi.GetOkAsync(Api.Finance, $"/api/funding/applications/{id}/draws")).EnumerateArray());
        var single = await FundingApi.GetOkAsync(Api.Finance, $"/api/funding/applications/{id}");

        Assert.All([application, invoice, draw, single], row => Assert.Equal((school.Number, NameOf(school)), SchoolOf(row)));
    }

    [Fact]
    public async Task Audit_rows_filter_by_school_number_and_name_their_school()
    {
        var school = await Api.SchoolAsync();
        await ApprovedWithDrawAndInvoiceAsync(school);

        var audit = await FundingApi.GetOkAsync(Api.Finance, $"/api/funding/audit?schoolNumber={school.Number}");

        var rows = audit.GetProperty("items").EnumerateArray().ToList();
        // The school's base amount (computed when its pupils arrived), the application drafted, submitted and approved, a draw, an invoice.
        Assert.Equal(["allocation", "application", "application", "application", "draw", "expenditure"],
            rows.Select(r => r.GetProperty("entity").GetString()).Order());
        Assert.All(rows, row => Assert.Equal((school.Number, NameOf(school)), SchoolOf(row)));
    }

    [Fact]
    public async Task Report_rows_name_their_school_as_schoolNumber_and_schoolName()
    {
        var school = await Api.SchoolAsync(district: "Nummern-Report");

        var report = await FundingApi.GetOkAsync(Api.Finance, "/api/funding/reports/schools?programme=digitalpakt-2019-ni&district=Nummern-Report");

        Assert.Equal((school.Number, NameOf(school)), SchoolOf(Assert.Single(report.GetProperty("schools").EnumerateArray())));
    }

    [Fact]
    public async Task Every_feed_set_that_refers_to_a_school_filters_by_its_number_and_carries_its_name()
    {
        var school = await Api.SchoolAsync();
        await ApprovedWithDrawAndInvoiceAsync(school);

        // One application with three status changes (drafted, submitted, approved), one invoice, one draw, the DigitalPakt base amount.
        foreach (var (set, count) in new[]
                 { ("Applications", 1), ("ApplicationStatusChanges", 3), ("Expenditures", 1), ("Draws", 1), ("Allocations", 1) })
        {
            var rows = (await FundingApi.GetOkAsync(Api.Finance,
                    $"/api/funding/odata/{set}?$filter=SchoolNumber eq '{school.Number}'&$select=SchoolNumber,SchoolName"))
                .GetProperty("value").EnumerateArray();
            Assert.Equal(Enumerable.Repeat(((string?)school.Number, (string?)NameOf(school)), count),
                rows.Select(r => (r.GetProperty("SchoolNumber").GetString(), r.GetProperty("SchoolName").GetString())));
        }
    }

    [Fact]
    public async Task The_uptake_table_takes_schools_by_number_as_by_id()
    {
        var one = await Api.SchoolAsync(pupilsByStartYear: new Dictionary<int, int> { [2019] = 400 });
        var two = await Api.SchoolAsync(pupilsByStartYear: new Dictionary<int, int> { [2019] = 600 });
        await Api.RegisterDevicesAsync(one.Id, [FundingApi.PupilTablet(Contracts.Assets.SubsidyCategory.None, new DateOnly(2019, 8, 1))]);
        await Api.RegisterDevicesAsync(two.Id, [FundingApi.PupilTablet(Contracts.Assets.SubsidyCategory.Sibling, new DateOnly(2019, 8, 1))]);

        var byNumber = await (await Api.Finance.GetAsync($"/api/funding/subsidies/uptake?schoolNumber={one.Number}&schoolNumber={two.Number}"))
            .Content.ReadAsStringAsync();
        var mixed = await (await Api.Finance.GetAsync($"/api/funding/subsidies/uptake?schoolId={one.Id}&schoolNumber={two.Number}"))
            .Content.ReadAsStringAsync();
        var byId = await (await Api.Finance.GetAsync($"/api/funding/subsidies/uptake?schoolId={one.Id}&schoolId={two.Id}"))
            .Content.ReadAsStringAsync();

        Assert.Equal((byId, byId), (byNumber, mixed));
        Assert.Equal(2, JsonDocument.Parse(byId).RootElement.GetProperty("rows")[0].GetProperty("tablets").GetInt32());
    }

    [Fact]
    public async Task The_uptake_table_answers_404_naming_a_number_no_school_has()
    {
        var school = await Api.SchoolAsync();

        var problem = await (await Api.Finance.GetAsync($"/api/funding/subsidies/uptake?schoolNumber={school.Number}&schoolNumber=09993"))
            .AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);

        Assert.Equal(["09993"], problem.GetProperty("schoolNumbers").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal("No school with this number exists, or you may not see it.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_uptake_table_refuses_a_school_number_in_arabic_indic_digits_naming_schoolNumber()
    {
        var problem = await (await Api.Finance.GetAsync($"/api/funding/subsidies/uptake?schoolNumber={Uri.EscapeDataString("١٢٣٤٥")}"))
            .AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);

        Assert.Equal(["schoolNumber"], problem.ErrorFields());
    }
}
