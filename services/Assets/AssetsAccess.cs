using System.Security.Claims;
using Mep.Assets.Data;
using Mep.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Mep.Assets;

/// <summary>Who may do what in the Assets service (docs/domain.md, "Who uses it").</summary>
public static class AssetsAccess
{
    /// <summary>Staff who work with the inventory read it; a school key reads its own school's devices.</summary>
    public const string Read = "assets-read";

    /// <summary>Planners and admins manage any school's devices; a school key registers, updates and retires its own.</summary>
    public const string Register = "assets-register";

    /// <summary>Moves between schools and bulk status changes: planners and admins only.</summary>
    public const string Manage = "assets-manage";

    public static void AddPolicies(AuthorizationOptions options)
    {
        options.AddPolicy(Read, policy => policy.RequireRole(
            PlatformRoles.Planner, PlatformRoles.Agent, PlatformRoles.Specialist, PlatformRoles.Finance, PlatformRoles.Admin, PlatformRoles.School));
        options.AddPolicy(Register, policy => policy.RequireRole(PlatformRoles.Planner, PlatformRoles.Admin, PlatformRoles.School));
        options.AddPolicy(Manage, policy => policy.RequireRole(PlatformRoles.Planner, PlatformRoles.Admin));
    }

    /// <summary>
    /// The school a request acts for: a school key's own school (a <paramref name="requested"/> other school is
    /// "not found" for it), or for staff the requested one. Null with <paramref name="missing"/> set when staff named none.
    /// </summary>
    public static Guid? ActingSchool(this ClaimsPrincipal user, Guid? requested, out bool missing)
    {
        missing = false;
        if (user.SchoolScope() is { } own)
        {
            return requested is null || requested == own ? own : null;
        }

        missing = requested is null;
        return requested;
    }

    /// <summary>Whether the school is known here (from Schools' events) and the caller may see it.</summary>
    public static async Task<bool> IsVisibleSchoolAsync(this AssetsDbContext db, ClaimsPrincipal user, Guid schoolId,
        CancellationToken cancellationToken) =>
        user.MaySee(schoolId) && await db.KnownSchools.AnyAsync(s => s.SchoolId == schoolId, cancellationToken);
}
