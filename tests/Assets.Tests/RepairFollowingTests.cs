using System.Text.Json;
using Mep.Contracts.Assets;
using Mep.Contracts.Support;

namespace Mep.Assets.Tests;

/// <summary>
/// Assets follows Support's repair cases: the device's status, and a replacement loan for its user while it is away. Support's events are
/// published on the broker as Support publishes them; what Assets publishes is read from its outbox or a listener on the broker.
/// </summary>
public sealed class RepairFollowingTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    private async Task<(TestSchool School, Guid Device)> DeviceAsync(string serial, string ownership = "teacher", string status = "inService")
    {
        var school = await api.SchoolAsync();
        return (school, await RepairCases.RegisterAsync(api, school, AssetsApi.Tablet(serial, ownership, ("status", status))));
    }

    private async Task<string?> StatusAsync(TestSchool school, Guid device) =>
        (await (await api.ClientFor(school).GetAsync($"/api/assets/devices/{device}")).ReadJsonAsync()).GetProperty("status").GetString();

    private Task AssertStatusAsync(TestSchool school, Guid device, string status) =>
        Eventually.AssertAsync(async () => await StatusAsync(school, device) == status, $"the device is {status}");

    private Task<long> OutboxCountAsync(string eventType, string field, Guid id) => api.Database.ScalarAsync<long>(
        $"SELECT count(*) FROM outbox_messages WHERE message_type = 'Mep.Contracts.{eventType}' AND body::jsonb->>'{field}' = '{id}'");

    private Task<string?> NotFollowedAsync(Guid repairCase) =>
        api.Database.ScalarAsync<string>($"SELECT device_not_followed FROM device_repairs WHERE repair_case_id = '{repairCase}'");

    private static DeviceSentForRepair Sent(Guid repairCase, TestSchool school, Guid device, bool replacementWanted = false) =>
        RepairCases.Sent(repairCase, school, device, RepairPayer.SchoolSystemSupportBudget, replacementWanted);

    private static RepairCaseClosed Closed(Guid repairCase, TestSchool school, Guid device, RepairOutcome outcome) =>
        RepairCases.Closed(repairCase, school, device, outcome);

    private async Task<List<JsonElement>> StatusHistoryAsync(TestSchool school, Guid device) =>
        [.. (await (await api.ClientFor(school).GetAsync($"/api/assets/devices/{device}/history")).ReadJsonAsync()).EnumerateArray()
            .Where(h => h.GetProperty("change").GetString() == "statusChanged")];

    [Fact]
    public async Task A_device_sent_for_repair_goes_in_repair_and_its_status_change_is_published_by_the_repair_case()
    {
        await using var listener = await BrokerListener.StartAsync(api.Broker, events => events.Keep<DeviceStatusChanged>());
        var (school, device) = await DeviceAsync("REP-SENT-1");
        var repairCase = Guid.NewGuid();

        await api.PublishAsync(Sent(repairCase, school, device));

        await AssertStatusAsync(school, device, "inRepair");
        await Eventually.AssertAsync(() => Task.FromResult(listener.Received<DeviceStatusChanged>().Any(e => e.DeviceId == device)),
            "Staffing and Funding hear of the status change");
        var change = Assert.Single(listener.Received<DeviceStatusChanged>(), e => e.DeviceId == device);
        Assert.Equal((school.Id, DeviceStatus.InService, DeviceStatus.InRepair), (change.SchoolId, change.From, change.To));
        var line = Assert.Single(await StatusHistoryAsync(school, device));
        Assert.Equal(("support-repair-case", "inRepair", $"Repair case {repairCase}: sent for repair on 2026-11-02."),
            (line.GetProperty("actor").GetString(), line.GetProperty("toStatus").GetString(), line.GetProperty("note").GetString()));
    }

    [Fact]
    public async Task A_repaired_device_is_back_in_service()
    {
        var (school, device) = await DeviceAsync("REP-BACK-1");
        var repairCase = Guid.NewGuid();
        await api.PublishAsync(Sent(repairCase, school, device));
        await AssertStatusAsync(school, device, "inRepair");

        await api.PublishAsync(Closed(repairCase, school, device, RepairOutcome.Repaired));

        await AssertStatusAsync(school, device, "inService");
        Assert.Equal(["inRepair", "inService"], (await StatusHistoryAsync(school, device)).Select(h => h.GetProperty("toStatus").GetString()));
    }

    [Fact]
    public async Task A_written_off_device_is_retired_and_its_retirement_is_published()
    {
        var (school, device) = await DeviceAsync("REP-GONE-1");
        var repairCase = Guid.NewGuid();
        await api.PublishAsync(Sent(repairCase, school, device));
        await AssertStatusAsync(school, device, "inRepair");

        await api.PublishAsync(Closed(repairCase, school, device, RepairOutcome.WrittenOff));

        await AssertStatusAsync(school, device, "retired");
        Assert.Equal(1, await OutboxCountAsync("Assets.DeviceRetired", "deviceId", device));
        Assert.Equal(2, await OutboxCountAsync("Assets.DeviceStatusChanged", "deviceId", device));
    }

    [Fact]
    public async Task A_repeated_send_changes_the_device_once_whether_redelivered_or_sent_again_under_a_new_message_id()
    {
        var (school, device) = await DeviceAsync("REP-TWICE-1");
        var repairCase = Guid.NewGuid();
        var sent = Sent(repairCase, school, device);
        var messageId = Guid.NewGuid();

        await Task.WhenAll(api.PublishAsync(sent, messageId), api.PublishAsync(sent, messageId));
        await Eventually.AssertAsync(async () =>
            await api.Database.ScalarAsync<long>($"SELECT count(*) FROM inbox_messages WHERE message_id = '{messageId}'") == 1, "the send applied");
        await api.DeliverAllAtOnceAsync([sent], AssetsService.PathPrefix);

        Assert.Equal("inRepair", await StatusAsync(school, device));
        Assert.Single(await StatusHistoryAsync(school, device));
        Assert.Equal(1, await OutboxCountAsync("Assets.DeviceStatusChanged", "deviceId", device));
    }

    [Fact]
    public async Task A_close_delivered_before_its_send_leaves_the_device_in_service()
    {
        var (school, device) = await DeviceAsync("REP-ORDER-1");
        var repairCase = Guid.NewGuid();

        await api.DeliverAllAtOnceAsync([Closed(repairCase, school, device, RepairOutcome.Repaired)], AssetsService.PathPrefix);
        await api.DeliverAllAtOnceAsync([Sent(repairCase, school, device)], AssetsService.PathPrefix);

        Assert.Equal("inService", await StatusAsync(school, device));
        Assert.Empty(await StatusHistoryAsync(school, device));
        Assert.Equal("repair-closed-before-sent", await NotFollowedAsync(repairCase));
    }

    [Fact]
    public async Task A_write_off_delivered_before_its_send_retires_the_device_and_the_late_send_changes_nothing()
    {
        var (school, device) = await DeviceAsync("REP-ORDER-2");
        var repairCase = Guid.NewGuid();

        await api.DeliverAllAtOnceAsync([Closed(repairCase, school, device, RepairOutcome.WrittenOff)], AssetsService.PathPrefix);
        await api.DeliverAllAtOnceAsync([Sent(repairCase, school, device)], AssetsService.PathPrefix);

        Assert.Equal("retired", await StatusAsync(school, device));
        Assert.Equal(["retired"], (await StatusHistoryAsync(school, device)).Select(h => h.GetProperty("toStatus").GetString()));
    }

    [Fact]
    public async Task A_send_for_a_retired_device_is_skipped_with_its_reason_and_parks_no_message()
    {
        var (school, device) = await DeviceAsync("REP-RETIRED-1");
        (await api.ClientFor(school).PostAsync($"/api/assets/devices/{device}/retire", Json.Body(new { reason = "dropped" }))).EnsureSuccessStatusCode();
        var repairCase = Guid.NewGuid();

        await api.DeliverAllAtOnceAsync([Sent(repairCase, school, device, replacementWanted: true)], AssetsService.PathPrefix);

        Assert.Equal("retired", await StatusAsync(school, device));
        Assert.Equal("device-retired", await NotFollowedAsync(repairCase));
        Assert.Equal(0, await OutboxCountAsync("Assets.ReplacementUnavailable", "repairCaseId", repairCase));
    }

    [Fact]
    public async Task A_close_for_a_lost_device_is_skipped_with_its_reason_and_parks_no_message()
    {
        var (school, device) = await DeviceAsync("REP-LOST-1");
        var repairCase = Guid.NewGuid();
        await api.PublishAsync(Sent(repairCase, school, device));
        await AssertStatusAsync(school, device, "inRepair");
        (await api.ClientFor(school).PostAsync($"/api/assets/devices/{device}/status", Json.Body(new { status = "lost" }))).EnsureSuccessStatusCode();

        await api.DeliverAllAtOnceAsync([Closed(repairCase, school, device, RepairOutcome.Repaired)], AssetsService.PathPrefix);

        Assert.Equal("lost", await StatusAsync(school, device));
        Assert.Equal("device-lost", await NotFollowedAsync(repairCase));
    }

    [Fact]
    public async Task A_send_for_a_device_assets_does_not_know_is_skipped_and_parks_no_message()
    {
        var school = await api.SchoolAsync();
        var repairCase = Guid.NewGuid();

        await api.DeliverAllAtOnceAsync([Sent(repairCase, school, Guid.NewGuid(), replacementWanted: true)], AssetsService.PathPrefix);

        Assert.Equal("device-unknown", await NotFollowedAsync(repairCase));
    }
}

/// <summary>What the repair tests publish as Support does, and the devices they register as a school does.</summary>
internal static class RepairCases
{
    public static readonly DateOnly SentOn = new(2026, 11, 2);
    public static readonly DateOnly ClosedOn = new(2026, 11, 20);

    public static async Task<Guid> RegisterAsync(AssetsApi api, TestSchool school, Dictionary<string, object?> row)
    {
        var result = await (await api.ClientFor(school).PostAsync("/api/assets/devices/batch", AssetsApi.Batch([row]))).ReadJsonAsync();
        return result.GetProperty("devices")[0].GetProperty("deviceId").GetGuid();
    }

    public static DeviceSentForRepair Sent(Guid repairCase, TestSchool school, Guid device, RepairPayer payer, bool replacementWanted) =>
        new(repairCase, Guid.NewGuid(), device, school.Id, payer, SentOn, replacementWanted, DateTimeOffset.UtcNow);

    public static RepairCaseClosed Closed(Guid repairCase, TestSchool school, Guid device, RepairOutcome outcome) =>
        new(repairCase, device, school.Id, outcome, ClosedOn, DateTimeOffset.UtcNow);
}
