using System.Net;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;

namespace Mep.Support.Tests;

/// <summary>
/// Repair cases at their edges, through HTTP: days far out of range, the boundary days of warranties, a device's own warranty against
/// its model's, what a vendor sees of a case it works on, and two agents opening a case for one device at once.
/// </summary>
public sealed class RepairEdgeCaseTests(SupportApi api) : IClassFixture<SupportApi>
{
    [Fact]
    public async Task A_case_opened_on_a_day_before_1990_is_a_400_naming_the_field()
    {
        var school = await api.SchoolAsync();
        var device = await RepairArrange.DeviceAsync(api, school, TabletOwnership.Teacher, new DateOnly(2020, 1, 1), null);
        var ticket = await RepairArrange.TicketAsync(api, school, device);

        var refused = await api.Agent.PostAsync($"/api/support/tickets/{ticket}/repair", Json.Body(new { diagnosis = "Display", openedOn = "0001-01-01" }));

        var problem = await refused.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.Equal(["openedOn"], problem.ErrorFields());
        Assert.Equal(0, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM repair_cases WHERE device_id = '{device.Id}'"));
    }

    [Fact]
    public async Task The_sellers_liability_covers_the_day_two_years_after_the_purchase()
    {
        var school = await api.SchoolAsync();
        var device = await RepairArrange.DeviceAsync(api, school, TabletOwnership.Teacher, new DateOnly(2024, 11, 2), null);

        var repair = await RepairArrange.OpenAsync(api, school, device, new DateOnly(2026, 11, 2));

        Assert.Equal(("sellerLiability", "seller-liability", "2026-11-02"), (repair.GetProperty("payer").GetString(),
            repair.GetProperty("payerRule").GetString(), repair.GetProperty("payerRuleDate").GetString()));
    }

    [Fact]
    public async Task A_devices_own_warranty_that_has_ended_is_not_extended_by_its_models()
    {
        var school = await api.SchoolAsync();
        var model = $"iPad Model {Guid.NewGuid():N}";
        var terms = await api.Admin.PutAsync("/api/support/repair-terms",
            Json.Body(new { statutoryLiabilityMonths = 24, modelWarranties = new[] { new { manufacturer = "Apple", model, warrantyMonths = 48 } } }));
        Assert.Equal(HttpStatusCode.OK, terms.StatusCode);
        var device = await RepairArrange.DeviceAsync(api, school, TabletOwnership.Teacher, new DateOnly(2023, 11, 2), new DateOnly(2024, 11, 1), model);

        var repair = await RepairArrange.OpenAsync(api, school, device);

        Assert.Equal(("city", "city"), (repair.GetProperty("payer").GetString(), repair.GetProperty("payerRule").GetString()));
    }

    [Fact]
    public async Task A_vendor_sees_no_figure_of_the_schools_budget_on_a_case_it_works_on()
    {
        await api.PersonAsync("css-review-vera", PlatformRoles.Vendor);
        await api.MemberAsync("css", "css-review-vera");
        var school = await api.SchoolAsync(atMepStandard: false, rooms: 1);
        await RepairArrange.BudgetAsync(api, school, 1234.56m);
        var device = await RepairArrange.DeviceAsync(api, school, TabletOwnership.SchoolClassSet, new DateOnly(2020, 1, 1), null);
        var repair = await RepairArrange.OpenAsync(api, school, device, onSite: true);
        var vendor = api.ClientAs(PlatformRoles.Vendor, "css-review-vera");

        var seen = await SupportApi.GetOkAsync(vendor, $"/api/support/repairs/{repair.GetProperty("id").GetGuid()}");
        var history = await SupportApi.GetOkAsync(vendor, $"/api/support/tickets/{repair.GetProperty("ticketId").GetGuid()}/history");

        Assert.Equal("schoolSystemSupportBudget", seen.GetProperty("payer").GetString());
        Assert.DoesNotContain("1234.56", seen.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("1234.56", history.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cases_opened_at_once_for_one_device_give_one_case_and_conflicts()
    {
        var school = await api.SchoolAsync();
        var device = await RepairArrange.DeviceAsync(api, school, TabletOwnership.Teacher, new DateOnly(2020, 1, 1), null);
        var tickets = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RepairArrange.TicketAsync(api, school, device)));

        var answers = await Task.WhenAll(tickets.Select(ticket =>
            api.Agent.PostAsync($"/api/support/tickets/{ticket}/repair", Json.Body(new { diagnosis = "Display", openedOn = "2026-11-02" }))));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
        {
            await refused.AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.Conflict);
        }

        Assert.Equal(1, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM repair_cases WHERE device_id = '{device.Id}'"));
    }

    [Fact]
    public async Task A_replacements_return_heard_before_its_hand_out_is_kept_when_the_hand_out_arrives()
    {
        var school = await api.SchoolAsync();
        var device = await RepairArrange.DeviceAsync(api, school, TabletOwnership.Teacher, new DateOnly(2020, 1, 1), null);
        var repair = await RepairArrange.OpenAsync(api, school, device);
        var path = $"/api/support/repairs/{repair.GetProperty("id").GetGuid()}";
        await SupportApi.PostOkAsync(api.Agent, $"{path}/sent", new { sentOn = "2026-11-03", sentTo = "Apple Service Hannover" });
        var (loan, replacement, caseId) = (Guid.NewGuid(), Guid.NewGuid(), repair.GetProperty("id").GetGuid());
        var (returnedMessage, lentMessage) = (Guid.NewGuid(), Guid.NewGuid());

        await api.PublishAsync(new DevicesReturned(school.Id, [new ReturnedLoan(loan, replacement, new DateOnly(2026, 11, 20), false, 0, caseId)],
            DateTimeOffset.UtcNow), returnedMessage);
        await Eventually.AssertAsync(async () => await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM inbox_messages WHERE message_id = '{returnedMessage}' AND consumer = 'support/repair-replacement-returned'") == 1,
            "the return was handled");
        await api.PublishAsync(new DevicesLent(school.Id, [new LentDevice(loan, replacement, FundingSource.TeacherLoanDevices, BorrowerKind.Teacher,
            new DateOnly(2026, 11, 3), new DateOnly(2027, 7, 31), caseId)], DateTimeOffset.UtcNow.AddMinutes(-1)), lentMessage);
        await Eventually.AssertAsync(async () => await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM inbox_messages WHERE message_id = '{lentMessage}' AND consumer = 'support/repair-replacement-lent'") == 1,
            "the hand-out was handled");

        var shown = await SupportApi.GetOkAsync(api.Agent, path);
        Assert.Equal((replacement, loan, "2026-11-20"), (shown.GetProperty("replacementDeviceId").GetGuid(), shown.GetProperty("replacementLoanId").GetGuid(),
            shown.GetProperty("replacementReturnedOn").GetString()));
    }

    [Fact]
    public async Task A_model_warranty_matches_a_devices_model_written_with_other_spaces_and_case()
    {
        var school = await api.SchoolAsync();
        var name = Guid.NewGuid().ToString("N")[..8];
        var terms = await api.Admin.PutAsync("/api/support/repair-terms", Json.Body(new
        {
            statutoryLiabilityMonths = 24,
            modelWarranties = new[] { new { manufacturer = "Apple", model = $"iPad  Pro {name}  11", warrantyMonths = 48 } },
        }));
        Assert.Equal(HttpStatusCode.OK, terms.StatusCode);
        var device = await RepairArrange.DeviceAsync(api, school, TabletOwnership.Teacher, new DateOnly(2023, 11, 2), null, $"ipad pro {name.ToUpperInvariant()} 11");

        var repair = await RepairArrange.OpenAsync(api, school, device);

        Assert.Equal(("manufacturerWarranty", "model-warranty"), (repair.GetProperty("payer").GetString(), repair.GetProperty("payerRule").GetString()));
    }

    [Fact]
    public async Task A_case_sent_by_several_agents_at_once_is_sent_once_and_the_others_are_refused_with_409_or_412()
    {
        var school = await api.SchoolAsync();
        var device = await RepairArrange.DeviceAsync(api, school, TabletOwnership.SchoolClassSet, new DateOnly(2020, 1, 1), null);
        var repair = await RepairArrange.OpenAsync(api, school, device);
        var caseId = repair.GetProperty("id").GetGuid();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            api.Agent.PostAsync($"/api/support/repairs/{caseId}/sent", Json.Body(new { sentOn = "2026-11-03", sentTo = $"Vendor {i}" }))));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Conflict, HttpStatusCode.PreconditionFailed }));
        Assert.Equal(1, await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM outbox_messages WHERE message_type = 'Mep.Contracts.Support.DeviceSentForRepair' AND aggregate_id = '{caseId}'"));
    }

    [Fact]
    public async Task A_vendor_sees_and_works_only_on_the_cases_of_its_groups_tickets()
    {
        await api.PersonAsync("css-review-otto", PlatformRoles.Vendor);
        await api.MemberAsync("css", "css-review-otto");
        var school = await api.SchoolAsync(atMepStandard: false, rooms: 1);
        var own = await RepairArrange.OpenAsync(api, school,
            await RepairArrange.DeviceAsync(api, school, TabletOwnership.SchoolClassSet, new DateOnly(2020, 1, 1), null), onSite: true);
        var others = await RepairArrange.OpenAsync(api, school,
            await RepairArrange.DeviceAsync(api, school, TabletOwnership.SchoolClassSet, new DateOnly(2020, 1, 1), null));
        var vendor = api.ClientAs(PlatformRoles.Vendor, "css-review-otto");

        var listed = await SupportApi.GetOkAsync(vendor, $"/api/support/repairs?schoolId={school.Id}&pageSize=200");
        var single = await vendor.GetAsync($"/api/support/repairs/{others.GetProperty("id").GetGuid()}");
        var cost = await vendor.PostAsync($"/api/support/repairs/{others.GetProperty("id").GetGuid()}/costs",
            Json.Body(new { amount = 10.00m, description = "Part", incurredOn = "2026-11-03" }));
        var report = await SupportApi.GetOkAsync(vendor, $"/api/support/repairs/reports/summary?schoolId={school.Id}&from=2026-01-01&to=2026-12-31");

        Assert.Equal([own.GetProperty("id").GetGuid()], listed.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()));
        await single.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await cost.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Equal(1, report.GetProperty("rows").EnumerateArray().Sum(r => r.GetProperty("cases").GetInt32()));
    }
}
