using System.Net;
using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Tests;

public sealed class SchoolYearsAndRoomsTests(SchoolsApi api) : IClassFixture<SchoolsApi>
{
    [Fact]
    public async Task Recording_a_school_year_creates_it_then_corrects_it_and_the_newest_shows_on_the_school()
    {
        var id = await api.Planner.RegisterSchoolAsync();

        var created = await api.Planner.PutAsync($"/api/schools/{id}/years/2019", Json.Body(new { pupils = 800, teachers = 60, classes = 32 }));
        var newer = await api.Planner.PutAsync($"/api/schools/{id}/years/2020", Json.Body(new { pupils = 810, teachers = 61, classes = 32 }));
        var corrected = await api.Planner.PutAsync($"/api/schools/{id}/years/2020", Json.Body(new { pupils = 815, teachers = 61, classes = 33 }));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Created, newer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        var years = await (await api.Planner.GetAsync($"/api/schools/{id}/years")).ReadJsonAsync();
        Assert.Equal(["2020/21", "2019/20"], years.EnumerateArray().Select(y => y.GetProperty("schoolYear").GetString()));
        var latest = (await (await api.Planner.GetAsync($"/api/schools/{id}")).ReadJsonAsync()).GetProperty("latestYear");
        Assert.Equal("2020/21", latest.GetProperty("schoolYear").GetString());
        Assert.Equal(815, latest.GetProperty("pupils").GetInt32());
    }

