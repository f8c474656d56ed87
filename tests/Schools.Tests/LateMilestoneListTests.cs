using System.Net;
using System.Text.Json;
using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Tests;

/// <summary>The planners' work list of late milestones on a fixed day (31 March 2026, as the clocked host starts).</summary>
public sealed class LateMilestoneListTests(RolloutPlanTests.ClockedSchoolsApi clocked) : IClassFixture<RolloutPlanTests.ClockedSchoolsApi>
{
    private SchoolsApi Api => clocked.Api;

    /// <summary>
    /// A school of <paramref name="district"/> in <paramref name="wave"/>, with the survey planned on <paramref name="surveyPlannedOn"/>.
    /// </summary>
    private async Task<(Guid Id, string Number, string Name)> PlannedSchoolAsync(string district, int wave, string surveyPlannedOn,
        string namedFirst = "GS Spät")
    {
        var name = $"{namedFirst} {Guid.NewGuid():N}"[..20];
        var id = await Api.Planner.RegisterSchoolAsync(name, district: district);
        await Api.PlanIntoMepStandardAsync(id, wave: wave, targetYear: 2027);
        await Api.PutOkAsync($"/api/schools/{id}/rollout/milestones/surveyed", new { plannedOn = surveyPlannedOn, reachedOn = (string?)null });
        var number = (await (await Api.Planner.GetAsync($"/api/schools/{id}")).ReadJsonAsync()).GetProperty("number").GetString()!;
        return (id, number, name);
    }

    private static async Task<JsonElement> ListAsync(HttpClient client, string query) =>
        await (await client.GetAsync($"/api/schools/rollout/late-milestones?{query}")).ReadJsonAsync();

