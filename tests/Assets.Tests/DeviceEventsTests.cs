using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
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

    /// <summary>What <see cref="AssetsApi.Tablet"/> records for a pupil's tablet: bought 2020-08-01 for 329.00 EUR, 60 months, 36 x 10.90 EUR with GfdB.</summary>
    private static DeviceFinancials PupilTabletFinancials(decimal monthlyRate = 10.90m) =>
        new(new DateOnly(2020, 8, 1), 329.00m, 60, new ParentContract(monthlyRate, 36, "GfdB"));

    [Fact]
    public async Task Registered_devices_carry_their_purchase_and_useful_life_and_only_a_parent_financed_tablet_its_parents_contract()
    {
        await using var listener = await BrokerListener.StartAsync(api.Broker, events => events.Keep<DevicesRegistered>());
        var school = await api.SchoolAsync();

        var response = await api.ClientFor(school).PostAsync("/api/assets/devices/batch", AssetsApi.Batch([
            AssetsApi.Tablet("FIN-PUPIL", "parentFinancedPupil"),
            AssetsApi.Tablet("FIN-TEACHER", "teacher", ("purchaseDate", "2021-03-15"), ("purchasePrice", 449.90m), ("usefulLifeMonths", 48)),
            AssetsApi.Device("FIN-SWITCH", "networkDevice"),
        ]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.AssertAsync(() => Task.FromResult(listener.Received<DevicesRegistered>().Any(e => e.SchoolId == school.Id)), "the registration arrived");
        Assert.Equal(
            [
                ("FIN-PUPIL", PupilTabletFinancials()),
                ("FIN-TEACHER", new DeviceFinancials(new DateOnly(2021, 3, 15), 449.90m, 48, null)),
                ("FIN-SWITCH", new DeviceFinancials(null, null, null, null)),
            ],
            Assert.Single(listener.Received<DevicesRegistered>(), e => e.SchoolId == school.Id).Devices.Select(d => (d.SerialNumber, d.Financials)));
    }

    [Fact]
    public async Task Changing_only_a_pupil_tablets_contract_rate_publishes_device_updated_with_the_new_rate_and_its_make_by_put_and_by_batch()
    {
        await using var listener = await BrokerListener.StartAsync(api.Broker, events => events.Keep<DeviceUpdated>());
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);
        var device = (await (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([AssetsApi.Tablet("FIN-RATE", "parentFinancedPupil")])))
            .ReadJsonAsync()).GetProperty("devices")[0].GetProperty("deviceId").GetGuid();
        var etag = (await client.GetAsync($"/api/assets/devices/{device}")).Headers.ETag!.Tag;
        using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/assets/devices/{device}")
        {
            Content = Json.Body(AssetsApi.Tablet("FIN-RATE", "parentFinancedPupil", ("contractMonthlyRate", 12.50m))),
        };
        put.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));

        var byPut = await client.SendAsync(put);
        var byBatch = await client.PostAsync("/api/assets/devices/batch",
            AssetsApi.Batch([AssetsApi.Tablet("FIN-RATE", "parentFinancedPupil", ("contractMonthlyRate", 11.90m))]));

        Assert.Equal(HttpStatusCode.OK, byPut.StatusCode);
        Assert.Equal(1, (await byBatch.ReadJsonAsync()).GetProperty("updated").GetInt32());
        await Eventually.AssertAsync(() => Task.FromResult(listener.Received<DeviceUpdated>().Count(e => e.DeviceId == device) == 2), "both updates arrived");
        var updates = listener.Received<DeviceUpdated>().Where(e => e.DeviceId == device).ToList();
        var classification = new DeviceClassification(DeviceKind.Tablet, TabletOwnership.ParentFinancedPupil, SubsidyCategory.None, null, null,
            FundingSource.ParentFinanced, DeviceStatus.InService);
        Assert.Equal(new DeviceUpdated(device, school.Id, null, classification, (await byPut.ReadJsonAsync()).GetProperty("updatedAt").GetDateTimeOffset(),
            PupilTabletFinancials(12.50m), new DeviceMake("Apple", "iPad 10.2 (9th gen)", null)), updates[0]);
        Assert.Equal((classification, PupilTabletFinancials(11.90m)), (updates[1].Classification, updates[1].Financials));
    }
}
