using System.Net;
using System.Text.Json;
using Mep.ServiceDefaults.Errors;

namespace Mep.Assets.Tests;

/// <summary>Schools and rooms named by what people know in Assets: ?schoolNumber=, building and room; every row names its school.</summary>
public sealed class SchoolNumberTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    private static string NameOf(TestSchool school) => $"GY Testschule {school.Number}";

    /// <summary>A school with one tablet in each of its two rooms (H 1.01, a computer room, and H 1.02) and a board system in H 1.02.</summary>
    private async Task<TestSchool> EquippedSchoolAsync()
    {
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);
        (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([
            AssetsApi.Tablet($"N1-{school.Number}", "teacher", ("roomId", school.Rooms[0])),
            AssetsApi.Tablet($"N2-{school.Number}", "teacher", ("roomId", school.Rooms[1])),
        ]))).EnsureSuccessStatusCode();
        await AssetsApi.SetUpBoardSystemAsync(client, school.Rooms[1]);
        return school;
    }

    private static async Task<List<string>> SerialsAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/assets/devices?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.ReadJsonAsync()).GetProperty("items").EnumerateArray().Select(d => d.GetProperty("serialNumber").GetString()!)];
    }

    [Fact]
    public async Task The_school_number_filter_lists_exactly_that_schools_devices()
    {
        var school = await EquippedSchoolAsync();
        await EquippedSchoolAsync();

        Assert.Equal([$"N1-{school.Number}", $"N2-{school.Number}"], await SerialsAsync(api.Planner, $"schoolNumber={school.Number}"));
    }

    [Fact]
    public async Task A_school_number_no_school_has_lists_no_device_as_an_unknown_school_id_does()
    {
        await EquippedSchoolAsync();

        var byNumber = await SerialsAsync(api.Planner, "schoolNumber=09996");
        var byId = await SerialsAsync(api.Planner, $"schoolId={Guid.NewGuid()}");

        Assert.Equal((0, 0), (byNumber.Count, byId.Count));
    }

    [Fact]
    public async Task A_school_id_and_a_school_number_of_different_schools_are_refused_naming_both()
    {
        var one = await api.SchoolAsync();
        var other = await api.SchoolAsync();

        var problem = await (await api.Planner.GetAsync($"/api/assets/devices?schoolId={one.Id}&schoolNumber={other.Number}"))
            .AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);

        Assert.Equal(["schoolId", "schoolNumber"], problem.ErrorFields());
    }

    [Fact]
    public async Task A_school_key_naming_another_schools_number_gets_the_404_it_gets_for_another_schools_id_on_every_list()
    {
        var own = await api.SchoolAsync();
        var other = await api.SchoolAsync();
        using var client = api.ClientFor(own);

        foreach (var list in new[] { "devices", "board-systems", "counts" })
        {
            var byId = await (await client.GetAsync($"/api/assets/{list}?schoolId={other.Id}"))
                .AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
            var byNumber = await (await client.GetAsync($"/api/assets/{list}?schoolNumber={other.Number}"))
                .AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
            Assert.Equal(byId.GetProperty("detail").GetString(), byNumber.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task A_school_key_naming_its_own_number_lists_its_own_devices()
    {
        var school = await EquippedSchoolAsync();

        Assert.Equal([$"N1-{school.Number}", $"N2-{school.Number}"], await SerialsAsync(api.ClientFor(school), $"schoolNumber={school.Number}"));
    }

    [Fact]
    public async Task Device_rows_and_a_single_device_name_their_school_by_number_and_name()
    {
        var school = await EquippedSchoolAsync();

        var row = (await (await api.Planner.GetAsync($"/api/assets/devices?schoolNumber={school.Number}")).ReadJsonAsync()).GetProperty("items")[0];
        var single = await (await api.Planner.GetAsync($"/api/assets/devices/{row.GetProperty("id").GetGuid()}")).ReadJsonAsync();

        Assert.Equal((school.Number, NameOf(school)), (row.GetProperty("schoolNumber").GetString(), row.GetProperty("schoolName").GetString()));
        Assert.Equal((school.Number, NameOf(school)), (single.GetProperty("schoolNumber").GetString(), single.GetProperty("schoolName").GetString()));
    }

    [Fact]
    public async Task Board_system_rows_filter_by_school_number_and_name_their_school()
    {
        var school = await EquippedSchoolAsync();
        await EquippedSchoolAsync();

        var page = await (await api.Planner.GetAsync($"/api/assets/board-systems?schoolNumber={school.Number}")).ReadJsonAsync();

        var row = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal((school.Id, school.Number, NameOf(school)),
            (row.GetProperty("schoolId").GetGuid(), row.GetProperty("schoolNumber").GetString(), row.GetProperty("schoolName").GetString()));
    }

    [Fact]
    public async Task The_counts_filter_by_school_number()
    {
        var school = await EquippedSchoolAsync();

        var page = await (await api.Planner.GetAsync($"/api/assets/counts?schoolNumber={school.Number}")).ReadJsonAsync();

        var row = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal((school.Id, 2), (row.GetProperty("schoolId").GetGuid(), row.GetProperty("tablets").GetProperty("teacher").GetInt32()));
    }

    [Fact]
    public async Task Staff_register_devices_for_a_school_named_by_its_number()
    {
        var school = await api.SchoolAsync();

        var response = await api.Planner.PostAsync($"/api/assets/devices/batch?schoolNumber={school.Number}",
            AssetsApi.Batch([AssetsApi.Tablet($"REG-{school.Number}")]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await api.DeviceRowsAsync(school.Id));
    }

    [Fact]
    public async Task Registering_for_a_school_number_nobody_has_is_a_422_school_unknown_naming_schoolNumber_and_stores_nothing()
    {
        var before = await api.Database.ScalarAsync<long>("SELECT count(*) FROM devices");

        var response = await api.Planner.PostAsync("/api/assets/devices/batch?schoolNumber=09995", AssetsApi.Batch([AssetsApi.Tablet("NOBODYS-1")]));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal("school-unknown", problem.GetProperty("rule").GetString());
        Assert.Equal(["schoolNumber"], problem.ErrorFields());
        Assert.Equal(before, await api.Database.ScalarAsync<long>("SELECT count(*) FROM devices"));
    }

    [Fact]
    public async Task Registering_by_a_school_id_and_another_schools_number_is_a_400_naming_both()
    {
        var one = await api.SchoolAsync();
        var other = await api.SchoolAsync();

        var response = await api.Planner.PostAsync($"/api/assets/devices/batch?schoolId={one.Id}&schoolNumber={other.Number}",
            AssetsApi.Batch([AssetsApi.Tablet($"TWO-{one.Number}")]));

        Assert.Equal(["schoolId", "schoolNumber"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
        Assert.Equal((0, 0), (await api.DeviceRowsAsync(one.Id), await api.DeviceRowsAsync(other.Id)));
    }

    [Fact]
    public async Task A_school_key_registering_by_another_schools_number_gets_the_404_of_a_number_nobody_has()
    {
        var own = await api.SchoolAsync();
        var other = await api.SchoolAsync();
        using var client = api.ClientFor(own);

        var foreign = await client.PostAsync($"/api/assets/devices/batch?schoolNumber={other.Number}", AssetsApi.Batch([AssetsApi.Tablet("KEY-1")]));
        var nobodys = await client.PostAsync("/api/assets/devices/batch?schoolNumber=09994", AssetsApi.Batch([AssetsApi.Tablet("KEY-2")]));

        var problem = await foreign.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Equal((await nobodys.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound)).GetProperty("detail").GetString(),
            problem.GetProperty("detail").GetString());
        Assert.Equal(0, await api.DeviceRowsAsync(other.Id));
    }

    [Fact]
    public async Task A_school_number_in_arabic_indic_digits_is_a_400_naming_schoolNumber()
    {
        var response = await api.Planner.GetAsync($"/api/assets/devices?schoolNumber={Uri.EscapeDataString("١٢٣٤٥")}");

        Assert.Equal(["schoolNumber"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }

    [Fact]
    public async Task A_board_system_in_a_room_nobody_has_is_a_422_room_unknown_naming_roomId()
    {
        var school = await api.SchoolAsync();

        var response = await api.ClientFor(school).PostAsync("/api/assets/board-systems", Json.Body(new { roomId = Guid.NewGuid() }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal(("room-unknown", "roomId"), (problem.GetProperty("rule").GetString(), Assert.Single(problem.ErrorFields())));
    }

    [Fact]
    public async Task Devices_are_found_by_building_name_and_room_number_within_the_school_named_by_its_number()
    {
        var school = await EquippedSchoolAsync();

        Assert.Equal([$"N2-{school.Number}"], await SerialsAsync(api.Planner, $"schoolNumber={school.Number}&building=hauptgebäude&room=h%201.02"));
        Assert.Equal([$"N1-{school.Number}", $"N2-{school.Number}"],
            await SerialsAsync(api.Planner, $"schoolNumber={school.Number}&building=Hauptgebäude"));
    }

    [Fact]
    public async Task A_board_system_is_found_by_building_name_and_room_number()
    {
        var school = await EquippedSchoolAsync();

        var inRoom = await (await api.ClientFor(school).GetAsync("/api/assets/board-systems?building=Hauptgebäude&room=H%201.02")).ReadJsonAsync();
        var elsewhere = await (await api.ClientFor(school).GetAsync("/api/assets/board-systems?building=Hauptgebäude&room=H%201.01")).ReadJsonAsync();

        Assert.Equal((1, 0), (inRoom.GetProperty("totalItems").GetInt32(), elsewhere.GetProperty("totalItems").GetInt32()));
    }

    [Fact]
    public async Task A_building_or_room_without_a_school_is_refused_naming_them()
    {
        var problem = await (await api.Planner.GetAsync("/api/assets/devices?building=Hauptgebäude&room=H%201.02"))
            .AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);

        Assert.Equal(["building", "room"], problem.ErrorFields());
    }

    [Fact]
    public async Task The_inventory_export_names_the_school_of_every_row()
    {
        var school = await EquippedSchoolAsync();

        var lines = await ExportFiles.CsvLinesAsync(await api.ClientFor(school).GetAsync($"/api/assets/schools/{school.Id}/inventory.csv"));

        Assert.EndsWith(";Schulnummer;Schule", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        Assert.All(lines[1..], line => Assert.EndsWith($";{school.Number};{NameOf(school)}", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_exported_row_sent_for_another_school_is_refused_naming_its_school_number()
    {
        var source = await EquippedSchoolAsync();
        var target = await api.SchoolAsync();
        var csv = "serialNumber,kind,manufacturer,model,ownership,schoolNumber,schoolName\r\n"
            + $"NEW-{target.Number},tablet,Apple,iPad,teacher,{source.Number},{NameOf(source)}\r\n";

        var response = await api.Planner.PostAsync($"/api/assets/devices/batch?schoolNumber={target.Number}", AssetsApi.Csv(csv));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.BatchRejected);
        var row = Assert.Single(problem.GetProperty("rows").EnumerateArray());
        Assert.Equal((1, "schoolNumber"), (row.GetProperty("row").GetInt32(), row.GetProperty("field").GetString()));
        Assert.Equal(0, await api.DeviceRowsAsync(target.Id));
    }

    [Fact]
    public async Task Feed_board_systems_and_their_components_filter_by_school_number_and_carry_it()
    {
        var school = await EquippedSchoolAsync();
        using var client = api.ClientFor(school);
        var system = (await (await client.GetAsync("/api/assets/board-systems")).ReadJsonAsync()).GetProperty("items")[0].GetProperty("id").GetGuid();
        (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([
            AssetsApi.Device($"FWB-{school.Number}", "boardSystemComponent", ("componentKind", "whiteboard"), ("roomId", school.Rooms[1]),
                ("boardSystemId", system)),
        ]))).EnsureSuccessStatusCode();

        var feed = JsonDocument.Parse(await (await api.Planner.GetAsync(
            $"/api/assets/odata/BoardSystems?$filter=SchoolNumber eq '{school.Number}'&$select=SchoolNumber,SchoolName"
            + "&$expand=Components($select=SchoolNumber,SchoolName)"))
            .Content.ReadAsStringAsync()).RootElement;

        var row = Assert.Single(feed.GetProperty("value").EnumerateArray());
        var component = Assert.Single(row.GetProperty("Components").EnumerateArray());
        Assert.Equal((school.Number, NameOf(school)), (row.GetProperty("SchoolNumber").GetString(), row.GetProperty("SchoolName").GetString()));
        Assert.Equal((school.Number, NameOf(school)),
            (component.GetProperty("SchoolNumber").GetString(), component.GetProperty("SchoolName").GetString()));
    }
}
