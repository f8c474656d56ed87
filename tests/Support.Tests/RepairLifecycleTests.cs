using System.Net;
using System.Text.Json;
using Mep.Contracts.Assets;
using Mep.Contracts.Support;
using Mep.ServiceDefaults.Errors;

namespace Mep.Support.Tests;

/// <summary>
/// A repair case from opened to closed through HTTP: sent once and back in order of days, what crosses the broker to Assets, the
/// replacement Assets lends (or has none), a closed case final, one open case per device, and the third repair in twelve months flagged.
/// </summary>
public sealed class RepairLifecycleTests(SupportApi api) : IClassFixture<SupportApi>
{
    private static string Path(JsonElement repair, string step = "") => $"/api/support/repairs/{repair.GetProperty("id").GetGuid()}{step}";

    private async Task<(TestSchool School, RepairArrange.Device Device, JsonElement Repair)> OpenedAsync(TabletOwnership ownership = TabletOwnership.Teacher)
    {
        var school = await api.SchoolAsync();
        var device = await RepairArrange.DeviceAsync(api, school, ownership, new DateOnly(2020, 1, 1), null);
        return (school, device, await RepairArrange.OpenAsync(api, school, device));
    }

    private Task<JsonElement> SendAsync(JsonElement repair, string sentOn = "2026-11-03") =>
        SupportApi.PostOkAsync(api.Agent, Path(repair, "/sent"), new { sentOn, sentTo = "Apple Service Hannover" });

    [Fact]
    public async Task Sending_a_teachers_tablet_tells_assets_with_a_replacement_wanted()
    {
        await using var listener = await BrokerListener.StartAsync(api.Broker, events => events.Keep<DeviceSentForRepair>());
        var (school, device, repair) = await OpenedAsync(TabletOwnership.Teacher);

        var sent = await SendAsync(repair);

        await Eventually.AssertAsync(() => Task.FromResult(listener.Received<DeviceSentForRepair>().Any(e => e.DeviceId == device.Id)), "DeviceSentForRepair published");
        var published = listener.Received<DeviceSentForRepair>().Single(e => e.DeviceId == device.Id);
        Assert.Equal((repair.GetProperty("id").GetGuid(), repair.GetProperty("ticketId").GetGuid(), school.Id, RepairPayer.City, new DateOnly(2026, 11, 3), true),
            (published.RepairCaseId, published.TicketId, published.SchoolId, published.Payer, published.SentOn, published.ReplacementWanted));
        Assert.Equal(("sent", "2026-11-03", "Apple Service Hannover"), (sent.GetProperty("status").GetString(), sent.GetProperty("sentOn").GetString(),
            sent.GetProperty("sentTo").GetString()));
    }

    [Fact]
    public async Task A_class_set_tablet_is_sent_without_a_replacement_wanted()
    {
        var (_, _, repair) = await OpenedAsync(TabletOwnership.SchoolClassSet);

        await SendAsync(repair);

        var body = await api.Database.ScalarAsync<string>(
            $"SELECT body FROM outbox_messages WHERE message_type = 'Mep.Contracts.Support.DeviceSentForRepair' AND aggregate_id = '{repair.GetProperty("id").GetGuid()}'");
        Assert.False(JsonDocument.Parse(body!).RootElement.GetProperty("replacementWanted").GetBoolean());
    }

