using System.Net;
using System.Net.Http.Headers;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Tests;

public sealed class RegisteringSchoolsTests(SchoolsApi api) : IClassFixture<SchoolsApi>
{
    [Fact]
    public async Task A_planner_registers_a_school_and_reads_it_back_with_its_etag()
    {
        var number = TestSchoolNumbers.Next();
        var created = await api.Planner.PostAsync("/api/schools", Json.Body(SchoolsHttp.SchoolBody(number, "  GS Am Teich  ", "GS", "Nord")));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.ReadJsonAsync();
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"/api/schools/{id}", created.Headers.Location?.OriginalString);
        Assert.NotNull(created.Headers.ETag);

        var read = await api.ClientAs(PlatformRoles.Agent).GetAsync($"/api/schools/{id}");
        var school = await read.ReadJsonAsync();
        Assert.Equal(number, school.GetProperty("number").GetString());
        Assert.Equal("GS Am Teich", school.GetProperty("name").GetString());
        Assert.Equal("GS", school.GetProperty("type").GetString());
        Assert.Equal("30159", school.GetProperty("address").GetProperty("postalCode").GetString());
        Assert.Equal("none", school.GetProperty("programmes").GetProperty("mepStandard").GetProperty("status").GetString());
        Assert.Equal("none", school.GetProperty("mediaConcept").GetProperty("status").GetString());
        Assert.Equal(created.Headers.ETag, read.Headers.ETag);
    }

    [Fact]
    public async Task A_special_school_is_written_FöS_on_the_wire()
    {
        var created = await api.Planner.PostAsync("/api/schools", Json.Body(SchoolsHttp.SchoolBody(TestSchoolNumbers.Next(), "FöS Am Park", "FöS")));

        Assert.Equal("FöS", (await created.ReadJsonAsync()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_second_school_with_the_same_number_is_refused_with_409_naming_the_field()
    {
        var number = TestSchoolNumbers.Next();
        await api.Planner.PostAsync("/api/schools", Json.Body(SchoolsHttp.SchoolBody(number)));

        var duplicate = await api.Planner.PostAsync("/api/schools", Json.Body(SchoolsHttp.SchoolBody(number, "GY Anders")));

        var problem = await duplicate.AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.Conflict);
        Assert.Equal(["number"], problem.ErrorFields());
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_number_store_exactly_one_school()
    {
        var number = TestSchoolNumbers.Next();
        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            api.Planner.PostAsync("/api/schools", Json.Body(SchoolsHttp.SchoolBody(number, $"GY Race {i}")))));

        Assert.Single(attempts, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(attempts.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(1, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM schools WHERE number = '{number}'"));
    }

    /// <summary>A registered school's id, number and current ETag.</summary>
    private async Task<(Guid Id, string Number, EntityTagHeaderValue ETag)> RegisteredAsync()
    {
        var id = await api.Planner.RegisterSchoolAsync("GY Vorher");
        var read = await api.Planner.GetAsync($"/api/schools/{id}");
        return (id, (await read.ReadJsonAsync()).GetProperty("number").GetString()!, read.Headers.ETag!);
    }

    private Task<HttpResponseMessage> RenameAsync(Guid id, string number, string name, EntityTagHeaderValue ifMatch)
    {
        var update = new HttpRequestMessage(HttpMethod.Put, $"/api/schools/{id}") { Content = Json.Body(SchoolsHttp.SchoolBody(number, name)) };
        update.Headers.IfMatch.Add(ifMatch);
        return api.Planner.SendAsync(update);
    }

    [Fact]
    public async Task An_update_with_the_current_etag_succeeds_with_a_new_etag()
    {
        var (id, number, current) = await RegisteredAsync();

        var updated = await RenameAsync(id, number, "GY Nachher", current);

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.NotEqual(current, updated.Headers.ETag);
    }

    [Fact]
    public async Task An_update_with_a_stale_etag_gets_412_without_changing_anything()
    {
        var (id, number, first) = await RegisteredAsync();
        (await RenameAsync(id, number, "GY Nachher", first)).EnsureSuccessStatusCode();

        var refused = await RenameAsync(id, number, "GY Verloren", first);

        await refused.AssertProblemAsync(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
        var stored = await (await api.Planner.GetAsync($"/api/schools/{id}")).ReadJsonAsync();
        Assert.Equal("GY Nachher", stored.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Changing_a_school_number_to_one_already_taken_is_refused_with_409()
    {
        var taken = TestSchoolNumbers.Next();
        await api.Planner.PostAsync("/api/schools", Json.Body(SchoolsHttp.SchoolBody(taken)));
        var id = await api.Planner.RegisterSchoolAsync();

        var response = await api.Planner.PutAsync($"/api/schools/{id}", Json.Body(SchoolsHttp.SchoolBody(taken)));

        await response.AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.Conflict);
    }

    [Fact]
    public async Task An_unknown_school_id_answers_404_problem()
    {
        var response = await api.Planner.GetAsync($"/api/schools/{Guid.NewGuid()}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }
}
