using Mep.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Authorization;

namespace Mep.Staffing;

/// <summary>Who may do what in the Staffing service (docs/domain.md, "Who uses it"). Staffing is internal: no school key reads it.</summary>
public static class StaffingAccess
{
    /// <summary>Counts, calculations, history, ticket load: planners, finance, the service desk's leads (agents) and admins.</summary>
    public const string Read = "staffing-read";

    /// <summary>Scenarios and custom models: planners and admins.</summary>
    public const string Plan = "staffing-plan";

    /// <summary>Built-in models and the replica rebuild: admins.</summary>
    public const string Administer = "staffing-admin";

    /// <summary>Setting the current posts per organisational unit: finance and admins (everyone with <see cref="Read"/> reads them).</summary>
    public const string Posts = "staffing-posts";

    /// <summary>
    /// Creating, renaming, retiring and deleting organisational units: planners (who plan the city's support), finance (who set the
    /// units' posts) and admins.
    /// </summary>
    public const string OrgUnits = "staffing-org-units";

    public static void AddPolicies(AuthorizationOptions options)
    {
        options.AddPolicy(Read, policy => policy.RequireRole(PlatformRoles.Planner, PlatformRoles.Finance, PlatformRoles.Agent, PlatformRoles.Admin));
        options.AddPolicy(Plan, policy => policy.RequireRole(PlatformRoles.Planner, PlatformRoles.Admin));
        options.AddPolicy(Administer, policy => policy.RequireRole(PlatformRoles.Admin));
        options.AddPolicy(Posts, policy => policy.RequireRole(PlatformRoles.Finance, PlatformRoles.Admin));
        options.AddPolicy(OrgUnits, policy => policy.RequireRole(PlatformRoles.Planner, PlatformRoles.Finance, PlatformRoles.Admin));
    }
}