    [Fact]
    public async Task A_replacement_lent_by_assets_naming_the_case_is_shown_on_it_and_its_return_too()
    {
        var (school, _, repair) = await OpenedAsync();
        await SendAsync(repair);
        var (loan, replacement) = (Guid.NewGuid(), Guid.NewGuid());
        var caseId = repair.GetProperty("id").GetGuid();

        await api.PublishAsync(new DevicesLent(school.Id, [new LentDevice(loan, replacement, FundingSource.TeacherLoanDevices, BorrowerKind.Teacher,
            new DateOnly(2026, 11, 3), new DateOnly(2027, 7, 31), caseId)], DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () => (await SupportApi.GetOkAsync(api.Agent, Path(repair))).GetProperty("replacementLoanId").ValueKind
            == JsonValueKind.String, "the replacement is recorded");
        await api.PublishAsync(new DevicesReturned(school.Id, [new ReturnedLoan(loan, replacement, new DateOnly(2026, 11, 20), false, 0, caseId)],
            DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () => (await SupportApi.GetOkAsync(api.Agent, Path(repair))).GetProperty("replacementReturnedOn").ValueKind
            == JsonValueKind.String, "the replacement's return is recorded");

        var shown = await SupportApi.GetOkAsync(api.Agent, Path(repair));
        Assert.Equal((replacement, loan, false, "2026-11-20"), (shown.GetProperty("replacementDeviceId").GetGuid(), shown.GetProperty("replacementLoanId").GetGuid(),
            shown.GetProperty("replacementUnavailable").GetBoolean(), shown.GetProperty("replacementReturnedOn").GetString()));
    }

    [Fact]
    public async Task No_free_replacement_at_assets_is_shown_on_the_case()
    {
        var (school, device, repair) = await OpenedAsync();
        await SendAsync(repair);

        await api.PublishAsync(new ReplacementUnavailable(repair.GetProperty("id").GetGuid(), device.Id, school.Id, DateTimeOffset.UtcNow));

        await Eventually.AssertAsync(async () => (await SupportApi.GetOkAsync(api.Agent, Path(repair))).GetProperty("replacementUnavailable").GetBoolean(),
            "no replacement free is recorded");
    }

    [Fact]
    public async Task A_loan_of_another_school_naming_the_case_changes_nothing()
    {
        var (_, _, repair) = await OpenedAsync();
        var other = await api.SchoolAsync();
        var caseId = repair.GetProperty("id").GetGuid();
        var messageId = Guid.NewGuid();

        await api.PublishAsync(new DevicesLent(other.Id, [new LentDevice(Guid.NewGuid(), Guid.NewGuid(), null, BorrowerKind.Teacher, new DateOnly(2026, 11, 3),
            new DateOnly(2027, 7, 31), caseId)], DateTimeOffset.UtcNow), messageId);
        await Eventually.AssertAsync(async () => await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM inbox_messages WHERE message_id = '{messageId}'") == 1, "the loan was handled");

        Assert.Equal(JsonValueKind.Null, (await SupportApi.GetOkAsync(api.Agent, Path(repair))).GetProperty("replacementLoanId").ValueKind);
    }

    [Fact]
    public async Task Back_and_closed_as_repaired_tells_assets_and_counts_the_days_out_of_service()
    {
        await using var listener = await BrokerListener.StartAsync(api.Broker, events => events.Keep<RepairCaseClosed>());
        var (school, device, repair) = await OpenedAsync();
        await SendAsync(repair);
        await SupportApi.PostOkAsync(api.Agent, Path(repair, "/back"), new { backOn = "2026-11-17" });

        var closed = await SupportApi.PostOkAsync(api.Agent, Path(repair, "/close"), new { outcome = "repaired", closedOn = "2026-11-18" });

        Assert.Equal(("closed", "repaired", "2026-11-17", 14), (closed.GetProperty("status").GetString(), closed.GetProperty("outcome").GetString(),
            closed.GetProperty("backOn").GetString(), closed.GetProperty("daysOutOfService").GetInt32()));
        await Eventually.AssertAsync(() => Task.FromResult(listener.Received<RepairCaseClosed>().Any(e => e.DeviceId == device.Id)), "RepairCaseClosed published");
        Assert.Equal(new RepairCaseClosed(repair.GetProperty("id").GetGuid(), device.Id, school.Id, RepairOutcome.Repaired, new DateOnly(2026, 11, 18),
            listener.Received<RepairCaseClosed>().Single(e => e.DeviceId == device.Id).OccurredAt), listener.Received<RepairCaseClosed>().Single(e => e.DeviceId == device.Id));
    }

    [Fact]
    public async Task Back_before_the_day_it_was_sent_is_refused_naming_the_field_and_changes_nothing()
    {
        var (_, _, repair) = await OpenedAsync();
        await SendAsync(repair, "2026-11-10");

        var refused = await api.Agent.PostAsync(Path(repair, "/back"), Json.Body(new { backOn = "2026-11-09" }));

        var problem = await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal("repair-date-before-previous", problem.GetProperty("rule").GetString());
        Assert.Equal(["backOn"], problem.ErrorFields());
        Assert.Equal("sent", (await SupportApi.GetOkAsync(api.Agent, Path(repair))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_case_sent_once_is_not_sent_again()
    {
        var (_, _, repair) = await OpenedAsync();
        await SendAsync(repair);

        var again = await api.Agent.PostAsync(Path(repair, "/sent"), Json.Body(new { sentOn = "2026-11-04", sentTo = "Other vendor" }));

        var problem = await again.AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.Conflict);
        Assert.Equal("repair-already-sent", problem.GetProperty("rule").GetString());
        Assert.Equal(1, await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM outbox_messages WHERE message_type = 'Mep.Contracts.Support.DeviceSentForRepair' AND aggregate_id = '{repair.GetProperty("id").GetGuid()}'"));
    }

    [Fact]
    public async Task A_closed_case_is_final()
    {
        var (_, _, repair) = await OpenedAsync();
        await SupportApi.PostOkAsync(api.Agent, Path(repair, "/close"), new { outcome = "writtenOff", closedOn = "2026-11-02" });

        var refused = await api.Agent.PostAsync(Path(repair, "/sent"), Json.Body(new { sentOn = "2026-11-03", sentTo = "Apple" }));

        Assert.Equal("repair-case-closed", (await refused.AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.Conflict)).GetProperty("rule").GetString());
    }

    [Fact]
    public async Task A_device_has_one_open_case()
    {
        var (school, device, _) = await OpenedAsync();
        var ticket = await RepairArrange.TicketAsync(api, school, device);

        var refused = await api.Agent.PostAsync($"/api/support/tickets/{ticket}/repair", Json.Body(new { diagnosis = "Again", openedOn = "2026-11-02" }));

        var problem = await refused.AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.Conflict);
        Assert.Equal("repair-case-open-for-device", problem.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task A_stale_if_match_is_refused_with_412()
    {
        var (_, _, repair) = await OpenedAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, Path(repair, "/sent")) { Content = Json.Body(new { sentOn = "2026-11-03", sentTo = "Apple" }) };
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");

        var refused = await api.Agent.SendAsync(request);

        await refused.AssertProblemAsync(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
    }

    [Fact]
    public async Task The_third_repair_of_a_device_within_twelve_months_is_flagged_and_listed_as_such()
    {
        var school = await api.SchoolAsync();
        var device = await RepairArrange.DeviceAsync(api, school, TabletOwnership.Teacher, new DateOnly(2020, 1, 1), null);
        var flags = new List<bool>();
        foreach (var (opened, closed) in new[] { ("2025-11-20", "2025-11-21"), ("2026-03-10", "2026-03-11"), ("2026-11-02", null) })
        {
            var repair = await RepairArrange.OpenAsync(api, school, device, DateOnly.Parse(opened, System.Globalization.CultureInfo.InvariantCulture));
            flags.Add(repair.GetProperty("repeatRepair").GetBoolean());
            if (closed is not null)
            {
                await SupportApi.PostOkAsync(api.Agent, Path(repair, "/close"), new { outcome = "writtenOff", closedOn = closed });
            }
        }

        var flagged = await SupportApi.GetOkAsync(api.Agent, $"/api/support/repairs?schoolId={school.Id}&repeatRepair=true");

        Assert.Equal([false, false, true], flags);
        Assert.Equal("2026-11-02", Assert.Single(flagged.GetProperty("items").EnumerateArray()).GetProperty("openedOn").GetString());
    }

    [Fact]
    public async Task Repairs_more_than_twelve_months_apart_raise_no_flag()
    {
        var school = await api.SchoolAsync();
        var device = await RepairArrange.DeviceAsync(api, school, TabletOwnership.Teacher, new DateOnly(2020, 1, 1), null);
        JsonElement last = default;
        foreach (var (opened, closed) in new[] { ("2025-11-02", "2025-11-03"), ("2026-03-10", "2026-03-11"), ("2026-11-02", null) })
        {
            last = await RepairArrange.OpenAsync(api, school, device, DateOnly.Parse(opened, System.Globalization.CultureInfo.InvariantCulture));
            if (closed is not null)
            {
                await SupportApi.PostOkAsync(api.Agent, Path(last, "/close"), new { outcome = "writtenOff", closedOn = closed });
            }
        }

        Assert.False(last.GetProperty("repeatRepair").GetBoolean());
    }

    [Fact]
    public async Task A_case_naming_another_schools_device_is_refused_as_a_device_nobody_has()
    {
        var school = await api.SchoolAsync();
        var other = await api.SchoolAsync();
        var foreign = await RepairArrange.DeviceAsync(api, other, TabletOwnership.Teacher, new DateOnly(2020, 1, 1), null);
        var ticket = await SupportApi.OpenAsync(api.Agent, SupportApi.Report("mail", fields: [("schoolId", school.Id)]));

        var refused = await api.Agent.PostAsync($"/api/support/tickets/{ticket.GetProperty("id").GetGuid()}/repair",
            Json.Body(new { deviceId = foreign.Id, diagnosis = "Display", openedOn = "2026-11-02" }));

        var problem = await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal("device-unknown", problem.GetProperty("rule").GetString());
        Assert.Equal(["deviceId"], problem.ErrorFields());
        Assert.Equal(0, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM repair_cases WHERE device_id = '{foreign.Id}'"));
    }

    [Fact]
    public async Task A_case_on_a_ticket_without_a_device_must_name_one()
    {
        var school = await api.SchoolAsync();
        var ticket = await SupportApi.OpenAsync(api.Agent, SupportApi.Report("mail", fields: [("schoolId", school.Id)]));

        var refused = await api.Agent.PostAsync($"/api/support/tickets/{ticket.GetProperty("id").GetGuid()}/repair",
            Json.Body(new { diagnosis = "Display", openedOn = "2026-11-02" }));

        var problem = await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal("repair-device-missing", problem.GetProperty("rule").GetString());
        Assert.Equal(["deviceId"], problem.ErrorFields());
    }

    [Fact]
    public async Task A_school_key_reads_its_cases_but_does_not_open_one()
    {
        var school = await api.SchoolAsync();
        var device = await RepairArrange.DeviceAsync(api, school, TabletOwnership.Teacher, new DateOnly(2020, 1, 1), null);
        var ticket = await RepairArrange.TicketAsync(api, school, device);

        var refused = await api.ClientFor(school).PostAsync($"/api/support/tickets/{ticket}/repair", Json.Body(new { diagnosis = "Display" }));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}
