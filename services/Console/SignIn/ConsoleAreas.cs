using Mep.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Authorization;

namespace Mep.Console.SignIn;

/// <summary>
/// The console's areas and the platform roles that open them. A page names its area in <c>[Authorize(Policy = ...)]</c>; a person
/// without one of the roles gets the "Kein Zugriff" page (403) and the page never runs, so it asks no API for data. The APIs
/// check the same roles again on every call: this only spares people pages that could show them nothing.
/// </summary>
public static class ConsoleAreas
{
    public const string ServiceDesk = "area:service-desk";
    public const string Rollout = "area:rollout";
    public const string Finance = "area:finance";
    public const string School = "area:school";
    public const string Admin = "area:admin";

    public static readonly IReadOnlyDictionary<string, string[]> Roles = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [ServiceDesk] = [PlatformRoles.Agent, PlatformRoles.Specialist, PlatformRoles.Vendor],
        [Rollout] = [PlatformRoles.Planner],
        [Finance] = [PlatformRoles.Finance],
        [School] = [PlatformRoles.School],
        [Admin] = [PlatformRoles.Admin],
    };

    public static void AddPolicies(AuthorizationOptions options)
    {
        foreach (var (area, roles) in Roles)
        {
            options.AddPolicy(area, policy => policy.RequireAuthenticatedUser().RequireRole(roles));
        }
    }

    public static bool Opens(this System.Security.Claims.ClaimsPrincipal person, string area) => Roles[area].Any(person.IsInRole);
}
