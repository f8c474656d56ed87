using System.Net;
using System.Text.Json;
using Mep.ServiceDefaults.Auth;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Mep.OutsideIn.Tests.Identity;

/// <summary>
/// The local identity provider as the console and the services meet it, through the edge: discovery, the code flow with PKCE, the
/// tokens' claims, the sign-in form's refusals, renewal, sign-out, and its tokens at a platform service.
/// </summary>
public sealed class IdentityProviderTests(IdentityPlatform platform) : IClassFixture<IdentityPlatform>
{
    private string Issuer => $"{platform.Edge.GetLeftPart(UriPartial.Authority)}/identity/";

    [Fact]
    public async Task Discovery_names_the_issuer_and_every_endpoint_under_identity_at_the_edge()
    {
        using var browser = platform.NewBrowser();

        var discovery = await (await browser.GetAsync("/identity/.well-known/openid-configuration")).ReadJsonAsync();

        Assert.Equal(Issuer, discovery.GetProperty("issuer").GetString());
        Assert.Equal(Issuer + "connect/authorize", discovery.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(Issuer + "connect/token", discovery.GetProperty("token_endpoint").GetString());
        Assert.Equal(Issuer + "connect/userinfo", discovery.GetProperty("userinfo_endpoint").GetString());
        Assert.Equal(Issuer + "connect/endsession", discovery.GetProperty("end_session_endpoint").GetString());
        Assert.Equal(Issuer + ".well-known/jwks", discovery.GetProperty("jwks_uri").GetString());
        Assert.Equal(["S256"], discovery.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(method => method.GetString()));
    }

    [Fact]
    public async Task The_key_set_publishes_the_rsa_key_that_signs_the_tokens()
    {
        using var browser = platform.NewBrowser();
        var tokens = await browser.SignInAsync(IdentityPlatform.Agent.UserName, IdentityPlatform.Password);

        var keys = await (await browser.GetAsync("/identity/.well-known/jwks")).ReadJsonAsync();

        var kid = new JsonWebToken(tokens.AccessToken).Kid;
        var key = Assert.Single(keys.GetProperty("keys").EnumerateArray(), key => key.GetProperty("kid").GetString() == kid);
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.False(key.TryGetProperty("d", out _), "The key set publishes no private key material.");
    }

    [Fact]
    public async Task A_staff_member_signing_in_with_code_and_pkce_gets_an_access_token_with_exactly_the_specified_claims()
    {
        using var browser = platform.NewBrowser();
        var person = IdentityPlatform.PlannerAndFinance;

        var tokens = await browser.SignInAsync(person.UserName, IdentityPlatform.Password);

        var access = new JsonWebToken(tokens.AccessToken);
        Assert.Equal("RS256", access.Alg);
        Assert.Equal("at+jwt", access.Typ);
        Assert.Equal(Issuer, access.Issuer);
        Assert.Equal(["mep-platform"], access.Audiences);
        Assert.Equal(person.UserName, access.Subject);
        Assert.Equal(person.Name, access.GetClaim("name").Value);
        Assert.Equal(person.Email, access.GetClaim("email").Value);
        Assert.Equal(person.Roles.Order(), access.Claims.Where(claim => claim.Type == "role").Select(claim => claim.Value).Order());
        Assert.DoesNotContain(access.Claims, claim => claim.Type == "school_id");
        Assert.Equal(TimeSpan.FromMinutes(15), access.ValidTo - access.IssuedAt);
        Assert.InRange(tokens.ExpiresIn, 890, 900);
    }

    [Fact]
    public async Task A_school_contacts_access_token_carries_the_school_role_and_the_schools_id()
    {
        using var browser = platform.NewBrowser();

        var tokens = await browser.SignInAsync(IdentityPlatform.SchoolContact.UserName, IdentityPlatform.Password);

        var access = new JsonWebToken(tokens.AccessToken);
        Assert.Equal([PlatformRoles.School], access.Claims.Where(claim => claim.Type == "role").Select(claim => claim.Value));
        Assert.Equal(platform.OwnSchool.ToString(), access.GetClaim("school_id").Value);
    }

    [Fact]
    public async Task The_identity_token_names_the_person_their_email_and_roles_for_the_client()
    {
        using var browser = platform.NewBrowser();
        var person = IdentityPlatform.PlannerAndFinance;

        var tokens = await browser.SignInAsync(person.UserName, IdentityPlatform.Password);

        var id = new JsonWebToken(tokens.IdToken);
        Assert.Equal([SignInClient.ClientId], id.Audiences);
        Assert.Equal(person.UserName, id.Subject);
        Assert.Equal(person.Name, id.GetClaim("name").Value);
        Assert.Equal(person.Email, id.GetClaim("email").Value);
        Assert.Equal(person.Roles.Order(), id.Claims.Where(claim => claim.Type == "role").Select(claim => claim.Value).Order());
    }

    [Fact]
    public async Task The_userinfo_endpoint_answers_the_same_claims_for_the_access_token()
    {
        using var browser = platform.NewBrowser();
        var person = IdentityPlatform.SchoolContact;
        var tokens = await browser.SignInAsync(person.UserName, IdentityPlatform.Password);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(platform.Edge, "/identity/connect/userinfo"));
        request.Headers.Authorization = new("Bearer", tokens.AccessToken);
        using var http = new HttpClient();

        var userInfo = await (await http.SendAsync(request)).ReadJsonAsync();

        Assert.Equal(person.UserName, userInfo.GetProperty("sub").GetString());
        Assert.Equal(person.Name, userInfo.GetProperty("name").GetString());
        Assert.Equal([PlatformRoles.School], userInfo.GetProperty("role").EnumerateArray().Select(role => role.GetString()));
        Assert.Equal(platform.OwnSchool.ToString(), userInfo.GetProperty("school_id").GetString());
    }

