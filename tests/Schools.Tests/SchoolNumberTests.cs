using System.Net;
using System.Text.Json;
using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Tests;

/// <summary>Schools and rooms found by what people know: the school number, the building's name and the room's number.</summary>
public sealed class SchoolNumberTests(SchoolsApi api) : IClassFixture<SchoolsApi>
{
    private async Task<(Guid Id, string Number)> SchoolAsync()
    {
        var id = await api.Planner.RegisterSchoolAsync();
        return (id, (await (await api.Planner.GetAsync($"/api/schools/{id}")).ReadJsonAsync()).GetProperty("number").GetString()!);
    }

    [Fact]
    public async Task By_number_answers_the_school_exactly_as_by_id_with_its_etag()
    {
        var (id, number) = await SchoolAsync();

        var byId = await api.Planner.GetAsync($"/api/schools/{id}");
        var byNumber = await api.Planner.GetAsync($"/api/schools/by-number/{number}");

        Assert.Equal(HttpStatusCode.OK, byNumber.StatusCode);
        Assert.Equal(await byId.Content.ReadAsStringAsync(), await byNumber.Content.ReadAsStringAsync());
        Assert.Equal(byId.Headers.ETag, byNumber.Headers.ETag);
    }

    [Fact]
    public async Task By_number_answers_404_for_a_number_no_school_has()
    {
        var problem = await (await api.Planner.GetAsync("/api/schools/by-number/09999"))
            .AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);

        Assert.Equal("No school with this number exists, or you may not see it.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/schools/by-number/%20")]
    [InlineData("/api/schools/by-number/%20/rooms")]
    public async Task A_blank_number_in_the_path_names_no_school_404(string path)
    {
        var problem = await (await api.Planner.GetAsync(path)).AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);

        Assert.Equal("No school with this number exists, or you may not see it.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task By_number_refuses_a_number_that_is_not_five_digits_naming_the_parameter()
    {
        var problem = await (await api.Planner.GetAsync("/api/schools/by-number/12a45"))
            .AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);

        Assert.Equal(["number"], problem.ErrorFields());
    }

    [Fact]
    public async Task A_school_number_or_postal_code_in_arabic_indic_digits_is_a_400_naming_the_field()
    {
        var byNumber = await api.Planner.GetAsync($"/api/schools/by-number/{Uri.EscapeDataString("١٢٣٤٥")}");
        var registered = await api.Planner.PostAsync("/api/schools", Json.Body(new
        {
            number = "١٢٣٤٥", name = "GS Ziffern", type = "GS", district = "Mitte",
            address = new { street = "Schulstraße 1", postalCode = "٣٠١٥٩", city = "Hannover" },
        }));

        Assert.Equal(["number"], (await byNumber.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
        Assert.Equal(["address.postalCode", "number"],
            (await registered.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }

    [Fact]
    public async Task A_school_key_finds_its_own_school_by_its_number()
    {
        var (id, number) = await SchoolAsync();
        var (_, key) = await api.Admin.IssueKeyAsync(id);

        var own = await (await api.ClientWithSchoolKey(key).GetAsync($"/api/schools/by-number/{number}")).ReadJsonAsync();

        Assert.Equal(id, own.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_school_key_asking_another_schools_number_gets_the_answer_it_gets_for_a_number_nobody_has()
    {
        var (own, _) = await SchoolAsync();
        var (other, otherNumber) = await SchoolAsync();
        var (_, key) = await api.Admin.IssueKeyAsync(own);
        using var school = api.ClientWithSchoolKey(key);

        var byId = await (await school.GetAsync($"/api/schools/{other}")).AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        var byNumber = await (await school.GetAsync($"/api/schools/by-number/{otherNumber}"))
            .AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        var byUnknownNumber = await (await school.GetAsync("/api/schools/by-number/09998"))
            .AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);

        // Whether that number is another school's or nobody's stays hidden; the text says what was looked up.
        Assert.Equal(WithoutTrace(byUnknownNumber), WithoutTrace(byNumber));
        Assert.Equal(("No school with this id exists, or you may not see it.", "No school with this id or number exists, or you may not see it."),
            (byId.GetProperty("detail").GetString(), byNumber.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task A_room_is_found_by_its_buildings_name_and_its_number_whatever_their_case()
    {
        var (id, _) = await SchoolAsync();
        var main = await api.AddBuildingAsync(id, "Hauptgebäude");
        var annex = await api.AddBuildingAsync(id, "Trakt B");
        var room = await api.AddRoomAsync(id, main, "0.L", "staffRoom");
        await api.AddRoomAsync(id, main, "1.01", "classroom");
        await api.AddRoomAsync(id, annex, "0.L", "classroom");

        var found = await (await api.Planner.GetAsync($"/api/schools/{id}/rooms?building=hauptGEBÄUDE&room=0.l")).ReadJsonAsync();

        Assert.Equal([room], found.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task The_room_filter_takes_its_names_literally_not_as_patterns()
    {
        var (id, _) = await SchoolAsync();
        var main = await api.AddBuildingAsync(id, "Hauptgebäude");
        await api.AddRoomAsync(id, main, "0.L", "staffRoom");

        var found = await (await api.Planner.GetAsync($"/api/schools/{id}/rooms?building=Haupt%25&room=0_L")).ReadJsonAsync();

        Assert.Equal(0, found.GetProperty("totalItems").GetInt32());
    }

    [Fact]
    public async Task The_rooms_of_a_school_by_its_number_are_the_rooms_by_its_id()
    {
        var (id, number) = await SchoolAsync();
        var main = await api.AddBuildingAsync(id, "Hauptgebäude");
        await api.AddRoomAsync(id, main, "0.L", "staffRoom");
        await api.AddRoomAsync(id, main, "1.01", "classroom");

        var byId = await (await api.Planner.GetAsync($"/api/schools/{id}/rooms?building=Hauptgebäude&room=1.01")).Content.ReadAsStringAsync();
        var byNumber = await api.Planner.GetAsync($"/api/schools/by-number/{number}/rooms?building=Hauptgebäude&room=1.01");

        Assert.Equal(HttpStatusCode.OK, byNumber.StatusCode);
        Assert.Equal(byId, await byNumber.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_school_key_asking_another_schools_rooms_by_number_gets_404()
    {
        var (own, _) = await SchoolAsync();
        var (_, otherNumber) = await SchoolAsync();
        var (_, key) = await api.Admin.IssueKeyAsync(own);

        await (await api.ClientWithSchoolKey(key).GetAsync($"/api/schools/by-number/{otherNumber}/rooms"))
            .AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task The_rollout_view_names_its_school_by_number_and_name()
    {
        var (id, number) = await SchoolAsync();
        var name = (await (await api.Planner.GetAsync($"/api/schools/{id}")).ReadJsonAsync()).GetProperty("name").GetString();

        var rollout = await api.RolloutAsync(id);

        Assert.Equal((number, name), (rollout.GetProperty("schoolNumber").GetString(), rollout.GetProperty("schoolName").GetString()));
    }

    /// <summary>The problem without what differs on every request: its trace and the path asked for.</summary>
    private static string WithoutTrace(JsonElement problem) =>
        JsonSerializer.Serialize(problem.EnumerateObject().Where(p => p.Name is not ("traceId" or "instance"))
            .ToDictionary(p => p.Name, p => p.Value));
}
