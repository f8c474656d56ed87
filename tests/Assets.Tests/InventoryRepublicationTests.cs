using System.Net;
using System.Text.Json;
using Mep.Contracts.Assets;
using Mep.Contracts.Replication;
using Mep.ServiceDefaults.Errors;

namespace Mep.Assets.Tests;

/// <summary>A service that rebuilt its replica gets every device and board system again, as they are now.</summary>
public sealed class InventoryRepublicationTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    [Fact]
    public async Task Republishing_sends_every_device_retired_included_with_its_classification_financials_make_and_as_of_and_every_board_system_with_its_dismantling()
    {
        var school = await api.SchoolAsync(rooms: 3);
        using var client = api.ClientFor(school);
        var kept = await AssetsApi.SetUpBoardSystemAsync(client, school.Rooms[1]);
        var dismantled = await AssetsApi.SetUpBoardSystemAsync(client, school.Rooms[2]);
        var registered = await (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([
            AssetsApi.Tablet("REP-PUPIL", "parentFinancedPupil", ("subsidyCategory", "sibling"), ("familyReference", "FAM-7"), ("siblingOrder", 2)),
            AssetsApi.Tablet("REP-TEACHER", "teacher"),
            AssetsApi.Device("REP-WB", "boardSystemComponent", ("componentKind", "whiteboard"), ("roomId", school.Rooms[1]), ("boardSystemId", kept)),
            AssetsApi.Device("REP-PC", "boardSystemComponent", ("componentKind", "miniPc"), ("roomId", school.Rooms[2]), ("boardSystemId", dismantled)),
            AssetsApi.Device("REP-SWITCH", "networkDevice"),
        ]))).ReadJsonAsync();
        var ids = registered.GetProperty("devices").EnumerateArray()
            .ToDictionary(d => d.GetProperty("serialNumber").GetString()!, d => d.GetProperty("deviceId").GetGuid());
        (await client.PostAsync($"/api/assets/devices/{ids["REP-TEACHER"]}/status", Json.Body(new { status = "inRepair" }))).EnsureSuccessStatusCode();
        (await client.PostAsync($"/api/assets/devices/{ids["REP-SWITCH"]}/retire", Json.Body(new { reason = "replaced" }))).EnsureSuccessStatusCode();
        (await client.PostAsync($"/api/assets/board-systems/{dismantled}/dismantle", null)).EnsureSuccessStatusCode();
        await using var listener = await BrokerListener.StartAsync(api.Broker,
            events => events.Keep<DeviceStatesRepublished>().Keep<BoardSystemStatesRepublished>());

        var response = await api.Admin.PostAsync("/api/assets/admin/inventory/republish", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var counts = await response.ReadJsonAsync();
        Assert.Equal((1, 5, 2, 2), (counts.GetProperty("schools").GetInt32(), counts.GetProperty("devices").GetInt32(),
            counts.GetProperty("boardSystems").GetInt32(), counts.GetProperty("events").GetInt32()));
        await Eventually.AssertAsync(() => Task.FromResult(listener.Received<DeviceStatesRepublished>().Count == 1
            && listener.Received<BoardSystemStatesRepublished>().Count == 1), "the school's devices and board systems arrived");

        var devices = Assert.Single(listener.Received<DeviceStatesRepublished>(), e => e.SchoolId == school.Id).Devices.OrderBy(d => d.SerialNumber).ToList();
        var (bought, noMoney) = (new DeviceFinancials(new DateOnly(2020, 8, 1), 329.00m, 60, null), new DeviceFinancials(null, null, null, null));
        var states = new Dictionary<string, (DeviceClassification Classification, DeviceFinancials Financials)>
        {
            ["REP-PC"] = (new(DeviceKind.BoardSystemComponent, null, null, null, BoardComponentKind.MiniPc, null, DeviceStatus.InService), noMoney),
            ["REP-PUPIL"] = (new(DeviceKind.Tablet, TabletOwnership.ParentFinancedPupil, SubsidyCategory.Sibling, null, null, FundingSource.ParentFinanced,
                DeviceStatus.InService), bought with { ParentContract = new ParentContract(10.90m, 36, "GfdB") }),
            ["REP-SWITCH"] = (new(DeviceKind.NetworkDevice, null, null, null, null, null, DeviceStatus.Retired), noMoney),
            ["REP-TEACHER"] = (new(DeviceKind.Tablet, TabletOwnership.Teacher, null, null, null, FundingSource.DigitalPaktBase, DeviceStatus.InRepair), bought),
            ["REP-WB"] = (new(DeviceKind.BoardSystemComponent, null, null, kept, BoardComponentKind.Whiteboard, null, DeviceStatus.InService), noMoney),
        };
        var expected = new List<RepublishedDevice>();
        foreach (var (serial, (classification, financials)) in states)
        {
            var stored = await (await api.Planner.GetAsync($"/api/assets/devices/{ids[serial]}")).ReadJsonAsync();
            expected.Add(new RepublishedDevice(ids[serial], RoomOf(stored), serial, classification, stored.GetProperty("updatedAt").GetDateTimeOffset(),
                financials, MakeOf(stored)));
        }

        Assert.Equal(expected, devices);
        foreach (var device in devices)
        {
            AssertSameMicrosecond(await LatestEventAtAsync($"aggregate_id = 'device:{device.DeviceId}' OR (message_type = 'Mep.Contracts.Assets.DevicesRegistered' "
                + $"AND body::jsonb->'devices' @> '[{{\"deviceId\":\"{device.DeviceId}\"}}]')"), device.AsOf);
        }

        var systems = Assert.Single(listener.Received<BoardSystemStatesRepublished>(), e => e.SchoolId == school.Id).BoardSystems;
        Assert.Equal([(kept, school.Rooms[1], false), (dismantled, school.Rooms[2], true)],
            systems.Select(s => (s.BoardSystemId, s.RoomId, s.Dismantled)).OrderBy(s => s.Dismantled));
        foreach (var system in systems)
        {
            AssertSameMicrosecond(await LatestEventAtAsync($"aggregate_id = 'board-system:{system.BoardSystemId}'"), system.AsOf);
        }
    }

    private static DeviceMake MakeOf(JsonElement device) =>
        new(device.GetProperty("manufacturer").GetString()!, device.GetProperty("model").GetString()!,
            device.GetProperty("warrantyEnd").Deserialize<DateOnly?>());

    private static Guid? RoomOf(JsonElement device) =>
        device.GetProperty("roomId").ValueKind == JsonValueKind.Null ? null : device.GetProperty("roomId").GetGuid();

    /// <summary>When the latest event about something happened, as its outbox row says (republications aside).</summary>
    private async Task<DateTimeOffset> LatestEventAtAsync(string about) =>
        DateTimeOffset.Parse((await api.Database.ScalarAsync<string>($"""
            SELECT body::jsonb->>'occurredAt' FROM outbox_messages
            WHERE message_type NOT LIKE '%Republished' AND ({about}) ORDER BY sequence DESC LIMIT 1
            """))!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>PostgreSQL keeps microseconds, .NET ticks of a tenth: a stored time is the event's time at microsecond precision.</summary>
    private static void AssertSameMicrosecond(DateTimeOffset expected, DateTimeOffset actual) =>
        Assert.True(Math.Abs((expected - actual).Ticks) < 10, $"{actual:O} is not {expected:O}");
}

