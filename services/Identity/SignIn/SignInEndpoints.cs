using System.Security.Claims;
using System.Security.Cryptography;
using Mep.Identity.People;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Mep.Identity.SignIn;

/// <summary>
/// GET/POST /anmelden: the form, and signing in with it. Success leaves the provider's own cookie (its path is the provider's
/// path base, HttpOnly, SameSite=Lax) and goes back to where the authorization request was, and only there.
/// </summary>
public static class SignInEndpoints
{
    public const string Path = "/anmelden";
    public const string SignedOutPath = "/abgemeldet";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string CookieName = ".mep.identity";
    public const string SubjectClaim = "sub";

    public static WebApplicationBuilder AddSignIn(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PeopleDirectory>();
        builder.Services.AddSingleton<SignInThrottle>();
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = ".mep.identity.antiforgery";
            options.Cookie.Path = Hosting.Issuer.PathBase;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.FormFieldName = "__RequestVerificationToken";
        });
        builder.Services.AddAuthentication(CookieScheme).AddCookie(CookieScheme, options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.Path = Hosting.Issuer.PathBase;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.LoginPath = Path;
            options.ReturnUrlParameter = "ReturnUrl";
            options.ExpireTimeSpan = TimeSpan.FromHours(10);
            options.SlidingExpiration = true;
        });
        return builder;
    }

    public static WebApplication MapSignIn(this WebApplication app)
    {
        app.MapGet(Path, ShowAsync).AllowAnonymous();
        app.MapPost(Path, SignInAsync).AllowAnonymous().DisableAntiforgery();
        app.MapGet(SignedOutPath, (HttpContext context) => Page(context, StatusCodes.Status200OK, SignInPage.SignedOut)).AllowAnonymous();
        return app;
    }

    private static async Task<IResult> ShowAsync(HttpContext context, PeopleDirectory people, IAntiforgery antiforgery)
    {
        var returnUrl = LocalReturnUrl(context, context.Request.Query["ReturnUrl"]);
        var signedIn = await context.AuthenticateAsync(CookieScheme);
        if (signedIn.Succeeded && people.Find(signedIn.Principal.FindFirstValue(SubjectClaim)) is { } person)
        {
            return returnUrl is null
                ? Page(context, StatusCodes.Status200OK, nonce => SignInPage.SignedIn(person.Name, nonce))
                : Results.Redirect(returnUrl);
        }

        return Form(context, antiforgery, StatusCodes.Status200OK, returnUrl, userName: string.Empty, error: null);
    }

    private static async Task<IResult> SignInAsync(HttpContext context, PeopleDirectory people, SignInThrottle throttle, IAntiforgery antiforgery)
    {
        if (!context.Request.HasFormContentType)
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the sign-in form as application/x-www-form-urlencoded.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = LocalReturnUrl(context, form["returnUrl"]);
        var userName = form["username"].ToString().Trim();
        var password = form["password"].ToString();
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Form(context, antiforgery, StatusCodes.Status400BadRequest, returnUrl, userName, SignInPage.FormExpired);
        }

        if (userName.Length is 0 or > 255 || password.Length is 0 or > 1024)
        {
            return Form(context, antiforgery, StatusCodes.Status400BadRequest, returnUrl, userName.Length > 255 ? string.Empty : userName,
                SignInPage.WrongPassword);
        }

        if (throttle.RefusedFor(userName) is { } wait)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Form(context, antiforgery, StatusCodes.Status429TooManyRequests, returnUrl, userName, SignInPage.TooManyFailures(wait));
        }

        if (people.Verify(userName, password) is not { } person)
        {
            throttle.Failed(userName);
            return Form(context, antiforgery, StatusCodes.Status400BadRequest, returnUrl, userName, SignInPage.WrongPassword);
        }

        throttle.Succeeded(userName);
        var identity = new ClaimsIdentity([new Claim(SubjectClaim, person.UserName), new Claim(ClaimTypes.Name, person.Name)],
            CookieScheme, ClaimTypes.Name, ClaimTypes.Role);
        await context.SignInAsync(CookieScheme, new ClaimsPrincipal(identity));
        return Results.Redirect(returnUrl ?? context.Request.PathBase + Path);
    }

    /// <summary>
    /// Where to go after signing in: a path on this provider (the authorization request that sent the person here), nothing else,
    /// so the form cannot be used to send someone to another site ("//evil.example", "/\evil.example", "https://...").
    /// </summary>
    internal static string? LocalReturnUrl(HttpContext context, string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > 8192 || returnUrl.Any(char.IsControl))
        {
            return null;
        }

        var own = context.Request.PathBase + "/";
        var local = returnUrl[0] == '/' && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\'));
        return local && returnUrl.StartsWith(own, StringComparison.Ordinal) && !returnUrl.Contains('\\', StringComparison.Ordinal)
            ? returnUrl
            : null;
    }

    private static IResult Form(HttpContext context, IAntiforgery antiforgery, int status, string? returnUrl, string userName, string? error)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var form = new SignInPage.Form(context.Request.PathBase + Path, tokens.FormFieldName, tokens.RequestToken ?? string.Empty,
            returnUrl ?? string.Empty, userName, error);
        return Page(context, status, nonce => SignInPage.SignInForm(form, nonce));
    }

    /// <summary>A page with a policy of its own: nothing loads but its own inline style, it posts only here, it is in no frame.</summary>
    private static IResult Page(HttpContext context, int status, Func<string, string> render)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = $"default-src 'none'; style-src 'nonce-{nonce}'; base-uri 'none'; frame-ancestors 'none'";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        return Results.Content(render(nonce), "text/html; charset=utf-8", statusCode: status);
    }
}
