using System.Text.Json;

namespace Mep.Schools.Tests;

/// <summary>The plan view on fixed days: a milestone is late from the day after its planned day until it is reached.</summary>
public sealed class RolloutPlanTests : IClassFixture<RolloutPlanTests.ClockedSchoolsApi>
{
    private readonly ClockedSchoolsApi _api;

    public RolloutPlanTests(ClockedSchoolsApi api) => _api = api;

    /// <summary>Schools on a clock the tests set (noon in Hannover, so the day is unambiguous).</summary>
    public sealed class ClockedSchoolsApi : IAsyncLifetime
    {
        public TestClock Clock { get; } = new(new DateTimeOffset(2026, 3, 31, 10, 0, 0, TimeSpan.Zero));

        public SchoolsApi Api { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Api = SchoolsApi.WithClock(Clock);
            await ((IAsyncLifetime)Api).InitializeAsync();
        }

        public Task DisposeAsync() => ((IAsyncLifetime)Api).DisposeAsync();
    }

    private static DateTimeOffset NoonOn(int year, int month, int day) => new(year, month, day, 11, 0, 0, TimeSpan.Zero);

    private async Task<JsonElement> PlanAsync(string query) => await (await _api.Api.Planner.GetAsync($"/api/schools/rollout/plan?{query}")).ReadJsonAsync();

    [Fact]
    public async Task A_milestone_is_late_in_the_plan_view_from_the_day_after_its_planned_day_until_it_is_reached()
    {
        var api = _api.Api;
        var school = await api.Planner.RegisterSchoolAsync(district: "Plan-Süd");
        await api.PlanIntoMepStandardAsync(school, wave: 4, targetYear: 2026);
        await api.PutOkAsync($"/api/schools/{school}/rollout/milestones/surveyed", new { plannedOn = "2026-04-15", reachedOn = (string?)null });

        _api.Clock.Set(NoonOn(2026, 4, 15));
        var onTheDay = await PlanAsync("district=Plan-Süd");
        Assert.Empty(onTheDay.GetProperty("lateMilestones").EnumerateArray());
        Assert.False(onTheDay.GetProperty("schools")[0].GetProperty("late").GetBoolean());

        _api.Clock.Set(NoonOn(2026, 4, 16));
        var dayAfter = await PlanAsync("district=Plan-Süd");
        var late = Assert.Single(dayAfter.GetProperty("lateMilestones").EnumerateArray());
        Assert.Equal((school, "surveyed", "2026-04-15", 1), (late.GetProperty("schoolId").GetGuid(), late.GetProperty("milestone").GetString(),
            late.GetProperty("plannedOn").GetString(), late.GetProperty("daysLate").GetInt32()));
        Assert.Equal("2026-04-16", dayAfter.GetProperty("asOf").GetString());
        Assert.Equal(1, dayAfter.GetProperty("groups")[0].GetProperty("lateMilestones").GetInt32());
        Assert.Equal("late", (await api.RolloutAsync(school)).GetProperty("criticalPath")[0].GetProperty("state").GetString());
        Assert.Equal("atRisk", (await api.PutOkAsync($"/api/schools/{school}/rollout/milestones/buildingWork", new { plannedOn = "2026-09-30" }))
            .GetProperty("criticalPath")[1].GetProperty("state").GetString());

        await api.PutOkAsync($"/api/schools/{school}/rollout/milestones/surveyed", new { plannedOn = "2026-04-15", reachedOn = "2026-04-16" });
        Assert.Empty((await PlanAsync("district=Plan-Süd")).GetProperty("lateMilestones").EnumerateArray());
    }

