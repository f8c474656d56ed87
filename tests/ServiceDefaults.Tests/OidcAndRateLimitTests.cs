using System.Net;
using System.Net.Http.Headers;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;

namespace Mep.ServiceDefaults.Tests;

/// <summary>Staff tokens from an OpenID Connect authority, validated against its published keys.</summary>
public sealed class OidcAuthorityTests(OidcAuthorityTests.Setup setup) : IClassFixture<OidcAuthorityTests.Setup>
{
    public sealed class Setup : IAsyncLifetime
    {
        public FakeOidcAuthority Authority { get; private set; } = null!;
        public SchoolsApi Api { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Authority = await FakeOidcAuthority.StartAsync();
            Api = SchoolsApi.WithSettings(new()
            {
                ["Auth:Authority"] = Authority.Issuer,
                ["Auth:RequireHttpsMetadata"] = "false",
            });
            await ((IAsyncLifetime)Api).InitializeAsync();
        }

        public async Task DisposeAsync()
        {
            await ((IAsyncLifetime)Api).DisposeAsync();
            await Authority.DisposeAsync();
        }
    }

    private HttpClient ClientWith(string token)
    {
        var client = setup.Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task A_token_of_the_authority_with_roles_in_a_roles_array_is_accepted()
    {
        var planner = ClientWith(setup.Authority.TokenFor([PlatformRoles.Planner, "offline_access"]));

        var created = await planner.PostAsync("/api/schools", Json.Body(SchoolsHttp.SchoolBody(TestSchoolNumbers.Next())));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task A_token_signed_with_other_key_material_under_the_authoritys_key_id_is_a_401()
    {
        var forged = ClientWith(setup.Authority.TokenFor([PlatformRoles.Admin], signWith: setup.Authority.ForgedKey()));

        await (await forged.GetAsync("/api/schools")).AssertProblemAsync(HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
    }

    [Fact]
    public async Task The_local_key_cannot_sign_tokens_in_the_authoritys_name()
    {
        var forged = ClientWith(TestTokens.For(PlatformRoles.Admin, issuer: setup.Authority.Issuer));

        await (await forged.GetAsync("/api/schools")).AssertProblemAsync(HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
    }

    [Fact]
    public async Task The_authoritys_key_cannot_sign_tokens_in_the_local_issuers_name()
    {
        var forged = ClientWith(setup.Authority.TokenFor([PlatformRoles.Admin], issuer: TestTokens.Issuer));

        await (await forged.GetAsync("/api/schools")).AssertProblemAsync(HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
    }

    [Fact]
    public async Task The_local_dev_key_keeps_working_beside_the_authority()
    {
        Assert.Equal(HttpStatusCode.OK, (await setup.Api.ClientAs(PlatformRoles.Agent).GetAsync("/api/schools")).StatusCode);
    }
}

/// <summary>When the identity provider cannot be reached, a token cannot be checked: 503, so clients keep their token and retry.</summary>
public sealed class UnreachableAuthorityTests(UnreachableAuthorityTests.Setup setup) : IClassFixture<UnreachableAuthorityTests.Setup>
{
    public sealed class Setup : IAsyncLifetime
    {
        public FakeOidcAuthority Issuer { get; private set; } = null!;
        public SchoolsApi Api { get; } = SchoolsApi.WithSettings(new()
        {
            // Nothing listens on port 9 (discard) on this machine's loopback.
            ["Auth:Authority"] = "http://127.0.0.1:9/realm",
            ["Auth:RequireHttpsMetadata"] = "false",
        });

        public async Task InitializeAsync()
        {
            Issuer = await FakeOidcAuthority.StartAsync();
            await ((IAsyncLifetime)Api).InitializeAsync();
        }

        public async Task DisposeAsync()
        {
            await ((IAsyncLifetime)Api).DisposeAsync();
            await Issuer.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_token_that_needs_the_unreachable_authority_is_answered_503_with_retry_after()
    {
        var client = setup.Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", setup.Issuer.TokenFor([PlatformRoles.Agent]));

        var response = await client.GetAsync("/api/schools");

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, ProblemTypes.Unavailable);
        Assert.True(response.Headers.Contains("Retry-After"));
    }
}

/// <summary>Per-caller request limits answer 429 with Retry-After, per key, without touching other callers.</summary>
public sealed class RateLimitTests(RateLimitTests.Throttled api) : IClassFixture<RateLimitTests.Throttled>
{
    public sealed class Throttled : IAsyncLifetime
    {
        public SchoolsApi Api { get; } = SchoolsApi.WithSettings(new() { ["RateLimits:SchoolKeyRequestsPerMinute"] = "3" });

        public Task InitializeAsync() => ((IAsyncLifetime)Api).InitializeAsync();

        public Task DisposeAsync() => ((IAsyncLifetime)Api).DisposeAsync();
    }

    [Fact]
    public async Task A_school_key_over_its_limit_gets_429_with_retry_after_while_another_school_is_unaffected()
    {
        var noisy = await api.Api.Planner.RegisterSchoolAsync();
        var quiet = await api.Api.Planner.RegisterSchoolAsync();
        var noisyClient = api.Api.ClientWithSchoolKey((await api.Api.Admin.IssueKeyAsync(noisy)).Key);
        var quietClient = api.Api.ClientWithSchoolKey((await api.Api.Admin.IssueKeyAsync(quiet)).Key);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await noisyClient.GetAsync("/api/schools/mine")).StatusCode);
        }

        var refused = await noisyClient.GetAsync("/api/schools/mine");

        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests, ProblemTypes.TooManyRequests);
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(HttpStatusCode.OK, (await quietClient.GetAsync("/api/schools/mine")).StatusCode);
    }

    [Fact]
    public async Task Every_answer_to_a_school_key_announces_its_limit_what_is_left_and_when_the_window_ends()
    {
        var school = await api.Api.Planner.RegisterSchoolAsync();
        var client = api.Api.ClientWithSchoolKey((await api.Api.Admin.IssueKeyAsync(school)).Key);

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await client.GetAsync("/api/schools/mine"));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers.Select(a => a.StatusCode));
        Assert.All(answers, answer => Assert.Equal("3", Header(answer, "RateLimit-Limit")));
        Assert.Equal(["2", "1", "0", "0"], answers.Select(answer => Header(answer, "RateLimit-Remaining")));
        Assert.All(answers, answer => Assert.InRange(int.Parse(Header(answer, "RateLimit-Reset"), System.Globalization.CultureInfo.InvariantCulture), 1, 60));
        // The refusal's Retry-After is the window's end that RateLimit-Reset announces.
        Assert.Equal(Header(answers[3], "RateLimit-Reset"), Header(answers[3], "Retry-After"));
    }

    private static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();
}
