using Microsoft.Playwright;

namespace Mep.OutsideIn.Tests.Console;

/// <summary>A school's rollout page: its buildings and rooms with their state, and a planner marking a room's WLAN.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class RolloutSchoolPageTests(ConsolePlatform platform)
{
    [Fact]
    public async Task A_planner_marks_a_rooms_wlan_installed_and_sees_the_schools_status_change_in_the_page_and_the_api()
    {
        var schools = new RolloutTestSchools(platform.StaffClient("planner"));
        var school = await schools.InPlanAsync("GY WLAN-Schule", wave: 2);
        await schools.PlanMilestoneAsync(school.Id, "surveyed", RolloutTestSchools.Today.AddDays(-20), RolloutTestSchools.Today.AddDays(-20));
        var building = await schools.AddBuildingAsync(school.Id, "Hauptgebäude");
        var room = await schools.AddRoomAsync(school.Id, building, "1.01");
        await schools.AddRoomAsync(school.Id, building, "1.02");
        Assert.Equal("surveyed", (await schools.RolloutAsync(school.Id)).GetProperty("status").GetString());
        await using var session = await platform.SignInAsync(ConsolePeople.Planner);
        var page = session.Page;
        await page.GotoAsync($"/rollout/schulen/{school.Number}");
        await Assertions.Expect(page.Locator("#schulstatus")).ToHaveTextAsync("begangen");

        await page.GetByRole(AriaRole.Button, new() { Name = "WLAN installiert in Raum 1.01" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("WLAN in Raum 1.01 als installiert vermerkt.");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Status der Schule: Bauarbeiten (vorher: begangen).");
        await Assertions.Expect(page.Locator("#schulstatus")).ToHaveTextAsync("Bauarbeiten");
        await Assertions.Expect(page.Locator($"#raum-{room:N}")).ToContainTextAsync("installiert, 2 von 2 Access Points");
        var rollout = await schools.RolloutAsync(school.Id);
        Assert.Equal("buildingWork", rollout.GetProperty("status").GetString());
        var stored = rollout.GetProperty("rooms").EnumerateArray().Single(r => r.GetProperty("roomId").GetGuid() == room);
        Assert.Equal(("installed", 2), (stored.GetProperty("wlan").GetString(), stored.GetProperty("accessPointsInstalled").GetInt32()));
    }

    [Fact]
    public async Task A_wlan_mark_on_a_room_someone_changed_since_the_page_was_shown_is_refused_and_nothing_changes()
    {
        var schools = new RolloutTestSchools(platform.StaffClient("planner"));
        var school = await schools.InPlanAsync("GS Gleichzeitig", wave: 2);
        var building = await schools.AddBuildingAsync(school.Id, "Altbau");
        var room = await schools.AddRoomAsync(school.Id, building, "E.12");
        await using var session = await platform.SignInAsync(ConsolePeople.Planner);
        var page = session.Page;
        await page.GotoAsync($"/rollout/schulen/{school.Id}");
        await schools.PutOkAsync($"/api/schools/{school.Id}/rooms/{room}/rollout", new
        {
            wlan = "planned", accessPointsPlanned = 3, accessPointsInstalled = 0, boardSystemPlanned = true, computerRoomReplacement = "notStarted",
        });

        await page.GetByRole(AriaRole.Button, new() { Name = "WLAN abgenommen in Raum E.12" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Jemand anderes hat das inzwischen geändert.");
        var stored = (await schools.RolloutAsync(school.Id)).GetProperty("rooms").EnumerateArray().Single(r => r.GetProperty("roomId").GetGuid() == room);
        Assert.Equal(("planned", 3), (stored.GetProperty("wlan").GetString(), stored.GetProperty("accessPointsPlanned").GetInt32()));
    }

    [Fact]
    public async Task The_school_page_shows_buildings_and_rooms_with_network_wlan_and_board_system_and_passes_axe()
    {
        var schools = new RolloutTestSchools(platform.StaffClient("planner"));
        var school = await schools.InPlanAsync("IGS Raumübersicht", wave: 1);
        await schools.PlanMilestoneAsync(school.Id, "surveyed", RolloutTestSchools.Today.AddDays(-40), RolloutTestSchools.Today.AddDays(-38));
        await schools.PlanMilestoneAsync(school.Id, "buildingWork", RolloutTestSchools.Today.AddDays(-5));
        await schools.PlanMilestoneAsync(school.Id, "equipped", RolloutTestSchools.Today.AddDays(60));
        var main = await schools.AddBuildingAsync(school.Id, "Hauptgebäude");
        var annex = await schools.AddBuildingAsync(school.Id, "Neubau");
        await schools.PutOkAsync($"/api/schools/{school.Id}/buildings/{main}/network",
            new { technicalRooms = "done", distributors = "done", cabling = "inProgress", cablingMetres = 600 });
        var wired = await schools.AddRoomAsync(school.Id, main, "A.01");
        await schools.PutOkAsync($"/api/schools/{school.Id}/rooms/{wired}/rollout", new
        {
            wlan = "accepted", accessPointsPlanned = 2, accessPointsInstalled = 2, boardSystemPlanned = true, computerRoomReplacement = "notStarted",
        });
        await schools.AddRoomAsync(school.Id, main, "A.02");
        await schools.AddRoomAsync(school.Id, annex, "N.01", kind: "computerRoom", accessPoints: 1, boardSystemPlanned: false);
        await using var session = await platform.SignInAsync(ConsolePeople.Planner);
        var page = session.Page;

        await page.GotoAsync($"/rollout/schulen/{school.Number}");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"IGS Raumübersicht ({school.Number})");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Gebäude: Hauptgebäude" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Gebäude: Neubau" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("table.rooms tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator($"#raum-{wired:N}")).ToContainTextAsync("Verkabelung in Arbeit");
        await Assertions.Expect(page.Locator($"#raum-{wired:N}")).ToContainTextAsync("abgenommen, 2 von 2 Access Points");
        await Assertions.Expect(page.Locator($"#raum-{wired:N}")).ToContainTextAsync("geplant");
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "Bauarbeiten" }).First).ToContainTextAsync("5 Tage überfällig");
        await session.AssertAccessibleAsync();
        await session.ScreenshotAsync("rollout-school");
    }
}
