using System.Net;
using Mep.ServiceDefaults.Errors;

namespace Mep.Staffing.Tests;

/// <summary>Requests that could reach past validation (nulls in lists, tiny ratios, far dates, odd ids) get a problem, never a 500.</summary>
public sealed class BadInputTests(StaffingApi api) : IClassFixture<StaffingApi>
{
    private static string Model(string groups, string ftePerSchoolType = "[]", string rounding = """{"mode":"up","step":0.5}""") => $$$"""
        {"code":"edge-case","name":"n","source":"s","validFrom":"2026-01-01","definition":{"countedSchools":"all","groups":{{{groups}}},
         "ftePerSchoolType":{{{ftePerSchoolType}}},"rounding":{{{rounding}}},"costPerFte":1000}}
        """;

    [Theory]
    [InlineData("[null]", "[]", "definition.groups[0]")]
    [InlineData("""[{"code":"g","name":"G","devicesPerFte":100,"weights":[null]}]""", "[]", "definition.groups[0].weights[0]")]
    [InlineData("[]", "[null]", "definition.ftePerSchoolType[0]")]
    [InlineData("""[{"code":"g","name":"G","devicesPerFte":0.000001,"weights":[{"category":"teacherTablets","weight":1}]}]""", "[]",
        "definition.groups[0].devicesPerFte")]
    public async Task A_model_with_a_null_element_or_a_ratio_that_could_overflow_is_a_400_naming_the_field(string groups, string perType, string field)
    {
        var response = await api.Planner.PostAsync("/api/staffing/models", Json.Raw(Model(groups, perType)));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.Contains(field, problem.ErrorFields());
    }

