using System.Net;
using System.Text.Json;

namespace Mep.Schools.Tests;

/// <summary>The Schools OData feed (/api/schools/odata): schools, school years, programme participation.</summary>
public sealed class SchoolFeedTests(SchoolsApi api) : IClassFixture<SchoolsApi>
{
    private static async Task<JsonElement> FeedAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/schools/odata/{query}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>
    /// Two schools in a district of their own: a big GY with two school years, planned into the MEP standard and on the portal,
    /// and a small GS with one school year.
    /// </summary>
    private async Task<(string District, Guid Big, Guid Small)> TwoSchoolsAsync()
    {
        var district = $"Feed-{Guid.NewGuid():N}"[..12];
        var big = await api.Planner.RegisterSchoolAsync("GY Feed Groß", district: district);
        var small = await api.Planner.RegisterSchoolAsync("GS Feed Klein", type: "GS", district: district);
        (await api.Planner.PutAsync($"/api/schools/{big}/years/2019", Json.Body(new { pupils = 900, teachers = 70, classes = 36 }))).EnsureSuccessStatusCode();
        (await api.Planner.PutAsync($"/api/schools/{big}/years/2020", Json.Body(new { pupils = 950, teachers = 72, classes = 37 }))).EnsureSuccessStatusCode();
        (await api.Planner.PutAsync($"/api/schools/{small}/years/2020", Json.Body(new { pupils = 180, teachers = 12, classes = 8 }))).EnsureSuccessStatusCode();
        (await api.Planner.PutAsync($"/api/schools/{big}/programmes", Json.Body(SchoolsApi.Programmes(
            standard: new { status = "planned", wave = 2, targetYear = 2023, joinedOn = (string?)null },
            portal: new { participates = true, onboardedOn = "2020-09-01" })))).EnsureSuccessStatusCode();
        return (district, big, small);
    }

    [Fact]
    public async Task Schools_filter_on_their_years_with_any_and_expand_them()
    {
        var (district, _, _) = await TwoSchoolsAsync();

        var schools = await FeedAsync(api.Planner,
            $"Schools?$filter=District eq '{district}' and SchoolYears/any(y: y/Pupils gt 500)&$select=Name,Type&$expand=SchoolYears($select=StartYear,Pupils)&$count=true");
        Assert.Equal(1, schools.GetProperty("@odata.count").GetInt32());
        var school = schools.GetProperty("value")[0];
        Assert.Equal(("GY Feed Groß", "GY"), (school.GetProperty("Name").GetString(), school.GetProperty("Type").GetString()));
        Assert.Equal([(2019, 900), (2020, 950)],
            school.GetProperty("SchoolYears").EnumerateArray().Select(y => (y.GetProperty("StartYear").GetInt32(), y.GetProperty("Pupils").GetInt32())).Order());
    }

    [Fact]
    public async Task A_school_year_is_addressed_by_its_school_and_start_year()
    {
        var (_, _, small) = await TwoSchoolsAsync();

        var year = await FeedAsync(api.Planner, $"SchoolYears(SchoolId={small},StartYear=2020)");
        Assert.Equal(180, year.GetProperty("Pupils").GetInt32());
        Assert.EndsWith("$metadata#SchoolYears/$entity", year.GetProperty("@odata.context").GetString());
    }

    [Fact]
    public async Task Programme_participation_shows_one_row_per_measure()
    {
        var (_, big, small) = await TwoSchoolsAsync();

        var participation = await FeedAsync(api.Planner, $"ProgrammeParticipations?$filter=SchoolId eq {big}&$orderby=Measure");
        var rows = participation.GetProperty("value").EnumerateArray().ToList();
        Assert.Equal(4, rows.Count);
        var portal = rows.Single(r => r.GetProperty("Measure").GetString() == "Portal");
        Assert.Equal((true, "2020-09-01"), (portal.GetProperty("Participates").GetBoolean(), portal.GetProperty("Since").GetString()));
        var standard = rows.Single(r => r.GetProperty("Measure").GetString() == "MepStandard");
        Assert.Equal(("Planned", 2, 2023, false), (standard.GetProperty("MepStandardStatus").GetString(), standard.GetProperty("Wave").GetInt32(),
            standard.GetProperty("TargetYear").GetInt32(), standard.GetProperty("Participates").GetBoolean()));
        var planned = await FeedAsync(api.Planner,
            $"ProgrammeParticipations/$count?$filter=Measure eq 'MepStandard' and MepStandardStatus eq 'Planned' and TargetYear eq 2023 and SchoolId in ({big},{small})");
        Assert.Equal(1, planned.GetInt32());
    }

