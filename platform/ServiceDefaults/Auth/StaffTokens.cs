using System.Security.Claims;
using Mep.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Mep.ServiceDefaults.Auth;

/// <summary>
/// Staff bearer tokens, validated by JwtBearer in two schemes so that each key signs only for its own issuer: the local
/// scheme knows only the configured dev key and issuer, the authority scheme only the keys and issuer the OpenID
/// Connect authority publishes (fetched and refreshed by JwtBearer's configuration manager). The token's claimed
/// issuer picks the scheme; the scheme then checks everything, that issuer included.
/// </summary>
public static class StaffTokens
{
    public const string SchemeName = JwtBearerDefaults.AuthenticationScheme;
    public const string AuthoritySchemeName = "BearerAuthority";
    public const string MissingSubject = "The bearer token names no subject (sub).";
    public const string SubjectTooLong = "The bearer token's subject (sub) is longer than the 255 characters OpenID Connect allows.";

    /// <summary>
    /// A token with staff roles and the school role at once is refused whole: a school's IT contact acts for one school only,
    /// and neither reading (a staff member scoped to a school, a school contact with staff rights) is what its issuer meant.
    /// </summary>
    public const string StaffAndSchool = "The bearer token carries staff roles and the school role at once; a school's IT contact has no staff role.";

    /// <summary>The claim naming the school of a school's IT contact (with role <c>school</c>).</summary>
    public const string SchoolIdClaim = "school_id";
    private const string IdentityProviderUnavailable = "mep:idp-unavailable";
    private static readonly JsonWebTokenHandler Reader = new();

    /// <summary>
    /// The signature algorithms each scheme accepts (RFC 8725, 3.1: a verifier allows only the algorithms it expects): the local key is
    /// an HMAC key and signs HS256; an identity provider signs with its published public keys, never with an HMAC algorithm, so a
    /// token "signed" with a public key as HMAC secret is refused.
    /// </summary>
    private static readonly string[] LocalAlgorithms = [SecurityAlgorithms.HmacSha256];

    private static readonly string[] AuthorityAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    public static AuthenticationBuilder AddStaffTokens(this AuthenticationBuilder authentication)
    {
        authentication.AddJwtBearer(SchemeName, _ => { }).AddJwtBearer(AuthoritySchemeName, _ => { });
        authentication.Services.AddOptions<JwtBearerOptions>(SchemeName).Configure<IOptions<AuthOptions>>((jwt, auth) =>
        {
            var settings = auth.Value;
            Configure(jwt, settings);
            jwt.TokenValidationParameters.ValidIssuer = settings.Issuer;
            jwt.TokenValidationParameters.ValidAlgorithms = LocalAlgorithms;
            jwt.TokenValidationParameters.IssuerSigningKeys = LocalKey(settings) is { } key ? [key] : [];
        });
        authentication.Services.AddOptions<JwtBearerOptions>(AuthoritySchemeName).Configure<IOptions<AuthOptions>>((jwt, auth) =>
        {
            var settings = auth.Value;
            Configure(jwt, settings);
            jwt.TokenValidationParameters.ValidAlgorithms = AuthorityAlgorithms;
            // JwtBearer derives the metadata address and takes the issuer and keys from the discovery document.
            jwt.Authority = settings.Authority;
            jwt.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            jwt.Events.OnMessageReceived = RefuseWhileAuthorityUnreachableAsync;
        });
        return authentication;
    }

    /// <summary>The scheme for a bearer request: the authority's when one is configured and the token does not claim the local issuer.</summary>
    public static string SelectScheme(HttpContext context)
    {
        var settings = context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (string.IsNullOrWhiteSpace(settings.Authority))
        {
            return SchemeName;
        }

        string? header = context.Request.Headers.Authorization;
        var token = header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        // An unreadable token goes to the local scheme, which refuses it with a 401 without asking the authority.
        return token is null || !Reader.CanReadToken(token) || ClaimedIssuer(token) is not { } issuer || issuer == settings.Issuer
            ? SchemeName
            : AuthoritySchemeName;
    }

    private static string? ClaimedIssuer(string token)
    {
        try
        {
            return Reader.ReadJsonWebToken(token).Issuer;
        }
        catch (SecurityTokenMalformedException)
        {
            return null;
        }
    }

