using System.Net;
using System.Text.Json;
using System.Xml;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;

namespace Mep.Funding.Tests;

/// <summary>The OData feed (Excel, Power BI): applications, invoices, draws, history, warnings and programmes, filtered and counted in PostgreSQL.</summary>
public sealed class FundingFeedTests(FundingOnADay funding) : IClassFixture<FundingOnADay>
{
    private const string CityBudget = "city-mep-budget";

    private FundingApi Api => funding.Api;

    private static Task<JsonElement> FeedAsync(HttpClient client, string query) => FundingApi.GetOkAsync(client, $"/api/funding/odata/{query}");

    private static async Task<long> CountAsync(HttpClient client, string set, string filter)
    {
        var response = await client.GetAsync($"/api/funding/odata/{set}/$count?$filter={filter}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{set}/$count: {(int)response.StatusCode} {text}");
        return long.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static JsonElement.ArrayEnumerator Rows(JsonElement page) => page.GetProperty("value").EnumerateArray();

    private static object Invoice(string invoiceNumber, decimal amount) =>
        new { vendor = "Bechtle Hannover", invoiceNumber, invoiceDate = "2023-05-08", amount, category = "schoolWlan", deviceIds = Array.Empty<Guid>(),
            rolloutItemIds = Array.Empty<Guid>() };

    private static object Draw(decimal amount, string reference) => new { amount, drawnOn = "2023-05-10", reference };

    /// <summary>One school's measures: DigitalPakt approved (with a draw and an invoice), submitted and draft; the city budget approved.</summary>
    private async Task<(Guid Approved, Guid Submitted, Guid Draft, Guid City)> MeasuresAsync(TestSchool school, string tag)
    {
        var approved = await Measures.ApprovedAsync(Api, school, 100_000.00m, 110_000.00m);
        await FundingApi.SendOkAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{approved}/draws", Draw(30_000.00m, $"NBank-{tag}"));
        await FundingApi.SendOkAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{approved}/expenditures", Invoice($"RE-{tag}", 12_345.67m));
        var submitted = await Measures.DraftAsync(Api.Planner, Measures.Draft(school, 50_000.00m));
        await Measures.StepAsync(Api.Finance, submitted, "submit");
        var draft = await Measures.DraftAsync(Api.Planner, Measures.Draft(school, 10_000.00m));
        var city = await Measures.DraftAsync(Api.Planner, Measures.Draft(school, 20_000.00m, programmeCode: CityBudget));
        await Measures.StepAsync(Api.Finance, city, "submit");
        await Measures.StepAsync(Api.Finance, city, "approve", new { approvedAmount = 24_000.00m });
        return (approved, submitted, draft, city);
    }

    [Fact]
    public async Task Metadata_lists_the_nine_funding_sets_with_money_as_edm_decimal()
    {
        var response = await Api.Finance.GetAsync("/api/funding/odata/$metadata");
        var xml = await response.Content.ReadAsStringAsync();
        using var reader = XmlReader.Create(new StringReader(xml));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(CsdlReader.TryParse(reader, out var model, out var errors), string.Join("; ", errors ?? []));
        Assert.Equal(["Allocations", "ApplicationStatusChanges", "Applications", "DeadlineWarnings", "Draws", "Expenditures", "Loans", "Programmes",
            "RepairCosts"],
            model.EntityContainer.EntitySets().Select(s => s.Name).Order(StringComparer.Ordinal));
        var application = (IEdmEntityType)model.FindDeclaredType("Mep.Funding.Application")!;
        Assert.All(new[] { "PlannedAmount", "SurchargeAmount", "PlannedTotal", "ApprovedAmount", "DrawnAmount", "Remaining" },
            name => Assert.Equal(EdmPrimitiveTypeKind.Decimal, application.FindProperty(name).Type.AsPrimitive().PrimitiveKind()));
        Assert.Equal("Mep.Funding.ApplicationStatus", application.FindProperty("Status").Type.FullName());
        Assert.Equal(EdmPrimitiveTypeKind.Decimal,
            ((IEdmEntityType)model.FindDeclaredType("Mep.Funding.Draw")!).FindProperty("Amount").Type.AsPrimitive().PrimitiveKind());
        var warning = (IEdmEntityType)model.FindDeclaredType("Mep.Funding.DeadlineWarning")!;
        Assert.Equal(["ProgrammeCode", "Deadline", "Day", "WindowDays", "SchoolId"], warning.Key().Select(k => k.Name));
    }

    [Fact]
    public async Task Applications_filtered_by_status_and_programme_are_counted_exactly_with_exact_decimal_amounts()
    {
        funding.SetDay(2023, 5, 10);
        var school = await Api.SchoolAsync(district: "Linden-Limmer");
        var (approved, _, _, city) = await MeasuresAsync(school, $"F-{school.Number}");
        var mine = $"SchoolId eq {school.Id}";

        var approvedAll = await FeedAsync(Api.Finance, $"Applications?$filter={mine} and Status eq 'Approved'&$orderby=ProgrammeCode&$count=true");
        var approvedDigitalPakt = await FeedAsync(Api.Finance,
            $"Applications?$filter={mine} and Status eq 'Approved' and ProgrammeCode eq '{Measures.DigitalPakt}'&$count=true");

        Assert.Equal(2, approvedAll.GetProperty("@odata.count").GetInt32());
        Assert.Equal([city, approved], Rows(approvedAll).Select(r => r.GetProperty("Id").GetGuid()));
        Assert.Equal(1, approvedDigitalPakt.GetProperty("@odata.count").GetInt32());
        var row = Assert.Single(Rows(approvedDigitalPakt));
        Assert.Equal((approved, school.Number, $"GY Testschule {school.Number}", "Linden-Limmer"),
            (row.GetProperty("Id").GetGuid(), row.GetProperty("SchoolNumber").GetString(), row.GetProperty("SchoolName").GetString(),
                row.GetProperty("District").GetString()));
        Assert.Equal(("Approved", "SchoolWlan", "WLAN in Gebäude A", false),
            (row.GetProperty("Status").GetString(), row.GetProperty("Category").GetString(), row.GetProperty("Title").GetString(),
                row.GetProperty("FirstComeFirstServed").GetBoolean()));
        Assert.Equal((100_000.00m, 20_000.00m, 120_000.00m, 110_000.00m, 30_000.00m, 80_000.00m),
            (row.GetProperty("PlannedAmount").GetDecimal(), row.GetProperty("SurchargeAmount").GetDecimal(), row.GetProperty("PlannedTotal").GetDecimal(),
                row.GetProperty("ApprovedAmount").GetDecimal(), row.GetProperty("DrawnAmount").GetDecimal(), row.GetProperty("Remaining").GetDecimal()));
        Assert.Equal(("2022-09-01", "2023-05-10", "2023-05-10", JsonValueKind.Null),
            (row.GetProperty("MeasureStart").GetString(), row.GetProperty("SubmittedOn").GetString(), row.GetProperty("ApprovedOn").GetString(),
                row.GetProperty("SettledOn").ValueKind));
        Assert.Equal(3, await CountAsync(Api.Finance, "Applications", $"{mine} and ProgrammeCode eq '{Measures.DigitalPakt}'"));
        Assert.Equal(1, await CountAsync(Api.Finance, "Applications", $"{mine} and ProgrammeCode eq '{CityBudget}'"));
        Assert.Equal(2, await CountAsync(Api.Finance, "Applications", $"{mine} and Status in ('Submitted','Draft')"));
        Assert.Equal(1, await CountAsync(Api.Finance, "Applications", $"{mine} and PlannedTotal eq 120000.00"));
        Assert.Equal(1, await CountAsync(Api.Finance, "Applications", $"{mine} and Remaining gt 79999.99 and Remaining lt 80000.01"));
    }

    [Fact]
    public async Task Draws_invoices_and_status_history_carry_the_applications_school_programme_and_exact_amounts()
    {
        funding.SetDay(2023, 5, 10);
        var school = await Api.SchoolAsync();
        var (approved, _, draft, _) = await MeasuresAsync(school, $"D-{school.Number}");

        var draws = await FeedAsync(Api.Finance, $"Draws?$filter=ApplicationId eq {approved}");
        var invoices = await FeedAsync(Api.Finance, $"Expenditures?$filter=ApplicationId eq {approved}");
        var history = await FeedAsync(Api.Finance, $"ApplicationStatusChanges?$filter=ApplicationId eq {approved}&$orderby=Id");
        var drafts = await FeedAsync(Api.Finance, $"ApplicationStatusChanges?$filter=ApplicationId eq {draft}");

        var drawn = Assert.Single(Rows(draws));
        Assert.Equal((school.Id, Measures.DigitalPakt, 30_000.00m, "2023-05-10", $"NBank-D-{school.Number}"),
            (drawn.GetProperty("SchoolId").GetGuid(), drawn.GetProperty("ProgrammeCode").GetString(), drawn.GetProperty("Amount").GetDecimal(),
                drawn.GetProperty("DrawnOn").GetString(), drawn.GetProperty("Reference").GetString()));
        var invoice = Assert.Single(Rows(invoices));
        Assert.Equal((school.Id, "Bechtle Hannover", $"RE-D-{school.Number}", "2023-05-08", 12_345.67m, "SchoolWlan"),
            (invoice.GetProperty("SchoolId").GetGuid(), invoice.GetProperty("Vendor").GetString(), invoice.GetProperty("InvoiceNumber").GetString(),
                invoice.GetProperty("InvoiceDate").GetString(), invoice.GetProperty("Amount").GetDecimal(), invoice.GetProperty("Category").GetString()));
        Assert.Equal([(null, "Draft"), ("Draft", "Submitted"), ("Submitted", "Approved")],
            Rows(history).Select(c => (c.GetProperty("From").GetString(), c.GetProperty("To").GetString())));
        Assert.All(Rows(history), c => Assert.Equal((school.Id, "2023-05-10"), (c.GetProperty("SchoolId").GetGuid(), c.GetProperty("OnDay").GetString())));
        Assert.Equal(["planner-paula", "finance-frida", "finance-frida"], Rows(history).Select(c => c.GetProperty("Actor").GetString()));
        Assert.Equal("Draft", Assert.Single(Rows(drafts)).GetProperty("To").GetString());
    }

    [Fact]
    public async Task A_school_key_reads_only_its_own_schools_rows_even_when_it_filters_for_another_school()
    {
        funding.SetDay(2023, 5, 10);
        var school = await Api.SchoolAsync();
        var other = await Api.SchoolAsync();
        var own = await MeasuresAsync(school, $"S-{school.Number}");
        var foreign = await MeasuresAsync(other, $"S-{other.Number}");
        var key = Api.ClientFor(school);

        var applications = await FeedAsync(key, "Applications?$count=true&$orderby=Id");
        var asked = await FeedAsync(key, $"Applications?$filter=SchoolId eq {other.Id}&$count=true");
        var byKey = await key.GetAsync($"/api/funding/odata/Applications({foreign.Approved})");

        Assert.Equal(4, applications.GetProperty("@odata.count").GetInt32());
        Assert.Equal(new[] { own.Approved, own.Submitted, own.Draft, own.City }.Order(), Rows(applications).Select(r => r.GetProperty("Id").GetGuid()).Order());
        Assert.Equal(0, asked.GetProperty("@odata.count").GetInt32());
        Assert.Empty(Rows(asked));
        Assert.Equal(HttpStatusCode.NotFound, byKey.StatusCode);
        Assert.Equal(0, await CountAsync(key, "Applications", $"SchoolId eq {other.Id} or SchoolId ne {school.Id}"));
        Assert.Equal(1, await CountAsync(key, "Draws", "true"));
        Assert.Equal(1, await CountAsync(key, "Expenditures", "true"));
        Assert.Equal(9, await CountAsync(key, "ApplicationStatusChanges", "true"));
        Assert.Equal(0, await CountAsync(key, "ApplicationStatusChanges", $"ApplicationId eq {foreign.Approved}"));
        Assert.All(Rows(await FeedAsync(key, "Draws")).Concat(Rows(await FeedAsync(key, "Expenditures")))
                .Concat(Rows(await FeedAsync(key, "ApplicationStatusChanges"))),
            r => Assert.Equal(school.Id, r.GetProperty("SchoolId").GetGuid()));
        Assert.Equal(4, await CountAsync(Api.Finance, "Applications", $"SchoolId eq {other.Id}"));
        var allocations = Rows(await FeedAsync(key, "Allocations"));
        Assert.Equal([(school.Id, "digitalpakt-2019-ni", 30_000.00m, 600, 30_000.00m)], allocations.Select(a => (a.GetProperty("SchoolId").GetGuid(),
            a.GetProperty("ProgrammeCode").GetString(), a.GetProperty("BaseAmount").GetDecimal(), a.GetProperty("BasePupils").GetInt32(),
            a.GetProperty("Total").GetDecimal())));
        Assert.Equal(0, await CountAsync(key, "Allocations", $"SchoolId eq {other.Id}"));
        Assert.Equal(1, await CountAsync(Api.Finance, "Allocations", $"SchoolId eq {other.Id}"));
    }

    [Fact]
    public async Task A_vendor_gets_403_on_every_funding_set()
    {
        var vendor = Api.ClientAs("vendor");

        foreach (var set in new[] { "Applications", "Expenditures", "Draws", "ApplicationStatusChanges", "DeadlineWarnings", "Programmes", "Allocations", "Loans",
                     "RepairCosts" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync($"/api/funding/odata/{set}")).StatusCode);
        }
    }

