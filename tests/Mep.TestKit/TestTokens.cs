using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Mep.TestKit;

/// <summary>Staff tokens for tests, signed like <c>./mep token</c> signs them (HS256 with the configured dev key).</summary>
public static class TestTokens
{
    public const string Issuer = "mep-test";
    public const string Audience = "mep-platform";

    /// <summary>The dev signing key every test host is configured with.</summary>
    public static readonly string SigningKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));

    private static readonly JsonWebTokenHandler Handler = new();

    public static string For(string role, string subject = "test-user", TimeSpan? lifetime = null, DateTime? notBefore = null,
        string issuer = Issuer, string audience = Audience, string? signingKey = null, string algorithm = SecurityAlgorithms.HmacSha256,
        string? name = null, string? email = null)
    {
        var now = DateTime.UtcNow;
        var start = notBefore ?? now.AddMinutes(-1);
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([
                new Claim("sub", subject), new Claim("role", role),
                .. name is null ? Array.Empty<Claim>() : [new Claim("name", name)],
                .. email is null ? Array.Empty<Claim>() : [new Claim("email", email)],
            ]),
            IssuedAt = start,
            NotBefore = start,
            Expires = start + (lifetime ?? TimeSpan.FromHours(1)),
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Convert.FromBase64String(signingKey ?? SigningKey)), algorithm),
        });
    }

    /// <summary>
    /// A school's IT contact's token as an identity provider issues it: role <c>school</c> (and <paramref name="alsoRoles"/>, to
    /// forge a mixed one) and the school in <c>school_id</c>, or no <c>school_id</c> at all where <paramref name="schoolId"/> is null.
    /// </summary>
    public static string ForSchoolContact(string? schoolId, string subject = "school-contact", params string[] alsoRoles)
    {
        var now = DateTime.UtcNow.AddMinutes(-1);
        var claims = new Dictionary<string, object> { ["role"] = alsoRoles.Prepend("school").ToArray() };
        if (schoolId is not null)
        {
            claims["school_id"] = schoolId;
        }

        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("name", "Schul-IT"), new Claim("email", "it@schule.example")]),
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(SigningKey)), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>A token that expired an hour ago (well past the allowed clock skew).</summary>
    public static string Expired(string role) =>
        For(role, lifetime: TimeSpan.FromMinutes(10), notBefore: DateTime.UtcNow.AddHours(-1));

    /// <summary>A well-formed token signed with a key the platform does not know.</summary>
    public static string BadlySigned(string role) =>
        For(role, signingKey: Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)));
}
