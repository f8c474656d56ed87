using System.Net;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Tests;

public sealed class SchoolApiKeyTests(SchoolsApi api) : IClassFixture<SchoolsApi>
{
    [Fact]
    public async Task An_issued_key_is_shown_once_and_only_its_hash_is_stored()
    {
        var school = await api.Planner.RegisterSchoolAsync();
        var (keyId, key) = await api.Admin.IssueKeyAsync(school);

        Assert.StartsWith($"mep_sk_{keyId}_", key, StringComparison.Ordinal);
        var listed = await (await api.Admin.GetAsync($"/api/schools/{school}/api-keys")).Content.ReadAsStringAsync();
        Assert.Contains(keyId, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);
        var secret = key[$"mep_sk_{keyId}_".Length..];
        Assert.Equal(1, await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM school_api_keys WHERE key_id = '{keyId}' AND secret_hash = sha256(convert_to('{secret}', 'UTF8'))"));
        Assert.Equal(0, await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM school_api_keys WHERE label LIKE '%{secret}%' OR created_by LIKE '%{secret}%'"));
    }

    [Fact]
    public async Task A_school_key_reads_its_own_school_and_gets_404_for_another_school()
    {
        var own = await api.Planner.RegisterSchoolAsync();
        var other = await api.Planner.RegisterSchoolAsync();
        var (_, key) = await api.Admin.IssueKeyAsync(own);
        var school = api.ClientWithSchoolKey(key);

        Assert.Equal(own, (await (await school.GetAsync($"/api/schools/{own}")).ReadJsonAsync()).GetProperty("id").GetGuid());
        Assert.Equal(own, (await (await school.GetAsync("/api/schools/mine")).ReadJsonAsync()).GetProperty("id").GetGuid());
        await (await school.GetAsync($"/api/schools/{other}")).AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await school.GetAsync($"/api/schools/{other}/years")).AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await school.GetAsync($"/api/schools/{other}/rooms")).AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await school.GetAsync($"/api/schools/{other}/buildings")).AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task A_school_key_lists_only_its_own_school_whatever_the_filters_say()
    {
        var own = await api.Planner.RegisterSchoolAsync(type: "GS");
        await api.Planner.RegisterSchoolAsync(type: "GY");
        var (_, key) = await api.Admin.IssueKeyAsync(own);

        var page = await (await api.ClientWithSchoolKey(key).GetAsync("/api/schools?pageSize=200")).ReadJsonAsync();
        var gyOnly = await (await api.ClientWithSchoolKey(key).GetAsync("/api/schools?type=GY")).ReadJsonAsync();

        Assert.Equal([own], page.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()));
        Assert.Equal(0, gyOnly.GetProperty("totalItems").GetInt32());
    }

    [Fact]
    public async Task A_school_key_cannot_write_even_its_own_school()
    {
        var own = await api.Planner.RegisterSchoolAsync();
        var (_, key) = await api.Admin.IssueKeyAsync(own);

        var response = await api.ClientWithSchoolKey(key).PutAsync($"/api/schools/{own}/years/2020",
            Json.Body(new { pupils = 1, teachers = 1, classes = 1 }));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_with_401_saying_it_was_revoked()
    {
        var own = await api.Planner.RegisterSchoolAsync();
        var (keyId, key) = await api.Admin.IssueKeyAsync(own);

        var revoked = await api.Admin.PostAsync($"/api/schools/{own}/api-keys/{keyId}/revoke", null);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.False((await revoked.ReadJsonAsync()).GetProperty("active").GetBoolean());

        var refused = await api.ClientWithSchoolKey(key).GetAsync("/api/schools/mine");
        var problem = await refused.AssertProblemAsync(HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
        Assert.Equal("The API key has been revoked.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Revoking_a_revoked_key_again_is_a_409()
    {
        var own = await api.Planner.RegisterSchoolAsync();
        var (keyId, _) = await api.Admin.IssueKeyAsync(own);
        (await api.Admin.PostAsync($"/api/schools/{own}/api-keys/{keyId}/revoke", null)).EnsureSuccessStatusCode();

        var again = await api.Admin.PostAsync($"/api/schools/{own}/api-keys/{keyId}/revoke", null);

        await again.AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.Conflict);
    }

    [Fact]
    public async Task Rotating_a_key_revokes_the_old_one_and_the_new_one_works()
    {
        var own = await api.Planner.RegisterSchoolAsync();
        var (keyId, oldKey) = await api.Admin.IssueKeyAsync(own, "timetable sync");

        var rotated = await (await api.Admin.PostAsync($"/api/schools/{own}/api-keys/{keyId}/rotate", null)).ReadJsonAsync();
        var newKey = rotated.GetProperty("key").GetString()!;

        Assert.Equal("timetable sync", rotated.GetProperty("label").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.ClientWithSchoolKey(oldKey).GetAsync("/api/schools/mine")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.ClientWithSchoolKey(newKey).GetAsync("/api/schools/mine")).StatusCode);
    }

    [Fact]
    public async Task Concurrent_rotations_of_one_key_leave_exactly_one_active_successor()
    {
        var own = await api.Planner.RegisterSchoolAsync();
        var (keyId, _) = await api.Admin.IssueKeyAsync(own);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => api.Admin.PostAsync($"/api/schools/{own}/api-keys/{keyId}/rotate", null)));

        Assert.Single(attempts, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(attempts.Where(r => r.StatusCode != HttpStatusCode.Created),
            r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Conflict, HttpStatusCode.PreconditionFailed }));
        Assert.Equal(1, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM school_api_keys WHERE school_id = '{own}' AND revoked_at IS NULL"));
    }

    [Fact]
    public async Task An_issued_key_can_be_read_back_at_its_location_without_its_secret()
    {
        var own = await api.Planner.RegisterSchoolAsync();
        var issued = await api.Admin.PostAsync($"/api/schools/{own}/api-keys", Json.Body(new { label = "sync" }));

        var read = await api.Admin.GetAsync(issued.Headers.Location);

        var key = await read.ReadJsonAsync();
        Assert.Equal("sync", key.GetProperty("label").GetString());
        Assert.False(key.TryGetProperty("key", out _));
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("mep_sk_AAAAAAAAAAAA_wrongsecret")]
    [InlineData("mep_sk_")]
    public async Task An_unknown_or_malformed_key_is_a_401(string key)
    {
        var response = await api.ClientWithSchoolKey(key).GetAsync("/api/schools/mine");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
        Assert.Equal("ApiKey", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_key_with_the_right_id_but_a_wrong_secret_is_a_401()
    {
        var own = await api.Planner.RegisterSchoolAsync();
        var (keyId, _) = await api.Admin.IssueKeyAsync(own);

        var response = await api.ClientWithSchoolKey($"mep_sk_{keyId}_{new string('A', 43)}").GetAsync("/api/schools/mine");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
    }

    [Fact]
    public async Task Using_a_key_records_when_it_was_last_used()
    {
        var own = await api.Planner.RegisterSchoolAsync();
        var (keyId, key) = await api.Admin.IssueKeyAsync(own);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        await api.ClientWithSchoolKey(key).GetAsync("/api/schools/mine");

        var listed = await (await api.Admin.GetAsync($"/api/schools/{own}/api-keys")).ReadJsonAsync();
        var lastUsed = listed.EnumerateArray().Single(k => k.GetProperty("keyId").GetString() == keyId).GetProperty("lastUsedAt").GetDateTimeOffset();
        Assert.InRange(lastUsed, before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task Staff_routes_that_are_school_only_refuse_staff_with_403()
    {
        var response = await api.ClientAs(PlatformRoles.Admin).GetAsync("/api/schools/mine");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }
}