    /// <summary>
    /// A number inside a model's definition left out or sent as null is "Required." under its path, as the request's own fields are:
    /// left out it used to become 0 without a word, and null was refused only as a value of the wrong type.
    /// </summary>
    [Theory]
    [InlineData(""","costPerFte":1000}}""", """}}""", "definition.costPerFte")]
    [InlineData(""","costPerFte":1000}}""", ""","costPerFte":null}}""", "definition.costPerFte")]
    [InlineData("""{"mode":"up","step":0.5}""", """{"mode":"up","step":null}""", "definition.rounding.step")]
    [InlineData("""{"mode":"up","step":0.5}""", """{"step":0.5}""", "definition.rounding.mode")]
    [InlineData("\"devicesPerFte\":100,", "\"devicesPerFte\":null,", "definition.groups[0].devicesPerFte")]
    [InlineData("\"devicesPerFte\":100,", "", "definition.groups[0].devicesPerFte")]
    [InlineData("\"weight\":1", "\"weight\":null", "definition.groups[0].weights[0].weight")]
    [InlineData("\"fte\":1", "\"fte\":null", "definition.ftePerSchoolType[0].fte")]
    [InlineData(",\"fte\":1", "", "definition.ftePerSchoolType[0].fte")]
    public async Task A_model_number_left_out_or_null_is_a_400_naming_it_as_required(string part, string replacement, string field)
    {
        var body = Model("""[{"code":"g","name":"G","devicesPerFte":100,"weights":[{"category":"teacherTablets","weight":1}]}]""",
            """[{"schoolType":"GS","fte":1}]""").Replace(part, replacement, StringComparison.Ordinal);
        Assert.NotEqual(Model("""[{"code":"g","name":"G","devicesPerFte":100,"weights":[{"category":"teacherTablets","weight":1}]}]""",
            """[{"schoolType":"GS","fte":1}]"""), body);

        var response = await api.Planner.PostAsync("/api/staffing/models", Json.Raw(body));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.Equal([field], problem.ErrorFields());
        Assert.Equal(["Required."], problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(0, await api.Database.ScalarAsync<long>("SELECT count(*) FROM staffing_models WHERE code = 'edge-case'"));
    }

    [Theory]
    [InlineData("\"year\":2026", "\"year\":null", "definition.schools[0].year")]
    [InlineData(",\"year\":2026", "", "definition.schools[0].year")]
    [InlineData("\"classSets\":3,", "", "definition.ratios[0].classSets")]
    [InlineData("\"pupilTablets\":10,", "\"pupilTablets\":null,", "definition.devices[0].counts.pupilTablets")]
    public async Task A_scenario_number_left_out_or_null_is_a_400_naming_it_as_required(string part, string replacement, string field)
    {
        var school = Guid.NewGuid();
        var complete = $$$"""
            {"name":"n","definition":{"firstYear":2025,"lastYear":2026,"allSchoolsByYear":null,
             "schools":[{"schoolId":"{{{school}}}","year":2026}],
             "ratios":[{"schoolType":"GS","pupilTabletsPerPupil":0,"teacherTabletsPerTeacher":1,"classSets":3,"tabletsPerClassSet":15,
                        "boardSystemsPerClass":1,"computerRoomDevices":0}],
             "devices":[{"schoolId":"{{{school}}}","counts":{"pupilTablets":10,"teacherTablets":0,"loanTablets":0,"classSetTablets":0,
                        "computerRoomDevices":0,"boardSystems":0,"boardSystemComponents":0,"networkDevices":0}}]}}
            """;
        var body = complete.Replace(part, replacement, StringComparison.Ordinal);
        Assert.NotEqual(complete, body);

        var response = await api.Planner.PostAsync("/api/staffing/scenarios", Json.Raw(body));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.Equal([field], problem.ErrorFields());
        Assert.Equal(["Required."], problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task A_rounding_step_too_fine_to_compute_with_is_refused()
    {
        var response = await api.Planner.PostAsync("/api/staffing/models", Json.Raw(Model("[]", """[{"schoolType":"GS","fte":1}]""",
            """{"mode":"up","step":0.000000000000000000000000001}""")));

        Assert.Equal(["definition.rounding.step"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }

    [Fact]
    public async Task A_scenario_with_null_entries_is_a_400_naming_each()
    {
        var response = await api.Planner.PostAsync("/api/staffing/scenarios", Json.Raw("""
            {"name":"n","definition":{"firstYear":2025,"lastYear":2026,"allSchoolsByYear":null,"schools":[null],"ratios":[null],"devices":[null]}}
            """));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.Equal(["definition.devices[0]", "definition.ratios[0]", "definition.schools[0]"], problem.ErrorFields());
    }

    [Theory]
    [InlineData("/api/staffing/history?to=0001-01-01", "to")]
    [InlineData("/api/staffing/history?from=2000-01-01&to=2026-01-01", "from")]
    [InlineData("/api/staffing/ticket-load?to=0001-01", "to")]
    [InlineData("/api/staffing/ticket-load?to=9999-12", "to")]
    [InlineData("/api/staffing/ticket-load?from=2000-01", "from")]
    public async Task Far_or_too_long_date_ranges_are_a_400_not_a_500(string path, string field)
    {
        var response = await api.Planner.GetAsync(path);

        Assert.Equal([field], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }

    [Fact]
    public async Task Comparing_with_the_empty_id_is_a_404_for_that_scenario()
    {
        var created = await api.Planner.PostAsync("/api/staffing/scenarios", Json.Raw("""
            {"name":"n","definition":{"firstYear":2025,"lastYear":2026,"allSchoolsByYear":null,"schools":[],"ratios":[],"devices":[]}}
            """));
        var id = (await created.ReadJsonAsync()).GetProperty("id").GetGuid();

        var response = await api.Planner.GetAsync($"/api/staffing/scenarios/comparison?ids={Guid.Empty},{id}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task A_districts_figure_has_no_posts_comparison_as_posts_are_city_wide()
    {
        await api.SchoolAsync(district: "Nord");

        var district = await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/calculation?district=Nord");
        var city = await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/calculation");

        Assert.Equal(System.Text.Json.JsonValueKind.Null, district.GetProperty("posts").ValueKind);
        Assert.Equal(18.5m, city.GetProperty("posts").GetProperty("currentPosts").GetDecimal());
    }
}