/// <summary>The republication is chunked per school, so that one event never carries more devices than the contract allows.</summary>
public sealed class InventoryRepublicationChunkTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    [Fact]
    public async Task A_school_with_more_than_5000_devices_is_republished_in_events_of_at_most_5000_each_device_once()
    {
        var large = await api.SchoolAsync();
        var small = await api.SchoolAsync();
        var largeIds = await RegisterAsync(large, Enumerable.Range(0, 5_000).Select(i => $"BIG-{i:D5}"));
        largeIds.AddRange(await RegisterAsync(large, ["BIG-05000"]));
        var smallIds = await RegisterAsync(small, ["SMALL-1", "SMALL-2"]);
        await using var listener = await BrokerListener.StartAsync(api.Broker, events => events.Keep<DeviceStatesRepublished>());

        var counts = await (await api.Admin.PostAsync("/api/assets/admin/inventory/republish", null)).ReadJsonAsync();

        Assert.Equal((2, 5_003, 3), (counts.GetProperty("schools").GetInt32(), counts.GetProperty("devices").GetInt32(), counts.GetProperty("events").GetInt32()));
        await Eventually.AssertAsync(() => Task.FromResult(listener.Received<DeviceStatesRepublished>().Count == 3), "all three events arrived");
        var ofLarge = listener.Received<DeviceStatesRepublished>().Where(e => e.SchoolId == large.Id).ToList();
        Assert.Equal([5_000, 1], ofLarge.Select(e => e.Devices.Count));
        Assert.Equal(largeIds.Order(), ofLarge.SelectMany(e => e.Devices).Select(d => d.DeviceId).Order());
        var ofSmall = Assert.Single(listener.Received<DeviceStatesRepublished>(), e => e.SchoolId == small.Id);
        Assert.Equal(smallIds.Order(), ofSmall.Devices.Select(d => d.DeviceId).Order());
    }

    private async Task<List<Guid>> RegisterAsync(TestSchool school, IEnumerable<string> serials)
    {
        var response = await api.ClientFor(school).PostAsync("/api/assets/devices/batch",
            AssetsApi.Batch(serials.Select(serial => (object)AssetsApi.Device(serial, "networkDevice"))));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.ReadJsonAsync()).GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("deviceId").GetGuid())];
    }
}

