using System.Security.Claims;
using System.Text.Encodings.Web;
using Mep.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Mep.ServiceDefaults.Auth;

/// <summary>
/// Validates staff bearer tokens (issuer, audience, lifetime, signature) with JsonWebTokenHandler; the
/// JwtBearer package is not available here. Keys: the configured symmetric dev key and, when an
/// authority is configured, its published signing keys (refreshed by the configuration manager).
/// </summary>
public sealed class StaffTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<AuthOptions> authOptions,
    StaffTokenKeys keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    private const string IdentityProviderUnavailable = "mep:idp-unavailable";
    private static readonly JsonWebTokenHandler Tokens = new() { MapInboundClaims = false };

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var settings = authOptions.Value;
        var token = header["Bearer ".Length..].Trim();
        if (!Tokens.CanReadToken(token))
        {
            return AuthenticateResult.Fail("The bearer token is not valid.");
        }

        // The issuer picks the keys: the local key signs only for the local issuer, the authority's keys only for it.
        TokenValidationParameters? parameters;
        try
        {
            parameters = await keys.ValidationParametersAsync(new JsonWebToken(token).Issuer, Context.RequestAborted);
        }
        catch (InvalidOperationException)
        {
            // The configuration manager could not fetch the authority's keys (it retries on later requests).
            Context.Items[IdentityProviderUnavailable] = true;
            return AuthenticateResult.Fail("The identity provider cannot be reached to check the token; retry shortly.");
        }

        if (parameters is null)
        {
            return AuthenticateResult.Fail("The bearer token comes from an issuer this platform does not trust.");
        }

        var result = await Tokens.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            return AuthenticateResult.Fail(Describe(result.Exception));
        }

        // Audit columns and rate limits key on the subject, so a token without one is not accepted.
        var subject = result.ClaimsIdentity.FindFirst("sub")?.Value;
        if (string.IsNullOrWhiteSpace(subject))
        {
            return AuthenticateResult.Fail("The bearer token names no subject (sub).");
        }

        var identity = new ClaimsIdentity(SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, subject));
        identity.AddClaim(new Claim(ClaimTypes.Name, result.ClaimsIdentity.FindFirst("name")?.Value ?? subject));

        var roles = result.ClaimsIdentity.Claims
            .Where(claim => settings.RoleClaims.Contains(claim.Type, StringComparer.Ordinal))
            .Select(claim => claim.Value)
            .Where(PlatformRoles.Staff.Contains)
            .Distinct(StringComparer.Ordinal);
        foreach (var role in roles)
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, role));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        if (Context.Items.ContainsKey(IdentityProviderUnavailable))
        {
            // Not the caller's fault: the token may be fine, so no 401 that would make a client drop it.
            Response.Headers.RetryAfter = "10";
            await ApiProblems.Unavailable().ExecuteAsync(Context);
            return;
        }

        Response.Headers.WWWAuthenticate = failure is null ? "Bearer" : $"Bearer error=\"invalid_token\"";
        await ApiProblems.Problem(401, ProblemTypes.Unauthenticated, "Unauthenticated",
            failure ?? "Send a staff token (Authorization: Bearer ...) or a school API key (X-Api-Key).").ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.Problem(403, ProblemTypes.Forbidden, "Forbidden", "Your role may not do this.").ExecuteAsync(Context);

    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "The bearer token has expired.",
        SecurityTokenNotYetValidException => "The bearer token is not valid yet.",
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "The bearer token's signature is not valid.",
        SecurityTokenInvalidIssuerException => "The bearer token comes from an issuer this platform does not trust.",
        SecurityTokenInvalidAudienceException => "The bearer token is not meant for this platform (audience).",
        SecurityTokenNoExpirationException => "The bearer token has no expiry.",
        _ => "The bearer token is not valid.",
    };
}

/// <summary>Builds the token validation parameters once, and the authority's keys through its cached configuration.</summary>
public sealed class StaffTokenKeys
{
    private readonly AuthOptions _options;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _authority;
    private readonly SymmetricSecurityKey? _devKey;

    public StaffTokenKeys(IOptions<AuthOptions> options)
    {
        _options = options.Value;
        if (!string.IsNullOrWhiteSpace(_options.SigningKey))
        {
            var bytes = Convert.FromBase64String(_options.SigningKey);
            if (bytes.Length < 32)
            {
                throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes (base64).");
            }

            _devKey = new SymmetricSecurityKey(bytes);
        }

        if (!string.IsNullOrWhiteSpace(_options.Authority))
        {
            var metadata = _options.Authority.TrimEnd('/') + "/.well-known/openid-configuration";
            _authority = new ConfigurationManager<OpenIdConnectConfiguration>(metadata, new OpenIdConnectConfigurationRetriever(),
                new HttpDocumentRetriever { RequireHttps = _options.RequireHttpsMetadata });
        }
    }

    /// <returns>Parameters for tokens of <paramref name="issuer"/>, or null when no trusted issuer has that name.</returns>
    public async Task<TokenValidationParameters?> ValidationParametersAsync(string? issuer, CancellationToken cancellationToken)
    {
        if (_devKey is not null && issuer == _options.Issuer)
        {
            return Parameters(issuer, [_devKey]);
        }

        if (_authority is not null)
        {
            var configuration = await _authority.GetConfigurationAsync(cancellationToken);
            return issuer == configuration.Issuer ? Parameters(configuration.Issuer, configuration.SigningKeys) : null;
        }

        return null;
    }

    private TokenValidationParameters Parameters(string issuer, IEnumerable<SecurityKey> signingKeys) =>
        new()
        {
            ValidateIssuer = true,
            ValidIssuer = issuer,
            ValidateAudience = true,
            ValidAudience = _options.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = _options.ClockSkew,
            ValidateIssuerSigningKey = true,
            IssuerSigningKeys = signingKeys,
            RequireSignedTokens = true,
        };
}