    [Fact]
    public async Task The_plan_lists_each_schools_four_milestones_with_their_days_state_and_days_late()
    {
        var api = _api.Api;
        var school = await api.Planner.RegisterSchoolAsync(district: "Plan-Meilensteine");
        await api.PlanIntoMepStandardAsync(school, wave: 4, targetYear: 2026);
        await api.PutOkAsync($"/api/schools/{school}/rollout/milestones/surveyed", new { plannedOn = "2026-05-04", reachedOn = (string?)null });
        await api.PutOkAsync($"/api/schools/{school}/rollout/milestones/buildingWork", new { plannedOn = "2026-09-30" });
        _api.Clock.Set(NoonOn(2026, 5, 16));

        var milestones = (await PlanAsync("district=Plan-Meilensteine")).GetProperty("schools")[0].GetProperty("milestones").EnumerateArray()
            .Select(m => (m.GetProperty("milestone").GetString(), m.GetProperty("plannedOn").ValueKind == JsonValueKind.Null ? null : m.GetProperty("plannedOn").GetString(),
                m.GetProperty("state").GetString(), m.GetProperty("daysLate").ValueKind == JsonValueKind.Null ? (int?)null : m.GetProperty("daysLate").GetInt32()))
            .ToArray();

        Assert.Equal([("surveyed", "2026-05-04", "late", 12), ("buildingWork", "2026-09-30", "atRisk", null), ("equipped", null, "atRisk", null),
            ("accepted", null, "atRisk", null)], milestones);
    }

    [Fact]
    public async Task The_plan_groups_schools_by_wave_with_status_counts_and_rooms_covered_against_planned()
    {
        var api = _api.Api;
        var surveyed = await api.Planner.RegisterSchoolAsync(district: "Plan-Nord");
        var planned = await api.Planner.RegisterSchoolAsync(district: "Plan-Nord");
        var later = await api.Planner.RegisterSchoolAsync(district: "Plan-Nord");
        await api.PlanIntoMepStandardAsync(surveyed, wave: 5, targetYear: 2027);
        await api.PlanIntoMepStandardAsync(planned, wave: 5, targetYear: 2027);
        await api.PlanIntoMepStandardAsync(later, wave: 6, targetYear: 2028);
        await api.PutOkAsync($"/api/schools/{surveyed}/rollout/milestones/surveyed", new { plannedOn = "2026-03-01", reachedOn = "2026-03-02" });
        var building = await api.AddBuildingAsync(surveyed, "Hauptgebäude");
        var room = await api.AddRoomAsync(surveyed, building, "1.01", "classroom");
        await api.AddRoomAsync(surveyed, building, "1.02", "classroom");
        await api.PutOkAsync($"/api/schools/{surveyed}/rooms/{room}/rollout", SchoolsApi.RoomState("installed", 2, boardSystemPlanned: true));

        var plan = await PlanAsync("district=Plan-Nord&groupBy=wave");

        var groups = plan.GetProperty("groups").EnumerateArray().ToArray();
        Assert.Equal(["5", "6"], groups.Select(g => g.GetProperty("key").GetString()!).ToArray());
        Assert.Equal(2, groups[0].GetProperty("schools").GetInt32());
        Assert.Equal((1, 0, 1), (groups[0].GetProperty("byStatus").GetProperty("planned").GetInt32(),
            groups[0].GetProperty("byStatus").GetProperty("surveyed").GetInt32(), groups[0].GetProperty("byStatus").GetProperty("buildingWork").GetInt32()));
        var coverage = groups[0].GetProperty("coverage");
        Assert.Equal((2, 1, 0, 2, 2), (coverage.GetProperty("rooms").GetInt32(), coverage.GetProperty("wlanInstalled").GetInt32(),
            coverage.GetProperty("wlanAccepted").GetInt32(), coverage.GetProperty("accessPointsPlanned").GetInt32(),
            coverage.GetProperty("boardSystemsPlanned").GetInt32()));
        Assert.Equal(1, groups[1].GetProperty("byStatus").GetProperty("planned").GetInt32());
        Assert.Equal(["5"], (await PlanAsync("district=Plan-Nord&wave=5&groupBy=wave")).GetProperty("groups").EnumerateArray()
            .Select(g => g.GetProperty("key").GetString()!).ToArray());
        Assert.Equal(["2027", "2028"], (await PlanAsync("district=Plan-Nord&groupBy=targetYear")).GetProperty("groups").EnumerateArray()
            .Select(g => g.GetProperty("key").GetString()!).ToArray());
    }