    [Fact]
    public async Task Deadline_warnings_are_refused_to_a_school_key_and_to_planners()
    {
        var school = await Api.SchoolAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await Api.ClientFor(school).GetAsync("/api/funding/odata/DeadlineWarnings")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.Planner.GetAsync("/api/funding/odata/DeadlineWarnings")).StatusCode);
    }

    [Fact]
    public async Task Programmes_show_the_scalar_rules_and_deadline_warnings_their_days_and_amount_at_risk()
    {
        var school = await Api.SchoolAsync();
        await Api.Database.ExecuteAsync($"""
            INSERT INTO deadline_warnings (programme_code, deadline, day, window_days, school_id, days_left, amount_at_risk, warned_at)
            VALUES ('{Measures.DigitalPakt}', 'approvalsUntil', '2024-05-15', 30, '{school.Id}', 25, 50000.00, '2024-04-20T04:15:00Z')
            """);

        var city = await FeedAsync(Api.Finance, "Programmes?$filter=Kind eq 'CityBudget'");
        var digitalPakt = await FeedAsync(Api.Finance, $"Programmes('{Measures.DigitalPakt}')");
        var warnings = await FeedAsync(Api.Finance, $"DeadlineWarnings?$filter=SchoolId eq {school.Id} and AmountAtRisk eq 50000.00");

        var budget = Assert.Single(Rows(city));
        Assert.Equal((CityBudget, "CityBudget", 2_500_000.00m, 1.0m, 1.0m, 0.2m),
            (budget.GetProperty("Code").GetString(), budget.GetProperty("Kind").GetString(), budget.GetProperty("Pool").GetDecimal(),
                budget.GetProperty("FundingRate").GetDecimal(), budget.GetProperty("OwnShareRate").GetDecimal(), budget.GetProperty("SafetySurchargeRate").GetDecimal()));
        Assert.Equal(("DigitalPakt Schule 2019-2024 (Lower Saxony)", "DigitalPakt", 20_186_836.00m, 0.0m),
            (digitalPakt.GetProperty("Name").GetString(), digitalPakt.GetProperty("Kind").GetString(), digitalPakt.GetProperty("Pool").GetDecimal(),
                digitalPakt.GetProperty("OwnShareRate").GetDecimal()));
        Assert.Equal(4, await CountAsync(Api.Finance, "Programmes", "Pool eq null"));
        var warning = Assert.Single(Rows(warnings));
        Assert.Equal((Measures.DigitalPakt, "approvalsUntil", "2024-05-15", 30, 25, 50_000.00m, "2024-04-20T04:15:00Z"),
            (warning.GetProperty("ProgrammeCode").GetString(), warning.GetProperty("Deadline").GetString(), warning.GetProperty("Day").GetString(),
                warning.GetProperty("WindowDays").GetInt32(), warning.GetProperty("DaysLeft").GetInt32(), warning.GetProperty("AmountAtRisk").GetDecimal(),
                warning.GetProperty("WarnedAt").GetString()));
    }
}