    private static IEnumerable<(string? Number, string? Milestone, int DaysLate)> Rows(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(r =>
            (r.GetProperty("schoolNumber").GetString(), r.GetProperty("milestone").GetString(), r.GetProperty("daysLate").GetInt32()));

    [Fact]
    public async Task Late_milestones_are_listed_most_days_late_first_with_their_exact_days_late()
    {
        var recent = await PlannedSchoolAsync("Spät-Ost", 3, "2026-03-30");
        var older = await PlannedSchoolAsync("Spät-Ost", 3, "2026-02-28");
        await Api.PutOkAsync($"/api/schools/{recent.Id}/rollout/milestones/buildingWork", new { plannedOn = "2026-03-20" });

        var page = await ListAsync(Api.Planner, "district=Spät-Ost");

        Assert.Equal([(older.Number, "surveyed", 31), (recent.Number, "buildingWork", 11), (recent.Number, "surveyed", 1)], Rows(page));
        Assert.Equal(3, page.GetProperty("totalItems").GetInt32());
    }

    [Fact]
    public async Task The_plan_lists_late_milestones_in_the_work_lists_order_most_days_late_first_then_by_school_number()
    {
        var lowerNumber = await PlannedSchoolAsync("Spät-Folge", 3, "2026-03-20", namedFirst: "Z-Schule");
        var higherNumber = await PlannedSchoolAsync("Spät-Folge", 3, "2026-03-20", namedFirst: "A-Schule");
        var older = await PlannedSchoolAsync("Spät-Folge", 3, "2026-03-10");

        var list = Rows(await ListAsync(Api.Planner, "district=Spät-Folge")).ToList();
        var plan = (await (await Api.Planner.GetAsync("/api/schools/rollout/plan?district=Spät-Folge")).ReadJsonAsync()).GetProperty("lateMilestones")
            .EnumerateArray().Select(r => (r.GetProperty("schoolNumber").GetString(), r.GetProperty("milestone").GetString(), r.GetProperty("daysLate").GetInt32()));

        Assert.Equal([(older.Number, "surveyed", 21), (lowerNumber.Number, "surveyed", 11), (higherNumber.Number, "surveyed", 11)], list);
        Assert.Equal(list, plan);
    }

    [Fact]
    public async Task A_late_milestone_row_names_the_school_by_number_and_name_with_its_district_wave_and_planned_day()
    {
        var school = await PlannedSchoolAsync("Spät-Nord", 4, "2026-03-01");

        var row = Assert.Single((await ListAsync(Api.Planner, "district=Spät-Nord")).GetProperty("items").EnumerateArray());

        Assert.Equal((school.Id, school.Number, school.Name, "Spät-Nord", 4, "2026-03-01"),
            (row.GetProperty("schoolId").GetGuid(), row.GetProperty("schoolNumber").GetString(), row.GetProperty("schoolName").GetString(),
                row.GetProperty("district").GetString(), row.GetProperty("wave").GetInt32(), row.GetProperty("plannedOn").GetString()));
    }

    [Fact]
    public async Task A_milestone_planned_for_today_or_reached_is_not_late()
    {
        var today = await PlannedSchoolAsync("Spät-Süd", 3, "2026-03-31");
        var reached = await PlannedSchoolAsync("Spät-Süd", 3, "2026-03-01");
        await Api.PutOkAsync($"/api/schools/{reached.Id}/rollout/milestones/surveyed", new { plannedOn = "2026-03-01", reachedOn = "2026-03-05" });

        Assert.Empty(Rows(await ListAsync(Api.Planner, "district=Spät-Süd")));
    }

    [Fact]
    public async Task The_wave_filter_lists_only_that_waves_schools()
    {
        await PlannedSchoolAsync("Spät-West", 5, "2026-03-01");
        var six = await PlannedSchoolAsync("Spät-West", 6, "2026-03-01");

        Assert.Equal([(six.Number, "surveyed", 30)], Rows(await ListAsync(Api.Planner, "district=Spät-West&wave=6")));
    }

    [Fact]
    public async Task The_school_number_filter_lists_exactly_that_schools_late_milestones()
    {
        var school = await PlannedSchoolAsync("Spät-Mitte", 3, "2026-03-10");
        await PlannedSchoolAsync("Spät-Mitte", 3, "2026-03-10");

        Assert.Equal([(school.Number, "surveyed", 21)], Rows(await ListAsync(Api.Planner, $"schoolNumber={school.Number}")));
    }

    [Fact]
    public async Task A_school_number_no_school_has_lists_nothing()
    {
        var page = await ListAsync(Api.Planner, "schoolNumber=09997");

        Assert.Equal(0, page.GetProperty("totalItems").GetInt32());
    }

    [Fact]
    public async Task A_school_id_and_a_school_number_of_different_schools_are_refused_naming_both()
    {
        var one = await PlannedSchoolAsync("Spät-Linden", 3, "2026-03-10");
        var other = await PlannedSchoolAsync("Spät-Linden", 3, "2026-03-10");

        var problem = await (await Api.Planner.GetAsync($"/api/schools/rollout/late-milestones?schoolId={one.Id}&schoolNumber={other.Number}"))
            .AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);

        Assert.Equal(["schoolId", "schoolNumber"], problem.ErrorFields());
    }

    [Fact]
    public async Task A_school_key_lists_its_own_schools_late_milestones_only()
    {
        var own = await PlannedSchoolAsync("Spät-List", 3, "2026-03-21");
        await PlannedSchoolAsync("Spät-List", 3, "2026-03-21");
        var (_, key) = await Api.Admin.IssueKeyAsync(own.Id);

        Assert.Equal([(own.Number, "surveyed", 10)], Rows(await ListAsync(Api.ClientWithSchoolKey(key), "district=Spät-List")));
    }

    [Fact]
    public async Task A_school_key_asking_another_schools_number_gets_the_404_it_gets_for_another_schools_id()
    {
        var own = await PlannedSchoolAsync("Spät-Döhren", 3, "2026-03-21");
        var other = await PlannedSchoolAsync("Spät-Döhren", 3, "2026-03-21");
        var (_, key) = await Api.Admin.IssueKeyAsync(own.Id);
        using var school = Api.ClientWithSchoolKey(key);

        var byId = await (await school.GetAsync($"/api/schools/rollout/late-milestones?schoolId={other.Id}"))
            .AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        var byNumber = await (await school.GetAsync($"/api/schools/rollout/late-milestones?schoolNumber={other.Number}"))
            .AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);

        Assert.Equal(byId.GetProperty("detail").GetString(), byNumber.GetProperty("detail").GetString());
    }
}