    private static void Configure(JwtBearerOptions jwt, AuthOptions settings)
    {
        // Claims keep their JWT names ("sub", "role", "roles"); OnTokenValidated maps them to the platform's identity.
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidAudience = settings.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = settings.ClockSkew,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
        };
        jwt.Events = new JwtBearerEvents
        {
            OnTokenValidated = context => ToPlatformIdentity(context, settings),
            OnChallenge = ChallengeAsync,
            OnForbidden = context =>
                ApiProblems.Problem(403, ProblemTypes.Forbidden, "Forbidden", "Your role may not do this.").ExecuteAsync(context.HttpContext),
        };
    }

    private static SymmetricSecurityKey? LocalKey(AuthOptions settings)
    {
        if (string.IsNullOrWhiteSpace(settings.SigningKey))
        {
            return null;
        }

        var bytes = Convert.FromBase64String(settings.SigningKey);
        return bytes.Length >= 32
            ? new SymmetricSecurityKey(bytes)
            : throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes (base64).");
    }

    /// <summary>
    /// JwtBearer's token handler swallows a failed metadata fetch and would answer 401, which makes a client drop a
    /// token that may be fine: fetch first (cached after the first success) and answer 503 when it fails.
    /// </summary>
    private static async Task RefuseWhileAuthorityUnreachableAsync(MessageReceivedContext context)
    {
        try
        {
            await context.Options.ConfigurationManager!.GetConfigurationAsync(context.HttpContext.RequestAborted);
        }
        catch (InvalidOperationException)
        {
            // The configuration manager retries on later requests.
            context.HttpContext.Items[IdentityProviderUnavailable] = true;
            context.Fail("The identity provider cannot be reached to check the token; retry shortly.");
        }
    }

    /// <summary>
    /// Audit columns and rate limits key on the subject; roles come from the configured claims: staff roles, or the school role of a
    /// school's IT contact (see <see cref="SchoolContact"/>).
    /// </summary>
    private static Task ToPlatformIdentity(TokenValidatedContext context, AuthOptions settings)
    {
        var token = context.Principal!;
        var subject = token.FindFirst("sub")?.Value;
        if (string.IsNullOrWhiteSpace(subject))
        {
            context.Fail(MissingSubject);
            return Task.CompletedTask;
        }

        if (subject.Length > CallerClaims.MaxActorLength)
        {
            context.Fail(SubjectTooLong);
            return Task.CompletedTask;
        }

        var claimedRoles = token.Claims
            .Where(claim => settings.RoleClaims.Contains(claim.Type, StringComparer.Ordinal))
            .Select(claim => claim.Value)
            .ToHashSet(StringComparer.Ordinal);
        var staffRoles = claimedRoles.Where(PlatformRoles.Staff.Contains).Order(StringComparer.Ordinal).ToList();
        Guid? school = null;
        if (claimedRoles.Contains(PlatformRoles.School))
        {
            if (staffRoles.Count > 0)
            {
                context.Fail(StaffAndSchool);
                return Task.CompletedTask;
            }

            school = SchoolContact(token);
        }

        var identity = new ClaimsIdentity(SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, subject));
        identity.AddClaim(new Claim(ClaimTypes.Name, token.FindFirst("name")?.Value ?? subject));
        if (token.FindFirst("email")?.Value is { Length: > 0 } email)
        {
            // For a service's directory of its staff (Support's people); nothing authorises on it.
            identity.AddClaim(new Claim(ClaimTypes.Email, email));
        }

        foreach (var role in staffRoles)
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, role));
        }

        if (school is { } schoolId)
        {
            // Exactly what a school API key gives (SchoolApiKeyHandler), so every school scope (SchoolScope, MaySee) applies unchanged.
            identity.AddClaim(new Claim(ClaimTypes.Role, PlatformRoles.School));
            identity.AddClaim(new Claim(CallerClaims.SchoolId, schoolId.ToString()));
        }

        context.Principal = new ClaimsPrincipal(identity);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A school's IT contact signed in at an identity provider: role <c>school</c> and the school in <c>school_id</c>. Without a
    /// school id that is a GUID the token gets no school role at all (it names no school to be scoped to), and so no access that
    /// role opens.
    /// </summary>
    private static Guid? SchoolContact(ClaimsPrincipal token)
    {
        var schoolIds = token.FindAll(SchoolIdClaim).Select(claim => claim.Value).Distinct(StringComparer.Ordinal).ToList();
        return schoolIds.Count == 1 && Guid.TryParse(schoolIds[0], out var schoolId) && schoolId != Guid.Empty ? schoolId : null;
    }

    private static async Task ChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var response = context.Response;
        if (context.HttpContext.Items.ContainsKey(IdentityProviderUnavailable))
        {
            // Not the caller's fault: the token may be fine, so no 401 that would make a client drop it.
            response.Headers.RetryAfter = "10";
            await ApiProblems.Unavailable().ExecuteAsync(context.HttpContext);
            return;
        }

        var failure = context.AuthenticateFailure;
        response.Headers.WWWAuthenticate = failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await ApiProblems.Problem(401, ProblemTypes.Unauthenticated, "Unauthenticated",
            failure is null ? "Send a staff token (Authorization: Bearer ...) or a school API key (X-Api-Key)." : Describe(failure))
            .ExecuteAsync(context.HttpContext);
    }

    private static string Describe(Exception exception) => exception switch
    {
        SecurityTokenExpiredException => "The bearer token has expired.",
        SecurityTokenNotYetValidException => "The bearer token is not valid yet.",
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "The bearer token's signature is not valid.",
        SecurityTokenInvalidIssuerException => "The bearer token comes from an issuer this platform does not trust.",
        SecurityTokenInvalidAudienceException => "The bearer token is not meant for this platform (audience).",
        SecurityTokenNoExpirationException => "The bearer token has no expiry.",
        { Message: MissingSubject } => MissingSubject,
        { Message: SubjectTooLong } => SubjectTooLong,
        { Message: StaffAndSchool } => StaffAndSchool,
        _ => "The bearer token is not valid.",
    };
}
