using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Mep.Console.SignIn;

/// <summary>
/// People sign in at the city's OpenID Connect provider (authorization code with PKCE); the console keeps the session in an HttpOnly
/// cookie that also holds the person's tokens, so the access token never reaches the browser's script. The token is renewed with
/// the refresh token shortly before it expires; when that fails the session ends and the next page signs the person in again.
/// </summary>
public static class ConsoleSignIn
{
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string ProviderScheme = OpenIdConnectDefaults.AuthenticationScheme;

    /// <summary>How long before its expiry the access token is renewed: a page's API calls must not meet a token that ran out meanwhile.</summary>
    private static readonly TimeSpan RenewBeforeExpiry = TimeSpan.FromMinutes(2);

    /// <summary>The person's roles and school come with "roles"; "offline_access" gives the refresh token that renews the access token.</summary>
    private static readonly string[] Scopes = ["openid", "profile", "email", "roles", "offline_access"];

    public static WebApplicationBuilder AddConsoleSignIn(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(ConsoleOptions.Section);
        builder.Services.Configure<ConsoleOptions>(section);
        var settings = section.Get<ConsoleOptions>() ?? new ConsoleOptions();
        builder.Services.TryAddSingleton(TimeProvider.System);

        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("mep-console");
        if (!string.IsNullOrWhiteSpace(settings.KeyDirectory))
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(settings.KeyDirectory));
        }

        builder.Services
            .AddAuthentication(options =>
            {
                options.DefaultScheme = CookieScheme;
                options.DefaultChallengeScheme = ProviderScheme;
            })
            .AddCookie(CookieScheme, options =>
            {
                options.Cookie.Name = "mep-console";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = settings.IdleTimeout;
                options.SlidingExpiration = true;
                options.AccessDeniedPath = ConsolePages.AccessDenied;
                options.Events.OnValidatePrincipal = RenewTokensWhenDueAsync;
            })
            .AddOpenIdConnect(ProviderScheme, options =>
            {
                options.Authority = settings.Authority?.ToString();
                options.ClientId = settings.ClientId;
                options.ClientSecret = settings.ClientSecret;
                options.RequireHttpsMetadata = settings.RequireHttpsMetadata;
                options.ResponseType = OpenIdConnectResponseType.Code;
                options.UsePkce = true;
                options.SaveTokens = true;
                options.GetClaimsFromUserInfoEndpoint = true;
                options.MapInboundClaims = false;
                options.Scope.Clear();
                foreach (var scope in Scopes)
                {
                    options.Scope.Add(scope);
                }

                options.TokenValidationParameters.NameClaimType = "name";
                options.TokenValidationParameters.RoleClaimType = "role";
                // The roles and the school a school's IT contact acts for come in the tokens; keep them on the person.
                options.ClaimActions.MapUniqueJsonKey("school_id", "school_id");
                options.ClaimActions.MapJsonKey("role", "role");
                options.SignedOutRedirectUri = ConsolePages.SignedOut;
            });
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        builder.Services.Configure<Microsoft.AspNetCore.Authorization.AuthorizationOptions>(ConsoleAreas.AddPolicies);
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    /// <summary>/anmelden starts a sign-in (and lands on the page asked for); /abmelden (a form post) ends the session here and at the provider.</summary>
    public static WebApplication MapSignInEndpoints(this WebApplication app)
    {
        app.MapGet("/anmelden", (string? returnUrl) => Results.Challenge(
            new AuthenticationProperties { RedirectUri = LocalOnly(returnUrl) }, [ProviderScheme])).AllowAnonymous();
        app.MapPost("/abmelden", () => Results.SignOut(
            new AuthenticationProperties { RedirectUri = ConsolePages.SignedOut }, [CookieScheme, ProviderScheme]));
        return app;
    }

    /// <summary>Only a path of the console itself: a link from elsewhere must not send a person on to another site after signing in.</summary>
    private static string LocalOnly(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl[0] == '/' && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\'))
            ? returnUrl
            : "/";

    private static async Task RenewTokensWhenDueAsync(CookieValidatePrincipalContext context)
    {
        var properties = context.Properties;
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (!DateTimeOffset.TryParse(properties.GetTokenValue("expires_at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expiresAt)
            || expiresAt - now > RenewBeforeExpiry)
        {
            return;
        }

        var renewed = properties.GetTokenValue("refresh_token") is { } refreshToken
            ? await RedeemRefreshTokenAsync(context.HttpContext, refreshToken)
            : null;
        if (renewed?.AccessToken is not { Length: > 0 } accessToken)
        {
            // The provider ended the session (or was asked too late): sign in again on the next page rather than call APIs with a dead token.
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
            return;
        }

        properties.UpdateTokenValue("access_token", accessToken);
        if (!string.IsNullOrEmpty(renewed.RefreshToken))
        {
            properties.UpdateTokenValue("refresh_token", renewed.RefreshToken);
        }

        var lifetime = int.TryParse(renewed.ExpiresIn, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : 300;
        properties.UpdateTokenValue("expires_at", now.AddSeconds(lifetime).ToString("o", CultureInfo.InvariantCulture));
        context.ShouldRenew = true;
    }

    private static async Task<OpenIdConnectMessage?> RedeemRefreshTokenAsync(HttpContext http, string refreshToken)
    {
        var options = http.RequestServices.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(ProviderScheme);
        try
        {
            var configuration = await options.ConfigurationManager!.GetConfigurationAsync(http.RequestAborted);
            using var request = new HttpRequestMessage(HttpMethod.Post, configuration.TokenEndpoint)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["grant_type"] = "refresh_token",
                    ["refresh_token"] = refreshToken,
                    ["client_id"] = options.ClientId!,
                    ["client_secret"] = options.ClientSecret ?? string.Empty,
                }),
            };
            using var response = await options.Backchannel.SendAsync(request, http.RequestAborted);
            return response.IsSuccessStatusCode ? new OpenIdConnectMessage(await response.Content.ReadAsStringAsync(http.RequestAborted)) : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // The provider's metadata could not be read.
            return null;
        }
    }
}
