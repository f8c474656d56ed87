using System.Net;
using Mep.Contracts.Assets;

namespace Mep.Support.Tests;

/// <summary>
/// What repairs read of a device in Support's replica (make, warranty, purchase, the parents' provider, status) follows Assets' events:
/// an event without the later-added parts leaves them, and an older status never overwrites a newer one.
/// </summary>
public sealed class RepairDeviceReplicaTests(SupportApi api) : IClassFixture<SupportApi>
{
    private static readonly DeviceClassification Teacher =
        new(DeviceKind.Tablet, TabletOwnership.Teacher, null, null, null, FundingSource.TeacherLoanDevices, DeviceStatus.InService);

    private Task<string?> RowAsync(Guid device) => api.Database.ScalarAsync<string>($"""
        SELECT concat_ws('|', manufacturer, model, warranty_end, purchase_date, funding_source, contract_provider, status)
        FROM known_devices WHERE device_id = '{device}'
        """);

    private async Task<(TestSchool School, Guid Device)> RegisteredAsync()
    {
        var school = await api.SchoolAsync();
        var device = await RepairArrange.DeviceAsync(api, school, TabletOwnership.Teacher, new DateOnly(2025, 3, 1), new DateOnly(2027, 2, 28));
        return (school, device.Id);
    }

    [Fact]
    public async Task A_registration_brings_the_make_the_warranty_and_the_purchase()
    {
        var (_, device) = await RegisteredAsync();

        Assert.Equal("Apple|iPad 10|2027-02-28|2025-03-01|CityMepBudget|InService", await RowAsync(device));
    }

    [Fact]
    public async Task An_update_from_a_publisher_without_make_or_money_leaves_them()
    {
        var (school, device) = await RegisteredAsync();

        await api.PublishAsync(new DeviceUpdated(device, school.Id, null, Teacher, DateTimeOffset.UtcNow.AddSeconds(1)));

        await Eventually.AssertAsync(async () => await RowAsync(device) == "Apple|iPad 10|2027-02-28|2025-03-01|TeacherLoanDevices|InService",
            "the update applied without losing the make");
    }

