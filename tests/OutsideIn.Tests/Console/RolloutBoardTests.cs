using System.Net;
using Microsoft.Playwright;

namespace Mep.OutsideIn.Tests.Console;

/// <summary>The planners' rollout board and plan over time: schools by wave and district, late milestones with their days late.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class RolloutBoardTests(ConsolePlatform platform)
{
    [Fact]
    public async Task The_board_shows_a_late_milestone_with_its_days_late_in_words_and_colour()
    {
        var schools = new RolloutTestSchools(platform.StaffClient("planner"));
        var late = await schools.InPlanAsync("GS Verspätet", wave: 3);
        var plannedOn = RolloutTestSchools.Today.AddDays(-12);
        await schools.PlanMilestoneAsync(late.Id, "surveyed", plannedOn);
        var onTime = await schools.InPlanAsync("GS Pünktlich", wave: 3);
        await schools.PlanMilestoneAsync(onTime.Id, "surveyed", RolloutTestSchools.Today.AddDays(30));
        await using var session = await platform.SignInAsync(ConsolePeople.Planner);
        var page = session.Page;

        await page.GotoAsync($"/rollout?bezirk={Uri.EscapeDataString(schools.District)}");

        var lateRows = page.Locator("table.late-milestones tbody tr");
        await Assertions.Expect(lateRows).ToHaveCountAsync(1);
        await Assertions.Expect(lateRows.First).ToContainTextAsync($"GS Verspätet ({late.Number})");
        await Assertions.Expect(lateRows.First).ToContainTextAsync("Begehung");
        await Assertions.Expect(lateRows.First.Locator("td.state-late")).ToHaveTextAsync("12 Tage überfällig");
        var boardRow = page.Locator("table.rollout-board tbody tr", new() { HasText = late.Number });
        await Assertions.Expect(boardRow.Locator("td.state-late")).ToHaveTextAsync($"12 Tage überfällig (geplant {RolloutTestSchools.GermanDay(plannedOn)})");
        await Assertions.Expect(page.Locator("table.rollout-board tbody tr", new() { HasText = onTime.Number }).Locator("td.state-late")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("table.milestone-counts tbody tr").First.Locator("th, td")).ToHaveTextAsync(["Begehung", "0", "1", "0", "1"]);
    }

    [Fact]
    public async Task The_board_filters_by_wave_and_district_and_links_each_school_to_its_page()
    {
        var schools = new RolloutTestSchools(platform.StaffClient("planner"));
        var first = await schools.InPlanAsync("GY Erste Welle", wave: 1);
        var second = await schools.InPlanAsync("GY Zweite Welle", wave: 2);
        await using var session = await platform.SignInAsync(ConsolePeople.Planner);
        var page = session.Page;
        await page.GotoAsync($"/rollout?bezirk={Uri.EscapeDataString(schools.District)}");
        await Assertions.Expect(page.Locator("table.rollout-board tbody tr")).ToHaveCountAsync(2);

        await page.GetByLabel("Welle").SelectOptionAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Anzeigen" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("welle=2"));
        await Assertions.Expect(page.Locator("table.rollout-board tbody tr")).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Link, new() { Name = $"GY Zweite Welle ({second.Number})" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"GY Zweite Welle ({second.Number})");
        Assert.NotEqual(first.Number, second.Number);
    }

    [Fact]
    public async Task The_board_and_the_plan_over_time_pass_axe_and_the_plan_has_a_table_equivalent_of_its_chart()
    {
        var schools = new RolloutTestSchools(platform.StaffClient("planner"));
        var today = RolloutTestSchools.Today;
        foreach (var (name, wave, offset) in new[] { ("GS Am Welfenplatz", 1, -120), ("GY Goetheschule", 1, -90), ("GY Limmer", 2, -10), ("IGS Linden", 2, 20) })
        {
            var school = await schools.InPlanAsync($"{name} {schools.District[^4..]}", wave);
            var reached = offset < -30;
            await schools.PlanMilestoneAsync(school.Id, "surveyed", today.AddDays(offset), reached ? today.AddDays(offset + 3) : null);
            await schools.PlanMilestoneAsync(school.Id, "buildingWork", today.AddDays(offset + 120));
            await schools.PlanMilestoneAsync(school.Id, "equipped", today.AddDays(offset + 240));
            await schools.PlanMilestoneAsync(school.Id, "accepted", today.AddDays(offset + 300));
        }

        await using var session = await platform.SignInAsync(ConsolePeople.Planner);
        var page = session.Page;
        var filter = $"bezirk={Uri.EscapeDataString(schools.District)}";
        await page.GotoAsync($"/rollout?{filter}");
        await Assertions.Expect(page.Locator("table.rollout-board tbody tr")).ToHaveCountAsync(4);
        await session.AssertAccessibleAsync();
        await session.ScreenshotAsync("rollout-board");

        await page.GetByRole(AriaRole.Link, new() { Name = "Zeitplan" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Zeitplan des Rollouts");
        var figure = page.GetByRole(AriaRole.Figure);
        await Assertions.Expect(figure.GetByRole(AriaRole.Img)).ToHaveCountAsync(1);
        var rows = figure.Locator("table.timeline-table tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(8);
        await Assertions.Expect(rows.Nth(0).Locator("th, td")).ToHaveTextAsync(["Welle 1", "Begehung", RolloutTestSchools.GermanDay(today.AddDays(-120)),
            RolloutTestSchools.GermanDay(today.AddDays(-90)), "2 von 2", "2", "0"]);
        await Assertions.Expect(rows.Nth(4).Locator("th, td")).ToHaveTextAsync(["Welle 2", "Begehung", RolloutTestSchools.GermanDay(today.AddDays(-10)),
            RolloutTestSchools.GermanDay(today.AddDays(20)), "2 von 2", "0", "1 überfällig"]);
        await session.AssertAccessibleAsync();
        await session.ScreenshotAsync("rollout-plan");
    }

    [Fact]
    public async Task A_person_without_the_planner_role_gets_no_access_and_no_data_on_the_board_and_a_school_page()
    {
        var schools = new RolloutTestSchools(platform.StaffClient("planner"));
        var school = await schools.InPlanAsync("GS Nur für Planer", wave: 4);
        await using var session = await platform.SignInAsync(ConsolePeople.Agent);
        var page = session.Page;

        foreach (var path in new[] { "/rollout", $"/rollout/schulen/{school.Number}", "/rollout/plan" })
        {
            var response = await page.GotoAsync(path);

            Assert.Equal((int)HttpStatusCode.Forbidden, response!.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Kein Zugriff");
            Assert.DoesNotContain("GS Nur für Planer", await page.ContentAsync(), StringComparison.Ordinal);
        }
    }
}
