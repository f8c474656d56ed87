using System.Security.Claims;
using Mep.Identity.Hosting;
using Mep.Identity.People;
using Mep.Identity.SignIn;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Mep.Identity.Connect;

/// <summary>
/// The OpenID Connect endpoints OpenIddict passes through to here once it has validated the request: who is signed in
/// (authorize), whose tokens are renewed (token), who asks (userinfo), who leaves (endsession).
/// </summary>
public static class ConnectEndpoints
{
    public const string Authorize = "connect/authorize";
    public const string Token = "connect/token";
    public const string UserInfo = "connect/userinfo";
    public const string EndSession = "connect/endsession";

    private const string OpenIddictScheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public static WebApplication MapConnect(this WebApplication app)
    {
        app.MapMethods("/" + Authorize, [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync).AllowAnonymous();
        app.MapPost("/" + Token, ExchangeAsync).AllowAnonymous().DisableAntiforgery();
        app.MapMethods("/" + UserInfo, [HttpMethods.Get, HttpMethods.Post], UserInfoAsync).AllowAnonymous().DisableAntiforgery();
        app.MapMethods("/" + EndSession, [HttpMethods.Get, HttpMethods.Post], (Delegate)EndSessionAsync).AllowAnonymous().DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext context, PeopleDirectory people, IOptions<ProviderOptions> options)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("OpenIddict passed no authorization request through.");
        var signedIn = await context.AuthenticateAsync(SignInEndpoints.CookieScheme);
        var person = signedIn.Succeeded ? people.Find(signedIn.Principal.FindFirstValue(SignInEndpoints.SubjectClaim)) : null;
        if (person is null || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Refuse(Errors.LoginRequired, "No one is signed in at the identity provider.");
            }

            // Back here after the form; without prompt=login, which would send the person to the form again and again.
            var parameters = request.GetParameters()
                .Where(parameter => parameter.Key != Parameters.Prompt || !request.HasPromptValue(PromptValues.Login))
                .Select(parameter => KeyValuePair.Create(parameter.Key, (string?)parameter.Value.ToString()));
            var returnUrl = context.Request.PathBase + context.Request.Path + QueryString.Create(parameters);
            if (person is not null)
            {
                await context.SignOutAsync(SignInEndpoints.CookieScheme);
            }

            return Results.Challenge(new AuthenticationProperties { RedirectUri = returnUrl }, [SignInEndpoints.CookieScheme]);
        }

        return Results.SignIn(TokenClaims.For(person, request.GetScopes(), options.Value.Audience), authenticationScheme: OpenIddictScheme);
    }

    /// <summary>Code and refresh token grants: the person is looked up again, so a changed role reaches the next token.</summary>
    private static async Task<IResult> ExchangeAsync(HttpContext context, PeopleDirectory people, IOptions<ProviderOptions> options)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("OpenIddict passed no token request through.");
        if (!request.IsAuthorizationCodeGrantType() && !request.IsRefreshTokenGrantType())
        {
            return Refuse(Errors.UnsupportedGrantType, "Only the authorization code and refresh token grants are supported.");
        }

        var granted = await context.AuthenticateAsync(OpenIddictScheme);
        if (people.Find(granted.Principal?.GetClaim(Claims.Subject)) is not { } person)
        {
            return Refuse(Errors.InvalidGrant, "The person this grant was issued to can no longer sign in.");
        }

        // Same authorization as the grant: a refresh token used twice revokes every token of that sign-in, the renewed ones too.
        var renewed = TokenClaims.For(person, granted.Principal!.GetScopes(), options.Value.Audience)
            .SetAuthorizationId(granted.Principal!.GetAuthorizationId());
        return Results.SignIn(renewed, authenticationScheme: OpenIddictScheme);
    }

    private static async Task<IResult> UserInfoAsync(HttpContext context, PeopleDirectory people)
    {
        var caller = await context.AuthenticateAsync(OpenIddictScheme);
        if (people.Find(caller.Principal?.GetClaim(Claims.Subject)) is not { } person)
        {
            return Results.Challenge(new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidToken,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The person this token was issued to can no longer sign in.",
            }), [OpenIddictScheme]);
        }

        return Results.Json(TokenClaims.UserInfo(person));
    }

    /// <summary>Ends the provider's own session, then OpenIddict sends the person to the client's registered post-logout address.</summary>
    private static async Task<IResult> EndSessionAsync(HttpContext context)
    {
        await context.SignOutAsync(SignInEndpoints.CookieScheme);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = context.Request.PathBase + SignInEndpoints.SignedOutPath },
            [OpenIddictScheme]);
    }

    private static IResult Refuse(string error, string description) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [OpenIddictScheme]);
}
