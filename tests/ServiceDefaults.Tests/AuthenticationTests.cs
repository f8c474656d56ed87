using System.Net;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;

namespace Mep.ServiceDefaults.Tests;

public sealed class AuthenticationTests(SchoolsApi api) : IClassFixture<SchoolsApi>
{
    [Fact]
    public async Task Without_credentials_the_api_answers_401_with_a_challenge()
    {
        var response = await api.CreateClient().GetAsync("/api/schools");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task An_expired_token_is_a_401_that_says_it_expired()
    {
        var response = await api.ClientWithBearer(TestTokens.Expired(PlatformRoles.Planner)).GetAsync("/api/schools");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
        Assert.Equal("The bearer token has expired.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_a_401()
    {
        var response = await api.ClientWithBearer(TestTokens.BadlySigned(PlatformRoles.Admin)).GetAsync("/api/schools");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
        Assert.Equal("The bearer token's signature is not valid.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_token_signed_with_the_right_key_but_not_with_HS256_is_a_401()
    {
        var token = TestTokens.For(PlatformRoles.Admin, algorithm: Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha384);

        var response = await api.ClientWithBearer(token).GetAsync("/api/schools");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
    }

    [Fact]
    public async Task A_token_whose_subject_is_longer_than_OpenID_Connect_allows_is_a_401_that_says_so()
    {
        var response = await api.ClientWithBearer(TestTokens.For(PlatformRoles.Admin, subject: new string('s', 256))).GetAsync("/api/schools");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
        Assert.Equal(StaffTokens.SubjectTooLong, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_token_from_another_issuer_or_for_another_audience_is_a_401()
    {
        var otherIssuer = await api.ClientWithBearer(TestTokens.For(PlatformRoles.Admin, issuer: "someone-else")).GetAsync("/api/schools");
        var otherAudience = await api.ClientWithBearer(TestTokens.For(PlatformRoles.Admin, audience: "another-app")).GetAsync("/api/schools");

        await otherIssuer.AssertProblemAsync(HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
        await otherAudience.AssertProblemAsync(HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
    }

    [Fact]
    public async Task A_token_without_a_subject_is_a_401()
    {
        var response = await api.ClientWithBearer(TestTokens.For(PlatformRoles.Admin, subject: "")).GetAsync("/api/schools");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
        Assert.Equal("The bearer token names no subject (sub).", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_token_that_is_not_a_jwt_at_all_is_a_401()
    {
        var response = await api.ClientWithBearer("not-a-token").GetAsync("/api/schools");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
    }

    [Fact]
    public async Task A_value_shaped_like_a_jwt_whose_parts_are_not_base64_json_is_a_401()
    {
        var response = await api.ClientWithBearer("a.b.c").GetAsync("/api/schools");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
        Assert.Equal("The bearer token is not valid.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_agent_may_read_but_a_planner_only_write_is_a_403()
    {
        var agent = api.ClientAs(PlatformRoles.Agent);

        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/api/schools")).StatusCode);
        var write = await agent.PostAsync("/api/schools", Json.Body(SchoolsHttp.SchoolBody(TestSchoolNumbers.Next())));
        await write.AssertProblemAsync(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Theory]
    [InlineData(PlatformRoles.Planner, HttpStatusCode.OK)]
    [InlineData(PlatformRoles.Agent, HttpStatusCode.OK)]
    [InlineData(PlatformRoles.Specialist, HttpStatusCode.OK)]
    [InlineData(PlatformRoles.Finance, HttpStatusCode.OK)]
    [InlineData(PlatformRoles.Admin, HttpStatusCode.OK)]
    [InlineData(PlatformRoles.Vendor, HttpStatusCode.Forbidden)]
    [InlineData("janitor", HttpStatusCode.Forbidden)]
    public async Task Reading_schools_is_open_to_office_roles_but_not_to_vendors(string role, HttpStatusCode expected)
    {
        var response = await api.ClientAs(role).GetAsync("/api/schools");

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Only_admins_manage_api_keys()
    {
        var school = await api.Planner.RegisterSchoolAsync();

        var asPlanner = await api.Planner.PostAsync($"/api/schools/{school}/api-keys", Json.Body(new { label = "x" }));

        await asPlanner.AssertProblemAsync(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }
}
