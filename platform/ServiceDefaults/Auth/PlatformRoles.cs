namespace Mep.ServiceDefaults.Auth;

/// <summary>
/// The roles of docs/domain.md, "Who uses it". Staff roles come in JWTs; <see cref="School"/> from a school API key, or from the token of
/// a school's IT contact that names its school (<see cref="StaffTokens"/>), always scoped to that one school.
/// </summary>
public static class PlatformRoles
{
    public const string Planner = "planner";
    public const string Agent = "agent";
    public const string Specialist = "specialist";
    public const string Vendor = "vendor";
    public const string Finance = "finance";
    public const string Admin = "admin";
    public const string School = "school";

    public static IReadOnlySet<string> Staff { get; } =
        new HashSet<string>(StringComparer.Ordinal) { Planner, Agent, Specialist, Vendor, Finance, Admin };
}

/// <summary>One authorization policy per role, named as the role; services add their own combinations.</summary>
public static class PlatformPolicies
{
    public static void AddRolePolicies(Microsoft.AspNetCore.Authorization.AuthorizationOptions options)
    {
        foreach (var role in PlatformRoles.Staff.Append(PlatformRoles.School))
        {
            options.AddPolicy(role, policy => policy.RequireRole(role));
        }

    }
}
