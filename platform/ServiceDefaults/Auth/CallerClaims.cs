using System.Security.Claims;

namespace Mep.ServiceDefaults.Auth;

public static class CallerClaims
{
    public const string SchoolId = "mep:school_id";
    public const string ApiKeyId = "mep:api_key_id";

    /// <summary>
    /// The longest actor an audit column or answer holds: OpenID Connect allows a subject of at most 255 ASCII characters, and
    /// the platform refuses a token whose subject is longer (<see cref="StaffTokens"/>).
    /// </summary>
    public const int MaxActorLength = 255;

    /// <summary>The school a school key acts for; null for staff.</summary>
    public static Guid? SchoolScope(this ClaimsPrincipal user) =>
        user.IsInRole(PlatformRoles.School) && Guid.TryParse(user.FindFirstValue(SchoolId), out var id) ? id : null;

    /// <summary>Who did it, for audit columns: the staff subject or the school key.</summary>
    public static string Actor(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown";

    /// <summary>Whether the caller may see data of <paramref name="schoolId"/>: staff always, a school key only its own.</summary>
    public static bool MaySee(this ClaimsPrincipal user, Guid schoolId) => user.SchoolScope() is not { } own || own == schoolId;
}
