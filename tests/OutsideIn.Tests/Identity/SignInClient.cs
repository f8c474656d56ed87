using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mep.OutsideIn.Tests.Identity;

/// <summary>
/// What a browser and a confidential client do in the authorization code flow, as plain HTTP through the edge: a cookie jar, no
/// automatic redirects (each hop is looked at), the sign-in form read and posted as a browser would, the code redeemed with PKCE.
/// </summary>
public sealed partial class SignInClient : IDisposable
{
    public const string ClientId = "mep-console";
    public const string ClientSecret = "console-secret-for-tests";
    public const string Scopes = "openid profile email roles offline_access";

    private readonly HttpClient _http;

    public SignInClient(Uri edge)
    {
        Edge = edge;
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = Cookies })
        {
            BaseAddress = edge,
        };
    }

    public Uri Edge { get; }

    public CookieContainer Cookies { get; } = new();

    public string RedirectUri => RedirectUriOf(Edge);

    public static string RedirectUriOf(Uri edge) => new Uri(edge, "/signin-oidc").ToString();

    public static string PostLogoutRedirectUriOf(Uri edge) => new Uri(edge, "/signout-callback-oidc").ToString();

    /// <summary>The settings of the client these requests come from, for <see cref="IdentityHost.StartAsync"/>.</summary>
    public static Dictionary<string, string?> ClientSettings(Uri edge) => new(StringComparer.Ordinal)
    {
        ["Identity:Clients:0:ClientId"] = ClientId,
        ["Identity:Clients:0:ClientSecret"] = ClientSecret,
        ["Identity:Clients:0:RedirectUris:0"] = RedirectUriOf(edge),
        ["Identity:Clients:0:PostLogoutRedirectUris:0"] = PostLogoutRedirectUriOf(edge),
    };

    public Task<HttpResponseMessage> GetAsync(string pathOrUri) => _http.GetAsync(pathOrUri);

    public Task<HttpResponseMessage> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> fields) =>
        _http.PostAsync(path, new FormUrlEncodedContent(fields));

    /// <summary>The authorization request of the console, with PKCE (S256) unless <paramref name="pkce"/> is null.</summary>
    public static string AuthorizePath(Pkce? pkce, string redirectUri, string state = "state-1", string? prompt = null)
    {
        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["client_id"] = ClientId,
            ["response_type"] = "code",
            ["redirect_uri"] = redirectUri,
            ["scope"] = Scopes,
            ["state"] = state,
            ["nonce"] = "nonce-1",
        };
        if (pkce is not null)
        {
            parameters["code_challenge"] = pkce.Challenge;
            parameters["code_challenge_method"] = "S256";
        }

        if (prompt is not null)
        {
            parameters["prompt"] = prompt;
        }

        return "/identity/connect/authorize" + Microsoft.AspNetCore.Http.QueryString.Create(parameters);
    }

    /// <summary>Asks for a code and lands on the sign-in form (fails the test if it lands anywhere else).</summary>
    public async Task<SignInForm> OpenSignInFormAsync(Pkce pkce)
    {
        var authorize = await GetAsync(AuthorizePath(pkce, RedirectUri));
        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        var formPage = await GetAsync(authorize.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, formPage.StatusCode);
        return SignInForm.Read(await formPage.Content.ReadAsStringAsync());
    }

    /// <summary>Posts the form with these credentials; the answer as it comes (a redirect on success, the form again on failure).</summary>
    public Task<HttpResponseMessage> SubmitAsync(SignInForm form, string userName, string password) =>
        PostFormAsync(form.Action, [
            new(form.AntiforgeryField, form.AntiforgeryToken),
            new("returnUrl", form.ReturnUrl),
            new("username", userName),
            new("password", password),
        ]);

    /// <summary>The whole front channel: the form, the credentials, back to the authorization endpoint, the code at the redirect URI.</summary>
    public async Task<string> SignInForCodeAsync(string userName, string password, Pkce pkce)
    {
        var form = await OpenSignInFormAsync(pkce);
        var signedIn = await SubmitAsync(form, userName, password);
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, $"Signing in answered {(int)signedIn.StatusCode}.");
        return await CodeFromAsync(await GetAsync(signedIn.Headers.Location!.ToString()));
    }

    /// <summary>The code in an authorization response (a redirect to the client's redirect URI).</summary>
    public async Task<string> CodeFromAsync(HttpResponseMessage authorization)
    {
        Assert.True(authorization.StatusCode == HttpStatusCode.Redirect,
            $"The authorization endpoint answered {(int)authorization.StatusCode}: {await authorization.Content.ReadAsStringAsync()}");
        var location = authorization.Headers.Location!;
        Assert.StartsWith(RedirectUri, location.ToString(), StringComparison.Ordinal);
        var code = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query)["code"].ToString();
        Assert.False(string.IsNullOrEmpty(code), $"No code in {location}");
        return code;
    }

    /// <summary>The back channel: the code and the PKCE verifier for tokens, as the confidential client.</summary>
    public Task<HttpResponseMessage> RedeemAsync(string code, string verifier) =>
        PostFormAsync("/identity/connect/token", [
            new("grant_type", "authorization_code"),
            new("code", code),
            new("redirect_uri", RedirectUri),
            new("client_id", ClientId),
            new("client_secret", ClientSecret),
            new("code_verifier", verifier),
        ]);

    public Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        PostFormAsync("/identity/connect/token", [
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
            new("client_id", ClientId),
            new("client_secret", ClientSecret),
        ]);

    /// <summary>Signs in and redeems the code: the token response.</summary>
    public async Task<Tokens> SignInAsync(string userName, string password)
    {
        var pkce = Pkce.New();
        var code = await SignInForCodeAsync(userName, password, pkce);
        var response = await RedeemAsync(code, pkce.Verifier);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Redeeming the code answered {(int)response.StatusCode}: {body}");
        return Tokens.Read(body);
    }

    public void Dispose() => _http.Dispose();

    public sealed record Pkce(string Verifier, string Challenge)
    {
        public static Pkce New()
        {
            var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
            return new Pkce(verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
        }

        private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public sealed record Tokens(string AccessToken, string IdToken, string RefreshToken, int ExpiresIn)
    {
        public static Tokens Read(string json)
        {
            var body = JsonDocument.Parse(json).RootElement;
            return new Tokens(body.GetProperty("access_token").GetString()!, body.GetProperty("id_token").GetString()!,
                body.GetProperty("refresh_token").GetString()!, body.GetProperty("expires_in").GetInt32());
        }
    }

    /// <summary>The sign-in form as a browser sees it: where it posts and its hidden fields.</summary>
    public sealed partial record SignInForm(string Html, string Action, string AntiforgeryField, string AntiforgeryToken, string ReturnUrl)
    {
        public static SignInForm Read(string html)
        {
            var antiforgery = Antiforgery().Match(html);
            Assert.True(antiforgery.Success, "The sign-in form has an antiforgery field.");
            return new SignInForm(html, WebUtility.HtmlDecode(FormAction().Match(html).Groups["action"].Value),
                antiforgery.Groups["name"].Value, WebUtility.HtmlDecode(antiforgery.Groups["value"].Value),
                WebUtility.HtmlDecode(ReturnUrlField().Match(html).Groups["value"].Value));
        }

        [GeneratedRegex("""<form method="post" action="(?<action>[^"]*)">""")]
        private static partial Regex FormAction();

        [GeneratedRegex("""<input type="hidden" name="(?<name>__RequestVerificationToken)" value="(?<value>[^"]*)">""")]
        private static partial Regex Antiforgery();

        [GeneratedRegex("""<input type="hidden" name="returnUrl" value="(?<value>[^"]*)">""")]
        private static partial Regex ReturnUrlField();
    }
}
