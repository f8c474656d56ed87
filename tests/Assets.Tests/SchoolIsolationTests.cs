using System.Net;

namespace Mep.Assets.Tests;

/// <summary>A school's key never sees another school's data, and cannot even learn that it exists.</summary>
public sealed class SchoolIsolationTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    private async Task<(TestSchool A, TestSchool B, Guid DeviceOfB, Guid BoardSystemOfB)> TwoSchoolsAsync()
    {
        var a = await api.SchoolAsync();
        var b = await api.SchoolAsync();
        (await api.ClientFor(a).PostAsync("/api/assets/devices/batch", AssetsApi.Batch([AssetsApi.Tablet($"A-{a.Number}")]))).EnsureSuccessStatusCode();
        var registered = await (await api.ClientFor(b).PostAsync("/api/assets/devices/batch", AssetsApi.Batch([AssetsApi.Tablet($"B-{b.Number}")]))).ReadJsonAsync();
        var system = await (await api.ClientFor(b).PostAsync("/api/assets/board-systems", Json.Body(new { roomId = b.Rooms[1] }))).ReadJsonAsync();
        return (a, b, registered.GetProperty("devices")[0].GetProperty("deviceId").GetGuid(), system.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_school_key_gets_404_for_every_read_and_write_of_another_schools_device()
    {
        var (a, b, deviceOfB, _) = await TwoSchoolsAsync();
        using var client = api.ClientFor(a);
        var version = (await api.Planner.GetAsync($"/api/assets/devices/{deviceOfB}")).Headers.ETag!.Tag;

        var responses = new List<HttpResponseMessage>
        {
            await client.GetAsync($"/api/assets/devices/{deviceOfB}"),
            await client.GetAsync($"/api/assets/devices/{deviceOfB}/history"),
            await client.PostAsync($"/api/assets/devices/{deviceOfB}/status", Json.Body(new { status = "inRepair" })),
            await client.PostAsync($"/api/assets/devices/{deviceOfB}/retire", Json.Body(new { reason = "mine now" })),
        };
        using (var put = new HttpRequestMessage(HttpMethod.Put, $"/api/assets/devices/{deviceOfB}") { Content = Json.Body(AssetsApi.Tablet($"B-{b.Number}")) })
        {
            put.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue(version));
            responses.Add(await client.SendAsync(put));
        }

        foreach (var response in responses)
        {
            await response.AssertProblemAsync(HttpStatusCode.NotFound, "urn:mep:problem:not-found");
        }

        var device = await (await api.Planner.GetAsync($"/api/assets/devices/{deviceOfB}")).ReadJsonAsync();
        Assert.Equal("inService", device.GetProperty("status").GetString());
        Assert.Equal(1, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM device_history WHERE device_id = '{deviceOfB}'"));
    }

    [Fact]
    public async Task A_school_key_cannot_reach_another_school_through_list_filters_counts_board_systems_or_the_export()
    {
        var (a, b, _, boardSystemOfB) = await TwoSchoolsAsync();
        using var client = api.ClientFor(a);

        var own = await (await client.GetAsync("/api/assets/devices")).ReadJsonAsync();
        var bySerialOfB = await (await client.GetAsync($"/api/assets/devices?serialNumber=B-{b.Number}")).ReadJsonAsync();
        var counts = await (await client.GetAsync("/api/assets/counts")).ReadJsonAsync();

        Assert.Equal([$"A-{a.Number}"], own.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("serialNumber").GetString()));
        Assert.Equal(0, bySerialOfB.GetProperty("totalItems").GetInt32());
        Assert.Equal([a.Id], counts.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("schoolId").GetGuid()));
        foreach (var path in new[]
                 {
                     $"/api/assets/devices?schoolId={b.Id}", $"/api/assets/counts?schoolId={b.Id}", $"/api/assets/schools/{b.Id}/inventory.csv",
                     $"/api/assets/schools/{b.Id}/inventory.xlsx",
                     $"/api/assets/board-systems?schoolId={b.Id}", $"/api/assets/board-systems/{boardSystemOfB}",
                 })
        {
            await (await client.GetAsync(path)).AssertProblemAsync(HttpStatusCode.NotFound, "urn:mep:problem:not-found");
        }

        var boardSystems = await (await client.GetAsync("/api/assets/board-systems")).ReadJsonAsync();
        Assert.Equal(0, boardSystems.GetProperty("totalItems").GetInt32());
    }

    [Fact]
    public async Task A_school_key_cannot_register_for_another_school_or_into_its_rooms_or_board_systems()
    {
        var (a, b, _, boardSystemOfB) = await TwoSchoolsAsync();
        using var client = api.ClientFor(a);

        var forB = await client.PostAsync($"/api/assets/devices/batch?schoolId={b.Id}", AssetsApi.Batch([AssetsApi.Tablet("X-FOR-B")]));
        var intoRoomOfB = await client.PostAsync("/api/assets/devices/batch",
            AssetsApi.Batch([AssetsApi.Device("X-ROOM-B", "boardSystemComponent", ("componentKind", "appleTv"), ("roomId", b.Rooms[1]), ("boardSystemId", boardSystemOfB))]));
        var boardSystemForB = await client.PostAsync("/api/assets/board-systems", Json.Body(new { schoolId = b.Id, roomId = b.Rooms[1] }));

        await forB.AssertProblemAsync(HttpStatusCode.NotFound, "urn:mep:problem:not-found");
        var rows = (await intoRoomOfB.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:batch-rejected"))
            .GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("field").GetString()).ToHashSet();
        Assert.Equal(["roomId", "boardSystemId"], rows);
        await boardSystemForB.AssertProblemAsync(HttpStatusCode.NotFound, "urn:mep:problem:not-found");
        Assert.Equal(1, await api.DeviceRowsAsync(b.Id));
    }

    [Fact]
    public async Task The_inventory_export_is_the_schools_own_devices_in_the_import_columns_and_imports_again_unchanged()
    {
        var (a, _, _, _) = await TwoSchoolsAsync();
        using var client = api.ClientFor(a);
        (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([
            AssetsApi.Tablet("EXP-1", "parentFinancedPupil", ("contractProvider", "=HYPERLINK(\"x\")")),
            AssetsApi.Device("EXP-2", "networkDevice", ("model", "AP, \"outdoor\""), ("roomId", a.Rooms[0])),
        ]))).EnsureSuccessStatusCode();

        var export = await client.GetAsync($"/api/assets/schools/{a.Id}/inventory.csv");
        var bytes = await export.Content.ReadAsByteArrayAsync();

        var lines = await ExportFiles.CsvLinesAsync(export);
        Assert.StartsWith("Seriennummer;Geräteart;Hersteller;Modell;Raum-ID;Gebäude;Raum;Status", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Contains(lines, line => line.Contains(";\"'=HYPERLINK(\"\"x\"\")\";", StringComparison.Ordinal));
        var reimport = await (await client.PostAsync("/api/assets/devices/batch", new ByteArrayContent(bytes)
        {
            Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv") },
        })).ReadJsonAsync();
        Assert.Equal(3, reimport.GetProperty("unchanged").GetInt32());
        Assert.Equal("=HYPERLINK(\"x\")", await api.Database.ScalarAsync<string>("SELECT contract_provider FROM devices WHERE serial_number = 'EXP-1'"));
    }
}
