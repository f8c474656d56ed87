using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Mep.TestKit;

/// <summary>
/// A real OpenID Connect discovery endpoint and JWKS on a loopback port, signing tokens with its own
/// RSA key, as the city's identity provider would. Services under test are pointed at it with Auth:Authority.
/// </summary>
public sealed class FakeOidcAuthority : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RsaSecurityKey _key;

    private FakeOidcAuthority(WebApplication app, RsaSecurityKey key, string issuer) => (_app, _key, Issuer) = (app, key, issuer);

    /// <summary>The authority URL, which is also the issuer of its tokens.</summary>
    public string Issuer { get; }

    public static async Task<FakeOidcAuthority> StartAsync()
    {
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };
        var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        string? issuer = null;
        app.MapGet("/realm/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer!,
            ["jwks_uri"] = $"{issuer}/protocol/openid-connect/certs",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/realm/protocol/openid-connect/certs", () => Results.Json(new Dictionary<string, object>
        {
            ["keys"] = new[]
            {
                new Dictionary<string, string>
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["alg"] = "RS256",
                    ["kid"] = key.KeyId,
                    ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                    ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                },
            },
        }));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        issuer = $"{address}/realm";
        return new FakeOidcAuthority(app, key, issuer);
    }

    /// <summary>A token as the identity provider issues it, with roles in a "roles" array; <paramref name="issuer"/> only to forge one.</summary>
    public string TokenFor(string[] roles, string audience = TestTokens.Audience, RsaSecurityKey? signWith = null, string? issuer = null)
    {
        var now = DateTime.UtcNow;
        var claims = new ClaimsIdentity([new Claim("sub", "oidc-user")]);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            Subject = claims,
            Claims = new Dictionary<string, object> { ["roles"] = roles },
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(15),
            SigningCredentials = new SigningCredentials(signWith ?? _key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>A key with the authority's key id but other key material: what a forger would sign with.</summary>
    public RsaSecurityKey ForgedKey() => new(RSA.Create(2048)) { KeyId = _key.KeyId };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
