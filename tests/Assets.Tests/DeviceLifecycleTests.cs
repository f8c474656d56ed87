using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Mep.Assets.Tests;

public sealed class DeviceLifecycleTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    private async Task<(TestSchool School, Guid Device)> DeviceAsync(string serial, string status = "inService")
    {
        var school = await api.SchoolAsync();
        var result = await (await api.ClientFor(school).PostAsync("/api/assets/devices/batch",
            AssetsApi.Batch([AssetsApi.Tablet(serial, "teacher", ("status", status))]))).ReadJsonAsync();
        return (school, result.GetProperty("devices")[0].GetProperty("deviceId").GetGuid());
    }

    private static HttpRequestMessage Put(Guid device, object body, string? etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/assets/devices/{device}") { Content = Json.Body(body) };
        if (etag is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        }

        return request;
    }

    [Fact]
    public async Task A_device_goes_from_ordered_to_retired_through_the_allowed_steps_and_each_step_is_in_its_history()
    {
        var (school, device) = await DeviceAsync("LIFE-1", status: "ordered");
        using var client = api.ClientFor(school);

        foreach (var status in new[] { "delivered", "inService", "inRepair", "inService", "lost", "inService" })
        {
            var response = await client.PostAsync($"/api/assets/devices/{device}/status", Json.Body(new { status, note = $"to {status}" }));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(status, (await response.ReadJsonAsync()).GetProperty("status").GetString());
        }

        (await client.PostAsync($"/api/assets/devices/{device}/retire", Json.Body(new { reason = "battery swollen" }))).EnsureSuccessStatusCode();

        var history = (await (await client.GetAsync($"/api/assets/devices/{device}/history")).ReadJsonAsync()).EnumerateArray().ToList();
        Assert.Equal(["registered", "statusChanged", "statusChanged", "statusChanged", "statusChanged", "statusChanged", "statusChanged", "statusChanged"],
            history.Select(h => h.GetProperty("change").GetString()));
        Assert.Equal("retired", history[^1].GetProperty("toStatus").GetString());
        Assert.Equal("battery swollen", history[^1].GetProperty("note").GetString());
        Assert.Equal(1, await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM outbox_messages WHERE message_type = 'Mep.Contracts.Assets.DeviceRetired' AND body::jsonb->>'deviceId' = '{device}'"));
    }

    [Fact]
    public async Task A_transition_that_is_not_allowed_is_refused_naming_the_allowed_ones()
    {
        var (school, device) = await DeviceAsync("LIFE-2", status: "ordered");
        using var client = api.ClientFor(school);

        var skipped = await client.PostAsync($"/api/assets/devices/{device}/status", Json.Body(new { status = "inRepair" }));

        var problem = await skipped.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:domain-rule");
        Assert.Equal("device-status-transition", problem.GetProperty("rule").GetString());
        Assert.Contains("delivered, retired", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_retired_device_takes_no_further_status_change()
    {
        var (school, device) = await DeviceAsync("LIFE-2R", status: "ordered");
        using var client = api.ClientFor(school);
        (await client.PostAsync($"/api/assets/devices/{device}/retire", Json.Body(new { reason = "order cancelled" }))).EnsureSuccessStatusCode();

        var afterRetired = await client.PostAsync($"/api/assets/devices/{device}/status", Json.Body(new { status = "inService" }));

        await afterRetired.AssertProblemAsync(HttpStatusCode.Conflict, "urn:mep:problem:conflict");
    }

    /// <summary>A device of a new school, and the device's current ETag.</summary>
    private async Task<(TestSchool School, Guid Device, string ETag)> DeviceToChangeAsync(string serial)
    {
        var (school, device) = await DeviceAsync(serial);
        using var client = api.ClientFor(school);
        return (school, device, (await client.GetAsync($"/api/assets/devices/{device}")).Headers.ETag!.Tag);
    }

    private static Dictionary<string, object?> EnrolledIPadPro(string serial) =>
        AssetsApi.Tablet(serial, "teacher", ("model", "iPad Pro"), ("mdmState", "enrolled"), ("mdmEnrolledOn", "2021-02-01"));

    [Fact]
    public async Task A_put_without_if_match_is_a_428()
    {
        var (school, device, _) = await DeviceToChangeAsync("LIFE-3A");
        using var client = api.ClientFor(school);

        var without = await client.SendAsync(Put(device, EnrolledIPadPro("LIFE-3A"), etag: null));

        await without.AssertProblemAsync(HttpStatusCode.PreconditionRequired, "urn:mep:problem:precondition-required");
    }

    [Fact]
    public async Task A_put_with_the_current_etag_changes_the_device_and_its_etag()
    {
        var (school, device, etag) = await DeviceToChangeAsync("LIFE-3");
        using var client = api.ClientFor(school);

        var ok = await client.SendAsync(Put(device, EnrolledIPadPro("LIFE-3"), etag));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.NotEqual(etag, ok.Headers.ETag!.Tag);
        var body = await ok.ReadJsonAsync();
        Assert.Equal("iPad Pro", body.GetProperty("model").GetString());
        Assert.Equal("enrolled", body.GetProperty("mdmState").GetString());
    }

    [Fact]
    public async Task A_put_with_a_stale_etag_is_a_412_and_changes_nothing()
    {
        var (school, device, etag) = await DeviceToChangeAsync("LIFE-3S");
        using var client = api.ClientFor(school);
        (await client.SendAsync(Put(device, EnrolledIPadPro("LIFE-3S"), etag))).EnsureSuccessStatusCode();

        var stale = await client.SendAsync(Put(device, AssetsApi.Tablet("LIFE-3S", "teacher", ("model", "iPad mini")), etag));

        await stale.AssertProblemAsync(HttpStatusCode.PreconditionFailed, "urn:mep:problem:precondition-failed");
        Assert.Equal("iPad Pro", await api.Database.ScalarAsync<string>($"SELECT model FROM devices WHERE id = '{device}'"));
    }

    [Fact]
    public async Task A_put_cannot_change_the_status_or_take_another_schools_serial()
    {
        var (school, device) = await DeviceAsync("LIFE-4");
        var (_, _) = await DeviceAsync("LIFE-OTHER");
        using var client = api.ClientFor(school);
        var etag = (await client.GetAsync($"/api/assets/devices/{device}")).Headers.ETag!.Tag;

        var status = await client.SendAsync(Put(device, AssetsApi.Tablet("LIFE-4", "teacher", ("status", "retired")), etag));
        var taken = await client.SendAsync(Put(device, AssetsApi.Tablet("LIFE-OTHER"), etag));
        var corrected = await client.SendAsync(Put(device, AssetsApi.Tablet("life-4b"), etag));

        Assert.Contains("status", (await status.AssertProblemAsync(HttpStatusCode.BadRequest, "urn:mep:problem:validation")).ErrorFields());
        var conflict = await taken.AssertProblemAsync(HttpStatusCode.Conflict, "urn:mep:problem:conflict");
        Assert.Contains("another school", conflict.GetProperty("detail").GetString());
        Assert.Equal("LIFE-4B", (await corrected.ReadJsonAsync()).GetProperty("serialNumber").GetString());
    }

    [Fact]
    public async Task A_school_key_may_not_move_a_device()
    {
        var (from, device) = await DeviceAsync("MOVE-KEY");
        var to = await api.SchoolAsync();

        var byKey = await api.ClientFor(from).PostAsync($"/api/assets/devices/{device}/move", Json.Body(new { schoolId = to.Id, roomId = to.Rooms[0] }));

        await byKey.AssertProblemAsync(HttpStatusCode.Forbidden, "urn:mep:problem:forbidden");
    }

    [Fact]
    public async Task A_move_into_a_room_of_another_school_than_the_target_is_a_validation_error()
    {
        var (from, device) = await DeviceAsync("MOVE-ROOM");
        var to = await api.SchoolAsync();

        var intoForeignRoom = await api.Planner.PostAsync($"/api/assets/devices/{device}/move", Json.Body(new { schoolId = to.Id, roomId = from.Rooms[0] }));

        Assert.Contains("roomId", (await intoForeignRoom.AssertProblemAsync(HttpStatusCode.BadRequest, "urn:mep:problem:validation")).ErrorFields());
    }

    [Fact]
    public async Task Staff_move_a_device_to_another_school_and_room_with_history_and_an_event()
    {
        var (from, device) = await DeviceAsync("MOVE-1");
        var to = await api.SchoolAsync();

        var moved = await api.Planner.PostAsync($"/api/assets/devices/{device}/move", Json.Body(new { schoolId = to.Id, roomId = to.Rooms[0], note = "pupil changed school" }));

        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        await (await api.ClientFor(from).GetAsync($"/api/assets/devices/{device}")).AssertProblemAsync(HttpStatusCode.NotFound, "urn:mep:problem:not-found");
        Assert.Equal(HttpStatusCode.OK, (await api.ClientFor(to).GetAsync($"/api/assets/devices/{device}")).StatusCode);
        var move = (await (await api.Planner.GetAsync($"/api/assets/devices/{device}/history")).ReadJsonAsync()).EnumerateArray().Last();
        Assert.Equal(("moved", from.Id, to.Id, to.Rooms[0]),
            (move.GetProperty("change").GetString(), move.GetProperty("fromSchoolId").GetGuid(), move.GetProperty("toSchoolId").GetGuid(), move.GetProperty("toRoomId").GetGuid()));
        var moveEvent = JsonDocument.Parse((await api.Database.ScalarAsync<string>(
            $"SELECT body::text FROM outbox_messages WHERE message_type = 'Mep.Contracts.Assets.DeviceMoved' AND body::jsonb->>'deviceId' = '{device}'"))!).RootElement;
        Assert.Equal(from.Id, moveEvent.GetProperty("fromSchoolId").GetGuid());
        Assert.Equal(to.Id, moveEvent.GetProperty("toSchoolId").GetGuid());
    }

    [Fact]
    public async Task A_bulk_status_change_applies_to_all_devices_or_to_none_listing_each_refused_one()
    {
        var school = await api.SchoolAsync();
        var result = await (await api.ClientFor(school).PostAsync("/api/assets/devices/batch", AssetsApi.Batch([
            AssetsApi.Tablet("BULK-1"), AssetsApi.Tablet("BULK-2"), AssetsApi.Tablet("BULK-3", "teacher", ("status", "ordered")),
        ]))).ReadJsonAsync();
        var ids = result.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("deviceId").GetGuid()).ToList();
        var unknown = Guid.NewGuid();

        var refused = await api.Planner.PostAsync("/api/assets/devices/status-changes", Json.Body(new { deviceIds = ids.Append(unknown), status = "inRepair" }));
        var applied = await api.Planner.PostAsync("/api/assets/devices/status-changes", Json.Body(new { deviceIds = ids.Take(2), status = "inRepair", note = "Akku-Tausch" }));

        var rows = (await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:batch-rejected")).GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal([3, 4], rows.Select(r => r.GetProperty("row").GetInt32()));
        Assert.Equal(unknown, rows[1].GetProperty("deviceId").GetGuid());
        Assert.Equal(2, (await applied.ReadJsonAsync()).GetProperty("changed").GetInt32());
        Assert.Equal(2, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM devices WHERE school_id = '{school.Id}' AND status = 'InRepair'"));
    }
}
