using System.Net;
using Mep.Contracts;

namespace Mep.Assets.Tests;

/// <summary>Staffing counts a board system as three devices whatever it is made of (docs/domain.md, "Staffing ratios").</summary>
public sealed class BoardSystemCountingTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    private static readonly string[] AllComponents = ["whiteboard", "interactiveProjector", "miniPc", "appleTv", "speakers"];

    private static async Task<Guid> SetUpAsync(HttpClient client, Guid roomId)
    {
        var response = await client.PostAsync("/api/assets/board-systems", Json.Body(new { roomId, label = "Tafel vorne", installedOn = "2020-09-01" }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("id").GetGuid();
    }

    private static Dictionary<string, object?> Component(string serial, string kind, Guid roomId, Guid system) =>
        AssetsApi.Device(serial, "boardSystemComponent", ("componentKind", kind), ("roomId", roomId), ("boardSystemId", system));

    [Fact]
    public async Task A_board_system_of_five_components_counts_as_three_devices_and_one_of_two_components_as_one_board_system_too()
    {
        var school = await api.SchoolAsync(rooms: 3);
        using var client = api.ClientFor(school);
        var full = await SetUpAsync(client, school.Rooms[1]);
        var partial = await SetUpAsync(client, school.Rooms[2]);
        var components = AllComponents.Select(kind => Component($"FULL-{kind}", kind, school.Rooms[1], full))
            .Concat([Component("PART-WB", "whiteboard", school.Rooms[2], partial), Component("PART-PC", "miniPc", school.Rooms[2], partial)]);
        (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch(components))).EnsureSuccessStatusCode();

        var counts = await AssetsApi.CountsAsync(client, school.Id);

        Assert.Equal(2, counts.GetProperty("boardSystems").GetInt32());
        Assert.Equal(7, counts.GetProperty("boardSystemComponents").GetInt32());
        Assert.Equal(2 * 3, counts.GetProperty("staffing").GetProperty("boardSystemsAndClassSets").GetInt32());
        Assert.Equal(0, counts.GetProperty("staffing").GetProperty("computerRoomDevices").GetInt32());
        var fullSystem = await (await client.GetAsync($"/api/assets/board-systems/{full}")).ReadJsonAsync();
        var partialSystem = await (await client.GetAsync($"/api/assets/board-systems/{partial}")).ReadJsonAsync();
        Assert.Equal(5, fullSystem.GetProperty("components").GetArrayLength());
        Assert.Equal(0, fullSystem.GetProperty("missingComponents").GetArrayLength());
        Assert.Equal(["interactiveProjector", "appleTv", "speakers"],
            partialSystem.GetProperty("missingComponents").EnumerateArray().Select(k => k.GetString()));
    }

    [Fact]
    public async Task Class_sets_count_with_board_systems_and_only_primary_schools_have_them()
    {
        var primary = await api.SchoolAsync(SchoolType.GS);
        var gymnasium = await api.SchoolAsync(SchoolType.GY);
        var classSet = Enumerable.Range(1, 16).Select(i => (object)AssetsApi.Tablet($"GS-{primary.Number}-{i:00}", "schoolClassSet"));
        await SetUpAsync(api.ClientFor(primary), primary.Rooms[1]);

        (await api.ClientFor(primary).PostAsync("/api/assets/devices/batch", AssetsApi.Batch(classSet))).EnsureSuccessStatusCode();
        var refused = await api.ClientFor(gymnasium).PostAsync("/api/assets/devices/batch", AssetsApi.Batch([AssetsApi.Tablet("GY-SET-1", "schoolClassSet")]));

        var staffing = (await AssetsApi.CountsAsync(api.ClientFor(primary), primary.Id)).GetProperty("staffing");
        Assert.Equal(16 + 3, staffing.GetProperty("boardSystemsAndClassSets").GetInt32());
        Assert.Equal(0, staffing.GetProperty("tablets").GetInt32());
        var row = Assert.Single((await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:batch-rejected")).GetProperty("rows").EnumerateArray());
        Assert.Equal("ownership", row.GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_board_system_holds_one_component_of_each_kind_in_its_own_room()
    {
        var school = await api.SchoolAsync(rooms: 3);
        using var client = api.ClientFor(school);
        var system = await SetUpAsync(client, school.Rooms[1]);
        (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([Component("ONE-TV", "appleTv", school.Rooms[1], system)]))).EnsureSuccessStatusCode();

        var problem = await (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([
                Component("TWO-TV", "appleTv", school.Rooms[1], system),
                Component("WRONG-ROOM", "speakers", school.Rooms[2], system),
                Component("PC-1", "miniPc", school.Rooms[1], system),
                Component("PC-2", "miniPc", school.Rooms[1], system),
            ])))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:batch-rejected");

        Assert.Equal([(1, "componentKind"), (2, "roomId"), (4, "componentKind")],
            problem.GetProperty("rows").EnumerateArray().Select(r => (r.GetProperty("row").GetInt32(), r.GetProperty("field").GetString())));
    }

    [Fact]
    public async Task Dismantling_a_board_system_stops_counting_it_and_leaves_its_components_unassigned()
    {
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);
        var system = await SetUpAsync(client, school.Rooms[1]);
        (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([Component("DIS-WB", "whiteboard", school.Rooms[1], system)]))).EnsureSuccessStatusCode();

        (await client.PostAsync($"/api/assets/board-systems/{system}/dismantle", null)).EnsureSuccessStatusCode();
        var again = await client.PostAsync($"/api/assets/board-systems/{system}/dismantle", null);

        var counts = await AssetsApi.CountsAsync(client, school.Id);
        Assert.Equal(0, counts.GetProperty("boardSystems").GetInt32());
        Assert.Equal(1, counts.GetProperty("unassignedBoardComponents").GetInt32());
        Assert.Equal(0, counts.GetProperty("staffing").GetProperty("boardSystemsAndClassSets").GetInt32());
        await again.AssertProblemAsync(HttpStatusCode.Conflict, "urn:mep:problem:conflict");
        Assert.Equal(1, await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM outbox_messages WHERE message_type = 'Mep.Contracts.Assets.BoardSystemDismantled' AND body::jsonb->>'boardSystemId' = '{system}'"));
    }

    [Fact]
    public async Task Devices_that_are_ordered_lost_or_retired_do_not_count()
    {
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);
        var registered = await (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([
            AssetsApi.Device("CR-1", "computerRoomDevice"), AssetsApi.Device("CR-2", "computerRoomDevice"),
            AssetsApi.Device("CR-3", "computerRoomDevice", ("status", "ordered")), AssetsApi.Device("CR-4", "computerRoomDevice", ("status", "delivered")),
        ]))).ReadJsonAsync();
        var second = registered.GetProperty("devices")[1].GetProperty("deviceId").GetGuid();
        (await client.PostAsync($"/api/assets/devices/{second}/status", Json.Body(new { status = "lost" }))).EnsureSuccessStatusCode();

        var counts = await AssetsApi.CountsAsync(client, school.Id);

        Assert.Equal(2, counts.GetProperty("computerRoomDevices").GetInt32());
        Assert.Equal(2, counts.GetProperty("staffing").GetProperty("computerRoomDevices").GetInt32());
    }
}