    [Fact]
    public async Task A_school_key_sees_its_own_school_only_whatever_it_asks_for()
    {
        var own = await api.Planner.RegisterSchoolAsync();
        var other = await api.Planner.RegisterSchoolAsync();
        (await api.Planner.PutAsync($"/api/schools/{other}/years/2020", Json.Body(new { pupils = 500, teachers = 40, classes = 20 }))).EnsureSuccessStatusCode();
        var (_, key) = await api.Admin.IssueKeyAsync(own);
        using var client = api.ClientWithSchoolKey(key);

        var schools = await FeedAsync(client, "Schools?$count=true");
        Assert.Equal(1, schools.GetProperty("@odata.count").GetInt32());
        Assert.Equal(own, schools.GetProperty("value")[0].GetProperty("Id").GetGuid());
        Assert.Empty((await FeedAsync(client, $"Schools?$filter=Id eq {other}")).GetProperty("value").EnumerateArray());
        Assert.Empty((await FeedAsync(client, $"SchoolYears?$filter=SchoolId eq {other}")).GetProperty("value").EnumerateArray());
        Assert.Empty((await FeedAsync(client, $"ProgrammeParticipations?$filter=SchoolId eq {other}")).GetProperty("value").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/schools/odata/Schools({other})")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/schools/odata/SchoolYears(SchoolId={other},StartYear=2020)")).StatusCode);
    }

    [Fact]
    public async Task The_rollout_feeds_answer_a_schools_status_milestones_buildings_and_rooms()
    {
        var district = $"Roll-{Guid.NewGuid():N}"[..12];
        var school = await api.Planner.RegisterSchoolAsync("GY Feed Rollout", district: district);
        await api.PlanIntoMepStandardAsync(school, wave: 4, targetYear: 2028);
        var building = await api.AddBuildingAsync(school, "Hauptgebäude");
        var room = await api.AddRoomAsync(school, building, "1.01", "classroom");
        await api.PutOkAsync($"/api/schools/{school}/rollout/milestones/surveyed", new { plannedOn = "2024-01-31", reachedOn = (string?)null });
        await api.PutOkAsync($"/api/schools/{school}/buildings/{building}/network", SchoolsApi.Network("inProgress"));

        var rollouts = await FeedAsync(api.Planner,
            $"Rollouts?$filter=District eq '{district}' and Status eq 'BuildingWork'&$select=SchoolName,Wave&$expand=Milestones($select=Milestone,PlannedOn)");
        var rollout = Assert.Single(rollouts.GetProperty("value").EnumerateArray());
        Assert.Equal(("GY Feed Rollout", 4), (rollout.GetProperty("SchoolName").GetString(), rollout.GetProperty("Wave").GetInt32()));
        Assert.Equal(4, rollout.GetProperty("Milestones").GetArrayLength());

        var late = await FeedAsync(api.Planner, $"RolloutMilestones?$filter=SchoolId eq {school} and ReachedOn eq null and PlannedOn lt 2024-02-01");
        Assert.Equal("Surveyed", Assert.Single(late.GetProperty("value").EnumerateArray()).GetProperty("Milestone").GetString());
        var network = await FeedAsync(api.Planner, $"BuildingNetworks({building})");
        Assert.Equal(("Hauptgebäude", "InProgress"), (network.GetProperty("Name").GetString(), network.GetProperty("Cabling").GetString()));
        var rooms = await FeedAsync(api.Planner, $"RoomRollouts?$filter=SchoolId eq {school} and BoardSystemPlanned and Wlan eq 'Planned'");
        Assert.Equal(room, Assert.Single(rooms.GetProperty("value").EnumerateArray()).GetProperty("RoomId").GetGuid());
    }

    [Fact]
    public async Task Every_set_that_refers_to_a_school_filters_by_its_number_and_carries_its_name()
    {
        var (_, big, _) = await TwoSchoolsAsync();
        var building = await api.AddBuildingAsync(big, "Hauptgebäude");
        await api.AddRoomAsync(big, building, "0.L", "staffRoom");
        var number = (await (await api.Planner.GetAsync($"/api/schools/{big}")).ReadJsonAsync()).GetProperty("number").GetString();

        (string Set, int Rows)[] sets =
        [
            ("SchoolYears", 2), ("ProgrammeParticipations", 4), ("Rollouts", 1), ("RolloutMilestones", 4), ("BuildingNetworks", 1),
            ("RoomRollouts", 1),
        ];
        foreach (var (set, rows) in sets)
        {
            var page = await FeedAsync(api.Planner, $"{set}?$filter=SchoolNumber eq '{number}'&$select=SchoolId,SchoolNumber,SchoolName");
            Assert.Equal(Enumerable.Repeat((big, number, (string?)"GY Feed Groß"), rows),
                page.GetProperty("value").EnumerateArray().Select(r =>
                    (r.GetProperty("SchoolId").GetGuid(), r.GetProperty("SchoolNumber").GetString(), r.GetProperty("SchoolName").GetString())));
        }
    }
}
