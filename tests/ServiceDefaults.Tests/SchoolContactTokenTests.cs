using System.Net;
using System.Net.Http.Headers;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;

namespace Mep.ServiceDefaults.Tests;

/// <summary>
/// A school's IT contact signs in at the identity provider and calls the services with a token (role school, school_id) instead of
/// a school API key: the token is scoped to its school exactly as the key is, and a token that names no school gets no school role.
/// </summary>
public sealed class SchoolContactTokenTests(SchoolsApi api) : IClassFixture<SchoolsApi>
{
    private HttpClient ClientWith(string token)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task A_school_contacts_token_opens_its_own_school_as_the_schools_key_does()
    {
        var own = await api.ClientAs(PlatformRoles.Planner).RegisterSchoolAsync();
        var contact = ClientWith(TestTokens.ForSchoolContact(own.ToString()));

        var mine = await contact.GetAsync("/api/schools/mine");

        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal(own, (await mine.ReadJsonAsync()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_school_contacts_token_lists_only_its_own_school_and_finds_no_other()
    {
        var planner = api.ClientAs(PlatformRoles.Planner);
        var own = await planner.RegisterSchoolAsync();
        var other = await planner.RegisterSchoolAsync();
        var contact = ClientWith(TestTokens.ForSchoolContact(own.ToString()));

        var listed = await (await contact.GetAsync("/api/schools?pageSize=100")).ReadJsonAsync();
        var otherSchool = await contact.GetAsync($"/api/schools/{other}");

        Assert.Equal([own], listed.GetProperty("items").EnumerateArray().Select(school => school.GetProperty("id").GetGuid()));
        await otherSchool.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-guid")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    public async Task A_token_with_the_school_role_but_no_valid_school_id_gets_no_school_role(string? schoolId)
    {
        var contact = ClientWith(TestTokens.ForSchoolContact(schoolId));

        var mine = await contact.GetAsync("/api/schools/mine");
        var list = await contact.GetAsync("/api/schools");

        await mine.AssertProblemAsync(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await list.AssertProblemAsync(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task A_token_with_staff_roles_and_the_school_role_at_once_is_a_401_that_says_so()
    {
        var own = await api.ClientAs(PlatformRoles.Planner).RegisterSchoolAsync();
        var mixed = ClientWith(TestTokens.ForSchoolContact(own.ToString(), "mixed", PlatformRoles.Admin));

        var problem = await (await mixed.GetAsync("/api/schools")).AssertProblemAsync(HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);

        Assert.Equal(StaffTokens.StaffAndSchool, problem.GetProperty("detail").GetString());
    }
}