    [Fact]
    public async Task The_plan_as_csv_is_a_row_per_school_in_german_excels_dialect()
    {
        var api = _api.Api;
        var school = await api.Planner.RegisterSchoolAsync(district: "Plan-Csv");
        await api.PlanIntoMepStandardAsync(school, wave: 4, targetYear: 2026);
        await api.PutOkAsync($"/api/schools/{school}/rollout/milestones/surveyed", new { plannedOn = "2026-04-15", reachedOn = (string?)null });
        _api.Clock.Set(NoonOn(2026, 4, 14));
        var json = (await PlanAsync("district=Plan-Csv")).GetProperty("schools")[0];

        var csv = await api.Planner.GetAsync("/api/schools/rollout/plan.csv?district=Plan-Csv");

        Assert.Equal(["Schulnummer;Schule;Stadtbezirk;Welle;Zieljahr;Status;Nächster Meilenstein;Geplant am;Verspätet;Räume;WLAN installiert;"
                + "WLAN abgenommen;Access Points geplant;Access Points installiert;Tafelsysteme geplant;Tafelsysteme installiert;Räume fertig",
            $"{json.GetProperty("number").GetString()};{json.GetProperty("name").GetString()};Plan-Csv;4;2026;geplant;Begehung;15.04.2026;nein;0;0;0;0;0;0;0;0"],
            await ExportFiles.CsvLinesAsync(csv));
        Assert.Equal(("Ausbauplan_2026-04-14.csv", "Ausbauplan_2026-04-14.csv"), ExportFiles.FileName(csv));
    }

    [Fact]
    public async Task An_empty_group_by_gives_the_workbook_grouped_by_wave()
    {
        var api = _api.Api;
        var school = await api.Planner.RegisterSchoolAsync(district: "Plan-Empty-Group");
        await api.PlanIntoMepStandardAsync(school, wave: 5, targetYear: 2027);

        var workbook = await ExportFiles.WorkbookAsync(await api.Planner.GetAsync("/api/schools/rollout/plan.xlsx?district=Plan-Empty-Group&groupBy="));

        Assert.Equal(("Welle", 1m), (workbook[1].Header[0], workbook[1].Row("5")["Schulen"].Number!.Value));
    }

    [Fact]
    public async Task The_plan_as_a_workbook_holds_the_schools_groups_and_late_milestones_of_the_json_plan()
    {
        var api = _api.Api;
        var school = await api.Planner.RegisterSchoolAsync(district: "Plan-Excel");
        await api.PlanIntoMepStandardAsync(school, wave: 4, targetYear: 2026);
        await api.PutOkAsync($"/api/schools/{school}/rollout/milestones/surveyed", new { plannedOn = "2026-04-15", reachedOn = (string?)null });
        _api.Clock.Set(NoonOn(2026, 4, 20));

        var plan = await PlanAsync("district=Plan-Excel");
        var workbook = await ExportFiles.WorkbookAsync(await api.Planner.GetAsync("/api/schools/rollout/plan.xlsx?district=Plan-Excel"));

        Assert.Equal(["Schulen", "Gruppen", "Verspätete Meilensteine"], workbook.Select(sheet => sheet.Name));
        Assert.All(workbook, sheet => Assert.Equal("A2", sheet.FrozenAt));
        var json = plan.GetProperty("schools")[0];
        var number = json.GetProperty("number").GetString()!;
        var row = workbook[0].Row(number);
        Assert.Equal((4m, 2026m, "geplant", "Begehung", DateOnly.Parse(json.GetProperty("nextPlannedOn").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                "ja", (decimal)json.GetProperty("coverage").GetProperty("rooms").GetInt32()),
            (row["Welle"].Number!.Value, row["Zieljahr"].Number!.Value, row["Status"].Text, row["Nächster Meilenstein"].Text, row["Geplant am"].Day!.Value,
                row["Verspätet"].Text, row["Räume"].Number!.Value));
        var group = workbook[1].Row("4");
        Assert.Equal(((decimal)plan.GetProperty("groups")[0].GetProperty("schools").GetInt32(), 1m, 0m, 1m),
            (group["Schulen"].Number!.Value, group["geplant"].Number!.Value, group["abgenommen"].Number!.Value, group["Verspätete Meilensteine"].Number!.Value));
        var late = plan.GetProperty("lateMilestones")[0];
        var lateRow = workbook[2].Row(number);
        Assert.Equal(("Begehung", new DateOnly(2026, 4, 15), (decimal)late.GetProperty("daysLate").GetInt32()),
            (lateRow["Meilenstein"].Text, lateRow["Geplant am"].Day!.Value, lateRow["Tage verspätet"].Number!.Value));
    }
}