/// <summary>Who may start a republication: an admin on the API, or another service through a resync request on the broker.</summary>
public sealed class InventoryResyncTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    private const string Consumer = "assets/replica-resync-requested";

    [Fact]
    public async Task Only_an_admin_may_republish_the_inventory()
    {
        var school = await api.SchoolAsync();

        var asPlanner = await api.Planner.PostAsync("/api/assets/admin/inventory/republish", null);
        var asSchool = await api.ClientFor(school).PostAsync("/api/assets/admin/inventory/republish", null);

        await asPlanner.AssertProblemAsync(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await asSchool.AssertProblemAsync(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        Assert.Equal(0, await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%Republished' AND aggregate_id = 'school-registrations:{school.Id}'"));
    }

    [Fact]
    public async Task A_resync_request_on_the_broker_republishes_the_inventory_once_per_request_even_when_delivered_twice()
    {
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);
        await AssetsApi.SetUpBoardSystemAsync(client, school.Rooms[1]);
        (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([AssetsApi.Tablet("RESYNC-1"), AssetsApi.Tablet("RESYNC-2")])))
            .EnsureSuccessStatusCode();
        await using var listener = await BrokerListener.StartAsync(api.Broker,
            events => events.Keep<DeviceStatesRepublished>().Keep<BoardSystemStatesRepublished>());
        var (request, redelivered) = (Guid.NewGuid(), new ReplicaResyncRequested(Guid.NewGuid(), "staffing", DateTimeOffset.UtcNow));

        await listener.PublishAsync(redelivered, request);
        await listener.PublishAsync(redelivered, request);
        await listener.PublishAsync(new ReplicaResyncRequested(Guid.NewGuid(), "funding", DateTimeOffset.UtcNow));

        // One request at a time, in order: once the second request is answered, so is the redelivery before it.
        await Eventually.AssertAsync(async () => await api.Database.ScalarAsync<long>($"SELECT count(*) FROM inbox_messages WHERE consumer = '{Consumer}'") == 2,
            "both requests were answered", TimeSpan.FromSeconds(60));
        Assert.Equal(2, await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%DeviceStatesRepublished' AND aggregate_id = 'school-registrations:{school.Id}'"));
        await Eventually.AssertAsync(() => Task.FromResult(listener.Received<DeviceStatesRepublished>().Count(e => e.SchoolId == school.Id) == 2
            && listener.Received<BoardSystemStatesRepublished>().Count(e => e.SchoolId == school.Id) == 2), "both answers arrived");
        Assert.All(listener.Received<DeviceStatesRepublished>().Where(e => e.SchoolId == school.Id),
            e => Assert.Equal(["RESYNC-1", "RESYNC-2"], e.Devices.Select(d => d.SerialNumber).Order()));
    }
}
