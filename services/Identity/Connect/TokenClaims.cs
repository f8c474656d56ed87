using System.Security.Claims;
using Mep.Identity.People;
using Mep.ServiceDefaults.Auth;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Mep.Identity.Connect;

/// <summary>
/// What the tokens say about a person: <c>sub</c> (the user name), <c>name</c>, <c>email</c>, one <c>role</c> claim per platform
/// role and, for a school's IT contact, <c>school_id</c>. Access tokens carry all of them for the services; identity tokens carry
/// them too, so that the console knows whom it shows what without asking the userinfo endpoint.
/// </summary>
public static class TokenClaims
{
    /// <summary>The claim the services read a school contact's school from (StaffTokens on their side).</summary>
    public const string SchoolId = "school_id";

    public static ClaimsPrincipal For(Person person, IEnumerable<string> scopes, string audience)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, person.UserName)
            .SetClaim(Claims.Name, person.Name)
            .SetClaims(Claims.Role, [.. person.Roles]);
        if (person.Email.Length > 0)
        {
            identity.SetClaim(Claims.Email, person.Email);
        }

        if (person.SchoolId is { } schoolId && person.Roles.Contains(PlatformRoles.School))
        {
            identity.SetClaim(SchoolId, schoolId.ToString());
        }

        identity.SetScopes(scopes);
        identity.SetResources(audience);
        identity.SetDestinations(Destinations);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>Every claim about the person goes to both tokens; OpenIddict's own bookkeeping claims stay in neither.</summary>
    private static IEnumerable<string> Destinations(Claim claim) => claim.Type switch
    {
        Claims.Subject or Claims.Name or Claims.Email or Claims.Role or SchoolId =>
            [OpenIddictConstants.Destinations.AccessToken, OpenIddictConstants.Destinations.IdentityToken],
        _ => [],
    };

    /// <summary>The userinfo answer: the same claims as the identity token, as JSON.</summary>
    public static Dictionary<string, object> UserInfo(Person person)
    {
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [Claims.Subject] = person.UserName,
            [Claims.Name] = person.Name,
            [Claims.Role] = person.Roles.ToArray(),
        };
        if (person.Email.Length > 0)
        {
            claims[Claims.Email] = person.Email;
        }

        if (person.SchoolId is { } schoolId && person.Roles.Contains(PlatformRoles.School))
        {
            claims[SchoolId] = schoolId.ToString();
        }

        return claims;
    }
}
