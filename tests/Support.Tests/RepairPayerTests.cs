using System.Globalization;
using System.Net;
using System.Text.Json;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;

namespace Mep.Support.Tests;

/// <summary>
/// A broken tablet of each ownership kind, under and out of warranty, goes to the payer the rules decide, through HTTP; the decision
/// shows its rule, reason and day; an agent's override is kept with its reason.
/// </summary>
public sealed class RepairPayerTests(SupportApi api) : IClassFixture<SupportApi>
{
    public static TheoryData<string, TabletOwnership, string?, string?, decimal?, string, string, string?> Routes => new()
    {
        // case, ownership, purchased, device warranty end, school budget, payer, rule, rule's day
        { "parent-financed under warranty", TabletOwnership.ParentFinancedPupil, "2026-01-10", "2027-01-09", 500m, "parentsProvider", "parents-contract", null },
        { "parent-financed out of warranty", TabletOwnership.ParentFinancedPupil, "2021-08-01", null, 500m, "parentsProvider", "parents-contract", null },
        { "class set under its device warranty", TabletOwnership.SchoolClassSet, "2025-02-01", "2027-01-31", 500m, "manufacturerWarranty", "device-warranty", "2027-01-31" },
        { "class set out of warranty with budget left", TabletOwnership.SchoolClassSet, "2021-08-01", "2023-07-31", 500m, "schoolSystemSupportBudget", "school-budget", null },
        { "teacher within the seller's liability", TabletOwnership.Teacher, "2025-06-01", null, 500m, "sellerLiability", "seller-liability", "2027-06-01" },
        { "teacher out of warranty without budget", TabletOwnership.Teacher, "2021-08-01", null, null, "city", "city", null },
        { "loan under its device warranty", TabletOwnership.Loan, "2024-10-01", "2026-12-31", null, "manufacturerWarranty", "device-warranty", "2026-12-31" },
        { "loan out of warranty with budget left", TabletOwnership.Loan, "2020-09-01", "2022-08-31", 500m, "schoolSystemSupportBudget", "school-budget", null },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_broken_tablet_goes_to_the_payer_its_ownership_warranty_and_the_schools_budget_decide(string name, TabletOwnership ownership,
        string? purchased, string? warrantyEnd, decimal? budget, string payer, string rule, string? ruleDate)
    {
        var school = await api.SchoolAsync(atMepStandard: false, rooms: 1);
        if (budget is { } amount)
        {
            await RepairArrange.BudgetAsync(api, school, amount);
        }

        var device = await RepairArrange.DeviceAsync(api, school, ownership, Day(purchased), Day(warrantyEnd));

        var repair = await RepairArrange.OpenAsync(api, school, device);

        Assert.True((payer, rule, ruleDate) == (repair.GetProperty("payer").GetString(), repair.GetProperty("payerRule").GetString(),
            repair.GetProperty("payerRuleDate").GetString()), $"{name}: {repair}");
        Assert.Equal(payer, repair.GetProperty("decidedPayer").GetString());
    }

    [Fact]
    public async Task A_model_warranty_an_admin_sets_decides_for_a_device_without_its_own()
    {
        var school = await api.SchoolAsync();
        var model = $"iPad Model {Guid.NewGuid():N}";
        var terms = await api.Admin.PutAsync("/api/support/repair-terms",
            Json.Body(new { statutoryLiabilityMonths = 24, modelWarranties = new[] { new { manufacturer = "Apple", model, warrantyMonths = 36 } } }));
        Assert.Equal(HttpStatusCode.OK, terms.StatusCode);
        var device = await RepairArrange.DeviceAsync(api, school, TabletOwnership.Teacher, new DateOnly(2024, 1, 15), null, model);

        var repair = await RepairArrange.OpenAsync(api, school, device);

        Assert.Equal(("manufacturerWarranty", "model-warranty", "2027-01-15"), (repair.GetProperty("payer").GetString(),
            repair.GetProperty("payerRule").GetString(), repair.GetProperty("payerRuleDate").GetString()));
    }

    [Fact]
    public async Task Out_of_warranty_the_city_pays_once_the_schools_budget_is_spent_on_contractor_hours()
    {
        var school = await api.SchoolAsync(atMepStandard: false, rooms: 1);
        await RepairArrange.BudgetAsync(api, school, 100m);
        var earlier = await RepairArrange.DeviceAsync(api, school, TabletOwnership.SchoolClassSet, new DateOnly(2020, 1, 1), null);
        var first = await RepairArrange.OpenAsync(api, school, earlier, onSite: true);
        await RepairArrange.BookHoursAsync(api, first, "2026-11-03", 2m);
        var device = await RepairArrange.DeviceAsync(api, school, TabletOwnership.SchoolClassSet, new DateOnly(2020, 1, 1), null);

        var repair = await RepairArrange.OpenAsync(api, school, device);

        Assert.Equal("schoolSystemSupportBudget", first.GetProperty("payer").GetString());
        Assert.Equal(("city", "city"), (repair.GetProperty("payer").GetString(), repair.GetProperty("payerRule").GetString()));
    }

    [Fact]
    public async Task An_agents_override_keeps_the_rules_payer_and_is_in_the_tickets_history_with_its_reason()
    {
        var school = await api.SchoolAsync();
        var device = await RepairArrange.DeviceAsync(api, school, TabletOwnership.Teacher, new DateOnly(2020, 1, 1), null);
        var repair = await RepairArrange.OpenAsync(api, school, device);

        var changed = await SupportApi.PostOkAsync(api.Agent, $"/api/support/repairs/{repair.GetProperty("id").GetGuid()}/payer",
            new { payer = "manufacturerWarranty", reason = "Vendor repairs it as goodwill (known display fault)." });
        var history = await SupportApi.GetOkAsync(api.Agent, $"/api/support/tickets/{repair.GetProperty("ticketId").GetGuid()}/history");

        Assert.Equal(("city", "manufacturerWarranty", "agent-anna", "Vendor repairs it as goodwill (known display fault)."),
            (changed.GetProperty("decidedPayer").GetString(), changed.GetProperty("payer").GetString(), changed.GetProperty("payerOverriddenBy").GetString(),
                changed.GetProperty("payerOverrideReason").GetString()));
        var line = Assert.Single(history.EnumerateArray(), h => h.GetProperty("change").GetString() == "repairPayer");
        Assert.Equal(("city", "manufacturerWarranty", "Vendor repairs it as goodwill (known display fault)."),
            (line.GetProperty("from").GetString(), line.GetProperty("to").GetString(), line.GetProperty("note").GetString()));
    }

    [Fact]
    public async Task A_vendor_may_not_decide_who_pays()
    {
        var school = await api.SchoolAsync();
        var device = await RepairArrange.DeviceAsync(api, school, TabletOwnership.Teacher, new DateOnly(2020, 1, 1), null);
        var repair = await RepairArrange.OpenAsync(api, school, device);

        var refused = await api.ClientAs(PlatformRoles.Vendor, "css-carla").PostAsync($"/api/support/repairs/{repair.GetProperty("id").GetGuid()}/payer",
            Json.Body(new { payer = "city", reason = "x" }));

        await refused.AssertProblemAsync(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task A_model_named_twice_in_the_terms_is_refused_naming_the_field()
    {
        var response = await api.Admin.PutAsync("/api/support/repair-terms", Json.Body(new
        {
            statutoryLiabilityMonths = 24,
            modelWarranties = new[] { new { manufacturer = "Apple", model = "iPad 9", warrantyMonths = 12 }, new { manufacturer = "apple", model = "IPAD 9 ", warrantyMonths = 24 } },
        }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal("model-warranty-twice", problem.GetProperty("rule").GetString());
        Assert.Equal(["modelWarranties"], problem.ErrorFields());
    }

    private static DateOnly? Day(string? text) => text is null ? null : DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>What the repair tests arrange: devices as Assets registers them (make, money), tickets on them, cases, budgets and hours.</summary>
internal static class RepairArrange
{
    /// <summary>The day the tests' cases are opened on (the clock is real; sent and back days are given in the requests).</summary>
    public static readonly DateOnly OpenedOn = new(2026, 11, 2);

    /// <summary>A device of the school with its make and purchase as Assets announces it; returns once Support knows it.</summary>
    public static async Task<Device> DeviceAsync(SupportApi api, TestSchool school, TabletOwnership? ownership, DateOnly? purchased, DateOnly? warrantyEnd,
        string model = "iPad 10", DeviceKind kind = DeviceKind.Tablet)
    {
        var id = Guid.NewGuid();
        var serial = "RP" + id.ToString("N")[..10].ToUpperInvariant();
        var parents = ownership == TabletOwnership.ParentFinancedPupil;
        await api.PublishAsync(new DevicesRegistered(school.Id, [new RegisteredDevice(id, null, serial,
            new DeviceClassification(kind, ownership, parents ? SubsidyCategory.None : null, null, null,
                parents ? FundingSource.ParentFinanced : FundingSource.CityMepBudget, DeviceStatus.InService),
            new DeviceFinancials(purchased, 399m, 60, parents ? new ParentContract(10.90m, 36, "GfdB") : null),
            new DeviceMake("Apple", model, warrantyEnd))], DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () => await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM known_devices WHERE device_id = '{id}' AND manufacturer = 'Apple'") == 1, $"Support knows device {serial}");
        return new Device(id, serial);
    }

    /// <summary>A device-fault ticket naming the device by serial (on site: at a school not at MEP standard, the contractor's), and its repair case.</summary>
    public static async Task<JsonElement> OpenAsync(SupportApi api, TestSchool school, Device device, DateOnly? openedOn = null, bool onSite = false)
    {
        var ticket = await TicketAsync(api, school, device, onSite);
        return await SupportApi.PostOkAsync(api.Agent, $"/api/support/tickets/{ticket}/repair",
            new { diagnosis = "Display cracked, touch fails", openedOn = Text(openedOn ?? OpenedOn) });
    }

    public static async Task<Guid> TicketAsync(SupportApi api, TestSchool school, Device device, bool onSite = false) =>
        (await SupportApi.OpenAsync(api.Agent, SupportApi.Report("device-hardware",
            fields: [("schoolId", school.Id), ("deviceSerial", device.Serial), ("needsOnSite", onSite)]))).GetProperty("id").GetGuid();

    public static async Task BudgetAsync(SupportApi api, TestSchool school, decimal amount)
    {
        var finance = api.ClientAs(Mep.ServiceDefaults.Auth.PlatformRoles.Finance, "finance-fritz");
        Assert.Equal(HttpStatusCode.OK, (await finance.PutAsync("/api/support/contractor/rates/2026-01-01", Json.Body(new { hourlyRate = 58.37m }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await finance.PutAsync($"/api/support/schools/{school.Id}/system-support-budget/2026",
            Json.Body(new { amount }))).StatusCode);
    }

    /// <summary>Books the contractor's hours on the case's ticket (which the contractor must hold).</summary>
    public static Task<JsonElement> BookHoursAsync(SupportApi api, JsonElement repair, string workedOn, decimal hours) =>
        SupportApi.PostOkAsync(api.Agent, $"/api/support/tickets/{repair.GetProperty("ticketId").GetGuid()}/contractor-hours",
            new { workedOn, hours, description = "Display replaced on site" });

    public static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public sealed record Device(Guid Id, string Serial);
}
