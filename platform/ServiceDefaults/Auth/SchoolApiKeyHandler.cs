using System.Security.Claims;
using System.Text.Encodings.Web;
using Mep.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Mep.ServiceDefaults.Auth;

/// <summary>Authenticates a school's software by its API key (header <c>X-Api-Key</c>) as role <c>school</c> for exactly that school.</summary>
public sealed class SchoolApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "SchoolApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values))
        {
            return AuthenticateResult.NoResult();
        }

        if (!SchoolApiKeyFormat.TryParse(values.ToString(), out var keyId, out var secret))
        {
            return AuthenticateResult.Fail("The API key is not in the expected format (mep_sk_...).");
        }

        var store = Context.RequestServices.GetService<ISchoolApiKeyStore>();
        var record = store is null ? null : await store.FindAsync(keyId, Context.RequestAborted);
        if (record is null || !SchoolApiKeyFormat.SecretMatches(secret, record.SecretHash))
        {
            return AuthenticateResult.Fail("The API key is not known.");
        }

        if (record.RevokedAt is not null)
        {
            return AuthenticateResult.Fail("The API key has been revoked.");
        }

        await store!.MarkUsedAsync(keyId, clock.GetUtcNow(), Context.RequestAborted);
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, $"school-key:{keyId}"),
            new Claim(ClaimTypes.Name, $"school-key:{keyId}"),
            new Claim(ClaimTypes.Role, PlatformRoles.School),
            new Claim(CallerClaims.SchoolId, record.SchoolId.ToString()),
            new Claim(CallerClaims.ApiKeyId, keyId),
        ], SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        Response.Headers.WWWAuthenticate = "ApiKey";
        await ApiProblems.Problem(401, ProblemTypes.Unauthenticated, "Unauthenticated",
            failure ?? "Send a school API key in X-Api-Key.").ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.Problem(403, ProblemTypes.Forbidden, "Forbidden", "A school key may not do this.").ExecuteAsync(Context);
}