    [Fact]
    public async Task A_status_change_is_kept_and_an_older_one_arriving_late_is_not()
    {
        var (school, device) = await RegisteredAsync();
        var later = DateTimeOffset.UtcNow.AddSeconds(10);
        await api.PublishAsync(new DeviceStatusChanged(device, school.Id, DeviceStatus.InService, DeviceStatus.InRepair, later));
        await Eventually.AssertAsync(async () => (await RowAsync(device))!.EndsWith("|InRepair", StringComparison.Ordinal), "in repair");
        var messageId = Guid.NewGuid();

        await api.PublishAsync(new DeviceStatusChanged(device, school.Id, DeviceStatus.InRepair, DeviceStatus.InService, later.AddSeconds(-5)), messageId);
        await Eventually.AssertAsync(async () => await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM inbox_messages WHERE message_id = '{messageId}'") == 1, "the older change was handled");

        Assert.EndsWith("|InRepair", await RowAsync(device), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resync_fills_in_the_make_warranty_and_purchase_of_a_device_registered_before_events_carried_them()
    {
        var school = await api.SchoolAsync();
        var (device, registeredAt) = (Guid.NewGuid(), DateTimeOffset.UtcNow);
        await api.PublishAsync(new DevicesRegistered(school.Id, [new RegisteredDevice(device, null, "RESYNC-OLD-1", Teacher)], registeredAt));
        await Eventually.AssertAsync(async () => await RowAsync(device) == "TeacherLoanDevices|InService", "the old registration applied");

        await api.PublishAsync(new DeviceStatesRepublished(school.Id, [new RepublishedDevice(device, null, "RESYNC-OLD-1", Teacher, registeredAt,
            new DeviceFinancials(new DateOnly(2025, 3, 1), 449.00m, 60, null), new DeviceMake("Apple", "iPad 10", new DateOnly(2027, 2, 28)))], registeredAt));

        await Eventually.AssertAsync(async () => await RowAsync(device) == "Apple|iPad 10|2027-02-28|2025-03-01|TeacherLoanDevices|InService",
            "the resync filled in make, warranty and purchase");
    }

    [Fact]
    public async Task A_resync_older_than_the_rows_state_changes_nothing()
    {
        var (school, device) = await RegisteredAsync();
        await api.PublishAsync(new DeviceStatusChanged(device, school.Id, DeviceStatus.InService, DeviceStatus.InRepair, DateTimeOffset.UtcNow.AddSeconds(10)));
        await Eventually.AssertAsync(async () => (await RowAsync(device))!.EndsWith("|InRepair", StringComparison.Ordinal), "in repair");
        var messageId = Guid.NewGuid();

        await api.PublishAsync(new DeviceStatesRepublished(school.Id, [new RepublishedDevice(device, null, "X", Teacher, DateTimeOffset.UtcNow.AddSeconds(-60),
            null, new DeviceMake("Other", "Other", null))], DateTimeOffset.UtcNow), messageId);
        await Eventually.AssertAsync(async () => await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM inbox_messages WHERE message_id = '{messageId}'") == 1, "the older resync was handled");

        Assert.Equal("Apple|iPad 10|2027-02-28|2025-03-01|CityMepBudget|InRepair", await RowAsync(device));
    }

    [Fact]
    public async Task A_registration_overtaken_by_a_newer_status_change_still_brings_the_serial_make_and_purchase()
    {
        var (school, device) = (await api.SchoolAsync(), Guid.NewGuid());
        var registeredAt = DateTimeOffset.UtcNow;
        await StatusChangeFirstAsync(school, device, registeredAt.AddSeconds(5));

        await api.PublishAsync(RegisteredAt(school, device, "OVERTAKEN-1", registeredAt));

        await Eventually.AssertAsync(async () => await RowAsync(device) == "Apple|iPad 10|2027-02-28|2025-03-01|TeacherLoanDevices|InRepair",
            "the registration's facts applied beside the newer status");
        Assert.Equal("OVERTAKEN-1", await api.Database.ScalarAsync<string>($"SELECT serial_number FROM known_devices WHERE device_id = '{device}'"));
    }

    [Fact]
    public async Task A_ticket_naming_the_serial_of_a_device_whose_status_change_overtook_its_registration_is_accepted()
    {
        var (school, device) = (await api.SchoolAsync(), Guid.NewGuid());
        var registeredAt = DateTimeOffset.UtcNow;
        await StatusChangeFirstAsync(school, device, registeredAt.AddSeconds(5));
        var registration = Guid.NewGuid();
        await api.PublishAsync(RegisteredAt(school, device, "OVERTAKEN-2", registeredAt), registration);
        await Eventually.AssertAsync(async () => await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM inbox_messages WHERE message_id = '{registration}'") == 1, "the registration was handled");

        using var response = await api.Agent.PostAsync("/api/support/tickets", Json.Body(SupportApi.Report("device-hardware",
            fields: [("schoolId", school.Id), ("deviceSerial", "OVERTAKEN-2")])));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>A status change Support handles before it hears of the device's registration (events of two queues, either order).</summary>
    private async Task StatusChangeFirstAsync(TestSchool school, Guid device, DateTimeOffset changedAt)
    {
        var messageId = Guid.NewGuid();
        await api.PublishAsync(new DeviceStatusChanged(device, school.Id, DeviceStatus.InService, DeviceStatus.InRepair, changedAt), messageId);
        await Eventually.AssertAsync(async () => await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM inbox_messages WHERE message_id = '{messageId}'") == 1, "the status change was handled");
    }

    private static DevicesRegistered RegisteredAt(TestSchool school, Guid device, string serial, DateTimeOffset registeredAt) =>
        new(school.Id, [new RegisteredDevice(device, null, serial, Teacher, new DeviceFinancials(new DateOnly(2025, 3, 1), 449.00m, 60, null),
            new DeviceMake("Apple", "iPad 10", new DateOnly(2027, 2, 28)))], registeredAt);
}
