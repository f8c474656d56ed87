using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;

namespace Mep.Staffing.Tests;

/// <summary>
/// Organisational units are created and retired on purpose, with their history kept. Setting posts used to create a unit from any
/// text (4,000 characters, SQL, "a%2Fb" as it came), and what was created by mistake could not be removed.
/// </summary>
public sealed class OrgUnitTests(StaffingApi api) : IClassFixture<StaffingApi>
{
    private HttpClient Finance => api.ClientAs(PlatformRoles.Finance, "finance-fiona");

    public static TheoryData<string> CodesNotAllowed => new()
    {
        new string('x', 4_000),
        "x'); DROP TABLE org_units; --",
        "a%2Fb",
        "a/b",
        "OE 40.23",
        "-leading-hyphen",
    };

    [Theory]
    [MemberData(nameof(CodesNotAllowed))]
    public async Task A_unit_code_that_is_not_short_and_url_safe_is_a_400_naming_the_code_and_nothing_is_stored(string code)
    {
        var response = await api.Planner.PostAsync("/api/staffing/org-units", Json.Body(new { code, name = "Anything" }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.Equal(["code"], problem.ErrorFields());
        Assert.Equal(0, await api.Database.ScalarAsync<long>("SELECT count(*) FROM org_units WHERE name = 'Anything'"));
    }

    [Fact]
    public async Task Posts_for_an_escaped_slash_in_the_unit_are_a_400_naming_the_unit_and_store_nothing()
    {
        var response = await Finance.PutAsync("/api/staffing/posts/a%2Fb", Json.Body(new { posts = 1 }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.Equal(["orgUnit"], problem.ErrorFields());
        Assert.Equal(0, await api.Database.ScalarAsync<long>("SELECT count(*) FROM current_posts WHERE org_unit LIKE 'a%'"));
    }

    [Fact]
    public async Task Posts_for_a_4000_character_unit_are_a_400_naming_the_unit_and_store_nothing()
    {
        var response = await Finance.PutAsync($"/api/staffing/posts/{new string('u', 4_000)}", Json.Body(new { posts = 1 }));

        Assert.Equal(["orgUnit"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
        Assert.Equal(0, await api.Database.ScalarAsync<long>("SELECT count(*) FROM current_posts WHERE length(org_unit) > 40"));
    }

    [Fact]
    public async Task Posts_for_an_unknown_unit_are_a_404_naming_it_and_create_no_unit()
    {
        var response = await Finance.PutAsync("/api/staffing/posts/OE-99.99", Json.Body(new { posts = 1 }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Contains("'OE-99.99'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await api.Database.ScalarAsync<long>("SELECT count(*) FROM org_units WHERE code = 'OE-99.99'"));
        Assert.Equal(0, await api.Database.ScalarAsync<long>("SELECT count(*) FROM current_posts WHERE org_unit = 'OE-99.99'"));
    }

    [Fact]
    public async Task The_migration_turns_every_unit_of_the_current_posts_into_a_unit_with_its_posts_and_history()
    {
        var units = await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/org-units");
        var history = await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/org-units/OE-40.04-AM/history");

        var seeded = units.EnumerateArray().Where(u => u.GetProperty("createdBy").GetString() == "migration")
            .Select(u => (u.GetProperty("code").GetString(), u.GetProperty("name").GetString(), u.GetProperty("posts").GetDecimal())).ToList();
        Assert.Equal([("OE-18.52", "OE 18.52", 6m), ("OE-18.53", "OE 18.53", 0m), ("OE-19", "OE 19", 0m), ("OE-40.0", "OE 40.0", 0m),
            ("OE-40.04", "OE 40.04", 2.5m), ("OE-40.04-AM", "OE 40.04 AM", 2m), ("OE-40.23", "OE 40.23", 8m)], seeded);
        Assert.Equal([("created", null, "OE 40.04 AM"), ("postsSet", 2m, (string?)null)], history.EnumerateArray()
            .Select(c => (c.GetProperty("change").GetString(), c.GetProperty("postsAfter").ValueKind == JsonValueKind.Null ? (decimal?)null
                : c.GetProperty("postsAfter").GetDecimal(), c.GetProperty("nameAfter").GetString())).ToList());
    }

    [Fact]
    public async Task A_unit_is_created_with_201_its_location_and_etag()
    {
        var created = await api.Planner.PostAsync("/api/staffing/org-units", Json.Body(new { code = "OE-41.2", name = "OE 41.2 Medienberatung" }));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/staffing/org-units/OE-41.2", created.Headers.Location?.OriginalString);
        Assert.NotNull(created.Headers.ETag);
    }

    [Fact]
    public async Task A_new_unit_takes_posts()
    {
        await CreateAsync("OE-41.1", "OE 41.1 Medienzentrum");

        var posts = await Finance.PutAsync("/api/staffing/posts/OE-41.1", Json.Body(new { posts = 1.5m }));

        Assert.Equal(HttpStatusCode.OK, posts.StatusCode);
        var unit = await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/org-units/OE-41.1");
        Assert.Equal(("OE 41.1 Medienzentrum", 1.5m, "planner-paula"), (unit.GetProperty("name").GetString(), unit.GetProperty("posts").GetDecimal(),
            unit.GetProperty("createdBy").GetString()));
        var line = (await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/posts")).EnumerateArray().Single(p => p.GetProperty("orgUnit").GetString() == "OE-41.1");
        Assert.Equal(("OE 41.1 Medienzentrum", 1.5m), (line.GetProperty("name").GetString(), line.GetProperty("posts").GetDecimal()));
    }

    [Fact]
    public async Task A_code_that_exists_ignoring_case_is_a_409()
    {
        await CreateAsync("OE-42", "OE 42");

        var response = await api.Planner.PostAsync("/api/staffing/org-units", Json.Body(new { code = "oe-42", name = "Another" }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.Conflict);
        Assert.Equal("OE-42", problem.GetProperty("orgUnit").GetString());
        Assert.Equal(1, await api.Database.ScalarAsync<long>("SELECT count(*) FROM org_units WHERE lower(code) = 'oe-42'"));
    }

    [Fact]
    public async Task A_unit_created_by_mistake_is_deleted_and_its_history_says_who_deleted_it()
    {
        await CreateAsync("OE-TYPO", "Typo");

        var deleted = await api.Planner.DeleteAsync("/api/staffing/org-units/OE-TYPO");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await api.Planner.GetAsync("/api/staffing/org-units/OE-TYPO")).AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        var history = await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/org-units/OE-TYPO/history");
        Assert.Equal([("created", "planner-paula"), ("deleted", "planner-paula")],
            history.EnumerateArray().Select(c => (c.GetProperty("change").GetString(), c.GetProperty("changedBy").GetString())).ToList());
    }

    [Fact]
    public async Task A_used_unit_cannot_be_deleted_and_says_to_retire_it()
    {
        await CreateAsync("OE-USED", "Used");
        await SetPostsAsync("OE-USED", 0.5m);

        var response = await api.Planner.DeleteAsync("/api/staffing/org-units/OE-USED");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.Conflict);
        Assert.Equal("org-unit-in-use", problem.GetProperty("rule").GetString());
        Assert.Equal(1, await api.Database.ScalarAsync<long>("SELECT count(*) FROM org_units WHERE code = 'OE-USED'"));
    }

    [Fact]
    public async Task A_unit_with_posts_is_retired_only_after_its_posts_are_set_to_0()
    {
        await CreateAsync("OE-HOLDS", "Holds posts");
        await SetPostsAsync("OE-HOLDS", 2m);

        var response = await api.Planner.PostAsync("/api/staffing/org-units/OE-HOLDS/retire", Json.Body(new { reason = "merged" }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.Conflict);
        Assert.Equal("org-unit-has-posts", problem.GetProperty("rule").GetString());
        Assert.Equal(0, await api.Database.ScalarAsync<long>("SELECT count(*) FROM org_units WHERE code = 'OE-HOLDS' AND retired_at IS NOT NULL"));
    }

    [Fact]
    public async Task A_used_unit_is_retired_and_its_history_shows_every_change_with_who_when_and_from_what_to_what()
    {
        await CreateAsync("OE-OLD", "Old name");
        await RenameAsync("OE-OLD", "New name");
        await SetPostsAsync("OE-OLD", 3m);
        await SetPostsAsync("OE-OLD", 0m);

        var retired = await api.Planner.PostAsync("/api/staffing/org-units/OE-OLD/retire", Json.Body(new { reason = "Merged into OE 40.23" }));

        Assert.Equal(HttpStatusCode.OK, retired.StatusCode);
        var unit = await retired.ReadJsonAsync();
        Assert.Equal(("planner-paula", "Merged into OE 40.23"), (unit.GetProperty("retiredBy").GetString(), unit.GetProperty("retirementReason").GetString()));
        var history = (await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/org-units/OE-OLD/history")).EnumerateArray().ToList();
        Assert.Equal(
            [
                ("created", "planner-paula", null, "Old name", null, null),
                ("renamed", "planner-paula", "Old name", "New name", null, null),
                ("postsSet", "finance-fiona", null, null, null, 3m),
                ("postsSet", "finance-fiona", null, null, 3m, 0m),
                ("retired", "planner-paula", null, null, null, (decimal?)null),
            ],
            history.Select(c => (c.GetProperty("change").GetString(), c.GetProperty("changedBy").GetString(), c.GetProperty("nameBefore").GetString(),
                c.GetProperty("nameAfter").GetString(), Number(c.GetProperty("postsBefore")), Number(c.GetProperty("postsAfter")))).ToList());
        Assert.Equal("Merged into OE 40.23", history[^1].GetProperty("reason").GetString());
        Assert.True(history.Select(c => c.GetProperty("changedAt").GetDateTimeOffset()).Order().SequenceEqual(history.Select(c => c.GetProperty("changedAt").GetDateTimeOffset())));
    }

    /// <summary>A unit that held a post, was set back to 0 and retired.</summary>
    private async Task RetiredAsync(string code, string name)
    {
        await CreateAsync(code, name);
        await SetPostsAsync(code, 1m);
        await SetPostsAsync(code, 0m);
        Assert.Equal(HttpStatusCode.OK, (await api.Planner.PostAsync($"/api/staffing/org-units/{code}/retire", Json.Body(new { }))).StatusCode);
    }

    [Fact]
    public async Task A_retired_unit_takes_no_posts()
    {
        await RetiredAsync("OE-GONE", "Gone");

        var response = await Finance.PutAsync("/api/staffing/posts/OE-GONE", Json.Body(new { posts = 1 }));

        Assert.Equal("org-unit-retired", (await response.AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.Conflict)).GetProperty("rule").GetString());
        Assert.Equal(0m, await api.Database.ScalarAsync<decimal>("SELECT posts FROM current_posts WHERE org_unit = 'OE-GONE'"));
        Assert.Equal(4, (await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/org-units/OE-GONE/history")).GetArrayLength());
    }

    [Fact]
    public async Task A_retired_unit_leaves_the_current_lists_but_stays_listed_on_request()
    {
        await RetiredAsync("OE-PAST", "Past");

        var posts = await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/posts");
        var active = await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/org-units");
        var all = await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/org-units?includeRetired=true");

        Assert.DoesNotContain(posts.EnumerateArray(), p => p.GetProperty("orgUnit").GetString() == "OE-PAST");
        Assert.DoesNotContain(active.EnumerateArray(), u => u.GetProperty("code").GetString() == "OE-PAST");
        Assert.Contains(all.EnumerateArray(), u => u.GetProperty("code").GetString() == "OE-PAST" && u.GetProperty("retiredAt").ValueKind == JsonValueKind.String);
    }

    [Fact]
    public async Task Retiring_a_unit_keeps_the_city_comparison_and_its_published_figure()
    {
        await CreateAsync("OE-CMP", "Compared");
        await SetPostsAsync("OE-CMP", 1m);
        var before = (await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/calculation")).GetProperty("posts");
        await SetPostsAsync("OE-CMP", 0m);
        Assert.Equal(HttpStatusCode.OK, (await api.Planner.PostAsync("/api/staffing/org-units/OE-CMP/retire", Json.Body(new { }))).StatusCode);

        var after = (await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/calculation")).GetProperty("posts");

        Assert.Equal(before.GetProperty("currentPosts").GetDecimal() - 1m, after.GetProperty("currentPosts").GetDecimal());
        Assert.DoesNotContain(after.GetProperty("byOrgUnit").EnumerateArray(), p => p.GetProperty("orgUnit").GetString() == "OE-CMP");
        Assert.Equal(before.GetProperty("publishedFigures").GetRawText(), after.GetProperty("publishedFigures").GetRawText());
    }

    [Fact]
    public async Task Renaming_a_unit_needs_the_etag_it_was_read_with()
    {
        await CreateAsync("OE-ETAG", "First");

        var blind = await api.Planner.PutAsync("/api/staffing/org-units/OE-ETAG", Json.Body(new { name = "Second" }));
        var stale = new HttpRequestMessage(HttpMethod.Put, "/api/staffing/org-units/OE-ETAG") { Content = Json.Body(new { name = "Second" }) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));

        await blind.AssertProblemAsync(HttpStatusCode.PreconditionRequired, ProblemTypes.PreconditionRequired);
        await (await api.Planner.SendAsync(stale)).AssertProblemAsync(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
        Assert.Equal("First", (await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/org-units/OE-ETAG")).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData(PlatformRoles.Agent)]
    [InlineData(PlatformRoles.Vendor)]
    public async Task Only_planners_finance_and_admins_create_units(string role)
    {
        var response = await api.ClientAs(role).PostAsync("/api/staffing/org-units", Json.Body(new { code = "OE-NOPE", name = "Nope" }));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        Assert.Equal(0, await api.Database.ScalarAsync<long>("SELECT count(*) FROM org_units WHERE code = 'OE-NOPE'"));
    }

    private static decimal? Number(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetDecimal();

    private async Task CreateAsync(string code, string name)
    {
        var response = await api.Planner.PostAsync("/api/staffing/org-units", Json.Body(new { code, name }));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private async Task RenameAsync(string code, string name)
    {
        var read = await api.Planner.GetAsync($"/api/staffing/org-units/{code}");
        var rename = new HttpRequestMessage(HttpMethod.Put, $"/api/staffing/org-units/{code}") { Content = Json.Body(new { name }) };
        rename.Headers.IfMatch.Add(read.Headers.ETag!);
        var response = await api.Planner.SendAsync(rename);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task SetPostsAsync(string code, decimal posts) =>
        await StaffingApi.SendOkAsync(Finance, HttpMethod.Put, $"/api/staffing/posts/{code}", new { posts });
}