    [Fact]
    public async Task A_wrong_password_shows_the_german_error_announced_and_issues_no_code()
    {
        using var browser = platform.NewBrowser();
        var pkce = SignInClient.Pkce.New();
        var form = await browser.OpenSignInFormAsync(pkce);

        var answer = await browser.SubmitAsync(form, IdentityPlatform.Agent.UserName, "falsch");

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Null(answer.Headers.Location);
        var page = await answer.Content.ReadAsStringAsync();
        Assert.Contains("""role="alert">Benutzername oder Passwort ist falsch.</p>""", page, StringComparison.Ordinal);
        var again = await browser.GetAsync(SignInClient.AuthorizePath(pkce, browser.RedirectUri));
        Assert.StartsWith(Issuer + "anmelden", again.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sign_in_page_is_german_with_labelled_fields_the_password_manager_understands()
    {
        using var browser = platform.NewBrowser();

        var form = await browser.OpenSignInFormAsync(SignInClient.Pkce.New());

        Assert.Contains("""<html lang="de">""", form.Html, StringComparison.Ordinal);
        Assert.Contains("<h1>Anmelden</h1>", form.Html, StringComparison.Ordinal);
        Assert.Contains("""<label for="username">Benutzername</label>""", form.Html, StringComparison.Ordinal);
        Assert.Contains("""<input id="username" name="username" type="text" autocomplete="username" """, form.Html, StringComparison.Ordinal);
        Assert.Contains("""<label for="password">Passwort</label>""", form.Html, StringComparison.Ordinal);
        Assert.Contains("""<input id="password" name="password" type="password" autocomplete="current-password" """, form.Html, StringComparison.Ordinal);
        Assert.Equal("/identity/anmelden", form.Action);
    }

    [Fact]
    public async Task Repeated_wrong_passwords_for_one_user_name_refuse_even_the_right_one_for_a_while()
    {
        using var browser = platform.NewBrowser();
        var form = await browser.OpenSignInFormAsync(SignInClient.Pkce.New());
        for (var attempt = 0; attempt < 5; attempt++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await browser.SubmitAsync(form, IdentityPlatform.Guessed.UserName, $"falsch-{attempt}")).StatusCode);
        }

        var refused = await browser.SubmitAsync(form, IdentityPlatform.Guessed.UserName, IdentityPlatform.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Contains("Zu viele fehlgeschlagene Anmeldeversuche.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(refused.Headers.Location);
    }

    [Fact]
    public async Task A_form_posted_without_its_antiforgery_token_signs_nobody_in()
    {
        using var browser = platform.NewBrowser();
        var form = await browser.OpenSignInFormAsync(SignInClient.Pkce.New());

        var answer = await browser.PostFormAsync(form.Action, [
            new("returnUrl", form.ReturnUrl), new("username", IdentityPlatform.Agent.UserName), new("password", IdentityPlatform.Password)]);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Null(answer.Headers.Location);
        Assert.DoesNotContain(browser.Cookies.GetAllCookies(), cookie => cookie.Name == ".mep.identity");
    }

    [Theory]
    [InlineData("//evil.example/steal")]
    [InlineData("https://evil.example/steal")]
    [InlineData("/\\evil.example/steal")]
    [InlineData("/somewhere-else-at-the-edge")]
    public async Task After_signing_in_the_form_returns_only_to_a_path_of_the_provider(string returnUrl)
    {
        using var browser = platform.NewBrowser();
        var form = await browser.OpenSignInFormAsync(SignInClient.Pkce.New());

        var answer = await browser.SubmitAsync(form with { ReturnUrl = returnUrl }, IdentityPlatform.Agent.UserName, IdentityPlatform.Password);

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal("/identity/anmelden", answer.Headers.Location!.ToString());
    }

    [Fact]
    public async Task The_providers_cookie_is_http_only_lax_and_limited_to_its_path()
    {
        using var browser = platform.NewBrowser();
        var form = await browser.OpenSignInFormAsync(SignInClient.Pkce.New());

        var answer = await browser.SubmitAsync(form, IdentityPlatform.Agent.UserName, IdentityPlatform.Password);

        var cookie = Assert.Single(answer.Headers.GetValues("Set-Cookie"), header => header.StartsWith(".mep.identity=", StringComparison.Ordinal));
        Assert.Contains("path=/identity", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_authorization_request_without_pkce_is_refused_with_no_code()
    {
        using var browser = platform.NewBrowser();
        await browser.SignInAsync(IdentityPlatform.Agent.UserName, IdentityPlatform.Password);

        var answer = await browser.GetAsync(SignInClient.AuthorizePath(pkce: null, browser.RedirectUri));

        // Refused before the client's redirect URI is checked, so at the provider itself: no redirect, and so no code.
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Null(answer.Headers.Location);
    }

    [Fact]
    public async Task An_authorization_request_with_an_unregistered_redirect_uri_is_refused_and_sends_nobody_there()
    {
        using var browser = platform.NewBrowser();
        await browser.SignInAsync(IdentityPlatform.Agent.UserName, IdentityPlatform.Password);

        var answer = await browser.GetAsync(SignInClient.AuthorizePath(SignInClient.Pkce.New(), "https://evil.example/signin-oidc"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Null(answer.Headers.Location);
    }

    [Fact]
    public async Task A_code_is_redeemed_only_with_its_own_pkce_verifier()
    {
        using var browser = platform.NewBrowser();
        var pkce = SignInClient.Pkce.New();
        var code = await browser.SignInForCodeAsync(IdentityPlatform.Agent.UserName, IdentityPlatform.Password, pkce);

        var answer = await browser.RedeemAsync(code, SignInClient.Pkce.New().Verifier);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("invalid_grant", JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task The_refresh_token_renews_the_access_token_with_the_same_claims_and_a_new_refresh_token()
    {
        using var browser = platform.NewBrowser();
        var person = IdentityPlatform.PlannerAndFinance;
        var tokens = await browser.SignInAsync(person.UserName, IdentityPlatform.Password);

        var renewed = await browser.RefreshAsync(tokens.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        var body = await renewed.ReadJsonAsync();
        var access = new JsonWebToken(body.GetProperty("access_token").GetString());
        Assert.Equal(person.UserName, access.Subject);
        Assert.Equal(person.Roles.Order(), access.Claims.Where(claim => claim.Type == "role").Select(claim => claim.Value).Order());
        Assert.NotEqual(tokens.RefreshToken, body.GetProperty("refresh_token").GetString());
    }

    [Fact]
    public async Task Signing_out_ends_the_providers_session_and_returns_to_the_clients_post_logout_address()
    {
        using var browser = platform.NewBrowser();
        var tokens = await browser.SignInAsync(IdentityPlatform.Agent.UserName, IdentityPlatform.Password);
        var postLogout = SignInClient.PostLogoutRedirectUriOf(platform.Edge);

        var signedOut = await browser.GetAsync("/identity/connect/endsession" + Microsoft.AspNetCore.Http.QueryString.Create(new Dictionary<string, string?>
        {
            ["id_token_hint"] = tokens.IdToken,
            ["post_logout_redirect_uri"] = postLogout,
            ["state"] = "logout-state",
        }));

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal($"{postLogout}?state=logout-state", signedOut.Headers.Location!.ToString());
        var afterwards = await browser.GetAsync(SignInClient.AuthorizePath(SignInClient.Pkce.New(), browser.RedirectUri));
        Assert.StartsWith(Issuer + "anmelden", afterwards.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_in_person_gets_a_code_without_the_form_again()
    {
        using var browser = platform.NewBrowser();
        await browser.SignInAsync(IdentityPlatform.Agent.UserName, IdentityPlatform.Password);

        var answer = await browser.GetAsync(SignInClient.AuthorizePath(SignInClient.Pkce.New(), browser.RedirectUri));

        await browser.CodeFromAsync(answer);
    }

    [Fact]
    public async Task Nobody_signed_in_and_prompt_none_is_answered_login_required_to_the_client()
    {
        using var browser = platform.NewBrowser();

        var answer = await browser.GetAsync(SignInClient.AuthorizePath(SignInClient.Pkce.New(), browser.RedirectUri, prompt: "none"));

        Assert.StartsWith(browser.RedirectUri, answer.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal("login_required", QueryHelpers.ParseQuery(answer.Headers.Location!.Query)["error"].ToString());
    }

    [Fact]
    public async Task A_token_it_issues_is_accepted_by_a_platform_service_at_the_edge()
    {
        using var browser = platform.NewBrowser();
        var tokens = await browser.SignInAsync(IdentityPlatform.PlannerAndFinance.UserName, IdentityPlatform.Password);
        using var api = new HttpClient { BaseAddress = platform.Edge };
        api.DefaultRequestHeaders.Authorization = new("Bearer", tokens.AccessToken);

        var created = await api.PostAsync("/api/schools", Json.Body(SchoolsHttp.SchoolBody(TestSchoolNumbers.Next())));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task A_school_contacts_token_sees_only_its_own_school_at_a_platform_service()
    {
        using var browser = platform.NewBrowser();
        var tokens = await browser.SignInAsync(IdentityPlatform.SchoolContact.UserName, IdentityPlatform.Password);
        using var api = new HttpClient { BaseAddress = platform.Edge };
        api.DefaultRequestHeaders.Authorization = new("Bearer", tokens.AccessToken);

        var listed = await (await api.GetAsync("/api/schools?pageSize=100")).ReadJsonAsync();
        var other = await api.GetAsync($"/api/schools/{platform.OtherSchool}");

        Assert.Equal([platform.OwnSchool], listed.GetProperty("items").EnumerateArray().Select(school => school.GetProperty("id").GetGuid()));
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task Readiness_answers_through_the_edge_while_the_database_answers()
    {
        using var browser = platform.NewBrowser();

        var ready = await browser.GetAsync("/identity/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }
}