    [Fact]
    public async Task Concurrent_first_recordings_of_one_school_year_all_succeed_and_store_one_row()
    {
        var id = await api.Planner.RegisterSchoolAsync();

        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            api.Planner.PutAsync($"/api/schools/{id}/years/2021", Json.Body(new { pupils = 500 + i, teachers = 40, classes = 20 }))));

        Assert.All(attempts, r => Assert.True(r.IsSuccessStatusCode, $"{(int)r.StatusCode}"));
        Assert.Equal(1, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM school_years WHERE school_id = '{id}' AND start_year = 2021"));
        var stored = await (await api.Planner.GetAsync($"/api/schools/{id}/years/2021")).ReadJsonAsync();
        Assert.InRange(stored.GetProperty("pupils").GetInt32(), 500, 505);
    }

    [Fact]
    public async Task Negative_counts_and_implausible_years_are_refused()
    {
        var id = await api.Planner.RegisterSchoolAsync();

        var negative = await api.Planner.PutAsync($"/api/schools/{id}/years/2020", Json.Body(new { pupils = -1, teachers = 10, classes = 4 }));
        var farFuture = await api.Planner.PutAsync($"/api/schools/{id}/years/2999", Json.Body(new { pupils = 1, teachers = 1, classes = 1 }));

        Assert.Equal(["pupils"], (await negative.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
        Assert.Equal(["startYear"], (await farFuture.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }

    /// <summary>A registered school with one building "Trakt A"; their ids.</summary>
    private async Task<(Guid School, Guid Building)> SchoolWithBuildingAsync()
    {
        var id = await api.Planner.RegisterSchoolAsync();
        var building = (await (await api.Planner.PostAsync($"/api/schools/{id}/buildings", Json.Body(new { name = "Trakt A" }))).ReadJsonAsync())
            .GetProperty("id").GetGuid();
        return (id, building);
    }

    [Fact]
    public async Task A_second_building_of_the_same_name_is_a_409()
    {
        var (id, _) = await SchoolWithBuildingAsync();

        var sameName = await api.Planner.PostAsync($"/api/schools/{id}/buildings", Json.Body(new { name = "Trakt A" }));

        await sameName.AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.Conflict);
    }

    [Fact]
    public async Task A_second_room_of_the_same_number_in_a_building_is_a_409()
    {
        var (id, building) = await SchoolWithBuildingAsync();
        await api.Planner.PostAsync($"/api/schools/{id}/buildings/{building}/rooms", Json.Body(new { number = "A 1.01", kind = "classroom" }));

        var sameNumber = await api.Planner.PostAsync($"/api/schools/{id}/buildings/{building}/rooms", Json.Body(new { number = "A 1.01", kind = "other" }));

        await sameNumber.AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.Conflict);
    }

    [Fact]
    public async Task Rooms_are_listed_by_kind_and_counted_per_building()
    {
        var (id, building) = await SchoolWithBuildingAsync();

        await api.Planner.PostAsync($"/api/schools/{id}/buildings/{building}/rooms", Json.Body(new { number = "A 1.01", kind = "classroom" }));
        await api.Planner.PostAsync($"/api/schools/{id}/buildings/{building}/rooms", Json.Body(new { number = "A 2.01", kind = "computerRoom", description = "Informatik" }));

        var computerRooms = await (await api.Planner.GetAsync($"/api/schools/{id}/rooms?kind=computerRoom")).ReadJsonAsync();
        Assert.Equal(["A 2.01"], computerRooms.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("number").GetString()));
        var buildings = await (await api.Planner.GetAsync($"/api/schools/{id}/buildings")).ReadJsonAsync();
        Assert.Equal(2, buildings.EnumerateArray().Single().GetProperty("rooms").GetInt32());
    }

    /// <summary>A room added to a new school's building: the answer to adding it (location, ETag) and the room's path.</summary>
    private async Task<(HttpResponseMessage Added, string Path)> AddedRoomAsync()
    {
        var id = await api.Planner.RegisterSchoolAsync();
        var building = (await (await api.Planner.PostAsync($"/api/schools/{id}/buildings", Json.Body(new { name = "Haupthaus" }))).ReadJsonAsync())
            .GetProperty("id").GetGuid();
        var added = await api.Planner.PostAsync($"/api/schools/{id}/buildings/{building}/rooms", Json.Body(new { number = "1", kind = "classroom" }));
        var room = (await added.ReadJsonAsync()).GetProperty("id").GetGuid();
        return (added, $"/api/schools/{id}/rooms/{room}");
    }

    private Task<HttpResponseMessage> ChangeRoomAsync(string path, string kind, System.Net.Http.Headers.EntityTagHeaderValue ifMatch)
    {
        var change = new HttpRequestMessage(HttpMethod.Put, path) { Content = Json.Body(new { number = "1", kind }) };
        change.Headers.IfMatch.Add(ifMatch);
        return api.Planner.SendAsync(change);
    }

    [Fact]
    public async Task A_room_is_changed_with_the_etag_it_was_added_with()
    {
        var (added, path) = await AddedRoomAsync();
        var etag = added.Headers.ETag!;

        var atLocation = await api.Planner.GetAsync(added.Headers.Location);
        Assert.Equal(etag, atLocation.Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, (await ChangeRoomAsync(path, "computerRoom", etag)).StatusCode);
    }

    [Fact]
    public async Task A_room_change_with_a_stale_etag_is_412()
    {
        var (added, path) = await AddedRoomAsync();
        var etag = added.Headers.ETag!;
        (await ChangeRoomAsync(path, "computerRoom", etag)).EnsureSuccessStatusCode();

        await (await ChangeRoomAsync(path, "staffRoom", etag)).AssertProblemAsync(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
    }

    [Fact]
    public async Task Adding_and_changing_a_room_tells_other_services_its_state_through_the_outbox()
    {
        var id = await api.Planner.RegisterSchoolAsync();
        var building = (await (await api.Planner.PostAsync($"/api/schools/{id}/buildings", Json.Body(new { name = "Trakt B" }))).ReadJsonAsync())
            .GetProperty("id").GetGuid();
        var added = await api.Planner.PostAsync($"/api/schools/{id}/buildings/{building}/rooms", Json.Body(new { number = "B 0.01", kind = "classroom" }));
        var room = (await added.ReadJsonAsync()).GetProperty("id").GetGuid();
        var change = new HttpRequestMessage(HttpMethod.Put, $"/api/schools/{id}/rooms/{room}") { Content = Json.Body(new { number = "B 0.01", kind = "computerRoom" }) };
        change.Headers.IfMatch.Add(added.Headers.ETag!);
        (await api.Planner.SendAsync(change)).EnsureSuccessStatusCode();

        var recorded = await api.Database.ScalarAsync<string>($"""
            SELECT string_agg(body::jsonb->>'kind' || '@' || (body::jsonb->>'buildingName') || '/' || (body::jsonb->>'number'), ',' ORDER BY sequence)
            FROM outbox_messages WHERE message_type = 'Mep.Contracts.Schools.RoomRecorded' AND aggregate_id = 'room:{room}'
            """);
        Assert.Equal("Classroom@Trakt B/B 0.01,ComputerRoom@Trakt B/B 0.01", recorded);
    }

    [Fact]
    public async Task A_room_cannot_be_added_to_another_schools_building()
    {
        var first = await api.Planner.RegisterSchoolAsync();
        var second = await api.Planner.RegisterSchoolAsync();
        var building = (await (await api.Planner.PostAsync($"/api/schools/{first}/buildings", Json.Body(new { name = "Haus" }))).ReadJsonAsync())
            .GetProperty("id").GetGuid();

        var response = await api.Planner.PostAsync($"/api/schools/{second}/buildings/{building}/rooms", Json.Body(new { number = "1", kind = "classroom" }));

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }
}

/// <summary>A service that joins late gets the whole directory again, on an admin's request.</summary>
public sealed class DirectoryRepublicationTests(SchoolsApi api) : IClassFixture<SchoolsApi>
{
    [Fact]
    public async Task Republishing_the_directory_records_every_school_with_its_media_concept_school_year_key_and_room_again_with_revocations_kept()
    {
        var id = await api.Planner.RegisterSchoolAsync();
        await api.PutOkAsync($"/api/schools/{id}/years/2020", new { pupils = 500, teachers = 40, classes = 20 });
        var (revokedKey, _) = await api.Admin.IssueKeyAsync(id, "old");
        (await api.Admin.PostAsync($"/api/schools/{id}/api-keys/{revokedKey}/revoke", null)).EnsureSuccessStatusCode();
        var building = (await (await api.Planner.PostAsync($"/api/schools/{id}/buildings", Json.Body(new { name = "Haus A" }))).ReadJsonAsync()).GetProperty("id").GetGuid();
        (await api.Planner.PostAsync($"/api/schools/{id}/buildings/{building}/rooms", Json.Body(new { number = "A1", kind = "classroom" }))).EnsureSuccessStatusCode();
        var before = await api.Database.ScalarAsync<long>("SELECT max(sequence) FROM outbox_messages");

        var forbidden = await api.Planner.PostAsync("/api/schools/admin/directory/republish", null);
        var response = await api.Admin.PostAsync("/api/schools/admin/directory/republish", null);

        await forbidden.AssertProblemAsync(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var republished = await api.Database.ScalarAsync<string>($"""
            SELECT string_agg(replace(message_type, 'Mep.Contracts.Schools.', ''), ',' ORDER BY sequence) FROM outbox_messages
            WHERE sequence > {before} AND (body::jsonb->>'schoolId' = '{id}')
            """);
        Assert.Equal("SchoolUpdated,MediaConceptRecorded,SchoolYearFiguresRecorded,SchoolApiKeyIssued,SchoolApiKeyRevoked,RoomRecorded", republished);
    }
}
