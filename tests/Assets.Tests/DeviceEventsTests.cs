using System.Collections.Concurrent;
using MassTransit;
using Mep.Contracts.Assets;

namespace Mep.Assets.Tests;

/// <summary>What other services (Staffing, Support, Funding) receive from Assets over the broker.</summary>
public sealed class DeviceEventsTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    [Fact]
    public async Task A_consumer_receives_one_devices_registered_event_per_batch_with_the_classification_staffing_needs_then_the_status_change()
    {
        var registered = new ConcurrentQueue<DevicesRegistered>();
        var changed = new ConcurrentQueue<DeviceStatusChanged>();
        var bus = api.Broker.CreateBus();
        var queue = bus.ConnectReceiveEndpoint($"staffing-probe-{Guid.NewGuid():N}", endpoint =>
        {
            endpoint.Handler<DevicesRegistered>(context => Task.Run(() => registered.Enqueue(context.Message)));
            endpoint.Handler<DeviceStatusChanged>(context => Task.Run(() => changed.Enqueue(context.Message)));
        });
        await bus.StartAsync();
        try
        {
            await queue.Ready;
            var school = await api.SchoolAsync();
            var result = await (await api.ClientFor(school).PostAsync("/api/assets/devices/batch", AssetsApi.Batch([
                AssetsApi.Tablet("EVT-1", "parentFinancedPupil", ("subsidyCategory", "sibling"), ("familyReference", "FAM-0042"), ("siblingOrder", 2)),
                AssetsApi.Tablet("EVT-2", "teacher"),
            ]))).ReadJsonAsync();
            var device = result.GetProperty("devices")[0].GetProperty("deviceId").GetGuid();
            var second = result.GetProperty("devices")[1].GetProperty("deviceId").GetGuid();
            (await api.ClientFor(school).PostAsync($"/api/assets/devices/{device}/status", Json.Body(new { status = "inRepair" }))).EnsureSuccessStatusCode();

            await Eventually.AssertAsync(() => Task.FromResult(registered.Any(e => e.SchoolId == school.Id) && changed.Any(e => e.DeviceId == device)),
                "both events arrive");
            var message = registered.Single(e => e.SchoolId == school.Id);
            Assert.Equal([(device, "EVT-1"), (second, "EVT-2")], message.Devices.Select(d => (d.DeviceId, d.SerialNumber)));
            Assert.Equal(new DeviceClassification(DeviceKind.Tablet, TabletOwnership.ParentFinancedPupil, SubsidyCategory.Sibling, null, null,
                FundingSource.ParentFinanced, DeviceStatus.InService), message.Devices[0].Classification);
            var statusChange = changed.Single(e => e.DeviceId == device);
            Assert.Equal((DeviceStatus.InService, DeviceStatus.InRepair), (statusChange.From, statusChange.To));
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}
