using Mep.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Authorization;

namespace Mep.Funding;

/// <summary>Who may do what in the Funding service (docs/domain.md, "Who uses it").</summary>
public static class FundingAccess
{
    /// <summary>Programmes, allocations, applications, spend, reports: finance, planners and admins; a school key its own school's.</summary>
    public const string Read = "funding-read";

    /// <summary>City-wide figures no school key reads (all schools' allocations, monthly subsidies, uptake, cost tables): finance, planners and admins.</summary>
    public const string Staff = "funding-staff";

    /// <summary>Allocations, applications, invoices, draws, proofs of use, settlements, cost tables: finance and admins.</summary>
    public const string Manage = "funding-manage";

    /// <summary>Drafting an application (a measure a planner prepares for finance): planners, finance and admins.</summary>
    public const string Apply = "funding-apply";

    /// <summary>A programme's rules (rates, dates, caps): finance and admins.</summary>
    public const string Programmes = "funding-programmes";

    public static void AddPolicies(AuthorizationOptions options)
    {
        options.AddPolicy(Read, policy => policy.RequireRole(PlatformRoles.Finance, PlatformRoles.Planner, PlatformRoles.Admin, PlatformRoles.School));
        options.AddPolicy(Staff, policy => policy.RequireRole(PlatformRoles.Finance, PlatformRoles.Planner, PlatformRoles.Admin));
        options.AddPolicy(Manage, policy => policy.RequireRole(PlatformRoles.Finance, PlatformRoles.Admin));
        options.AddPolicy(Apply, policy => policy.RequireRole(PlatformRoles.Planner, PlatformRoles.Finance, PlatformRoles.Admin));
        options.AddPolicy(Programmes, policy => policy.RequireRole(PlatformRoles.Finance, PlatformRoles.Admin));
    }
}
