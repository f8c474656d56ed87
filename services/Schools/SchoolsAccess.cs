using System.Security.Claims;
using Mep.Schools.Data;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Mep.Schools;

/// <summary>Who may do what in the Schools service (docs/domain.md, "Who uses it").</summary>
public static class SchoolsAccess
{
    /// <summary>Planners and admins change schools; agents, specialists and finance read; a school key reads its own school.</summary>
    public const string Read = "schools-read";

    public const string Write = "schools-write";

    /// <summary>Only admins issue, list, rotate and revoke school API keys.</summary>
    public const string ManageKeys = PlatformRoles.Admin;

    /// <summary>A school subscribes its own software to its events and holds the signing secrets: subscribing and rotating a secret is its key's.</summary>
    public const string SubscribeWebhooks = PlatformRoles.School;

    /// <summary>A school sees its subscriptions and their delivery logs; admins see every school's.</summary>
    public const string ReadWebhooks = "schools-webhooks-read";

    /// <summary>A school pauses, resumes, deletes and redelivers its own; admins may too (a receiver that misbehaves, a school that asks).</summary>
    public const string ManageWebhooks = "schools-webhooks-manage";

    public static void AddPolicies(AuthorizationOptions options)
    {
        options.AddPolicy(Read, policy => policy.RequireRole(
            PlatformRoles.Planner, PlatformRoles.Agent, PlatformRoles.Specialist, PlatformRoles.Finance, PlatformRoles.Admin, PlatformRoles.School));
        options.AddPolicy(Write, policy => policy.RequireRole(PlatformRoles.Planner, PlatformRoles.Admin));
        options.AddPolicy(ReadWebhooks, policy => policy.RequireRole(PlatformRoles.School, PlatformRoles.Admin));
        options.AddPolicy(ManageWebhooks, policy => policy.RequireRole(PlatformRoles.School, PlatformRoles.Admin));
    }

    /// <summary>
    /// The answer for the school a path names by its number: <paramref name="answer"/> for its id, or the 404 a school key also gets for
    /// another school's number (the same as for another school's id).
    /// </summary>
    public static async Task<Results<Ok<T>, ProblemHttpResult>> BySchoolNumberAsync<T>(this ISchoolNumbers numbers, ClaimsPrincipal user,
        string number, Func<Guid, Task<Results<Ok<T>, ProblemHttpResult>>> answer, CancellationToken cancellationToken)
    {
        var school = await SchoolSelection.SelectAsync(numbers, user, null, number, cancellationToken);
        if (!school.One(out var id, out var refusal))
        {
            return refusal;
        }

        // A blank path segment (/by-number/%20) names no school at all: the same 404 as a number nobody has.
        return id is { } named ? await answer(named) : ApiProblems.NotFound("school", "number");
    }

    /// <summary>Whether the school exists and the caller may see it; a school key sees only its own, so for it every other school "does not exist".</summary>
    public static async Task<bool> IsVisibleSchoolAsync(this SchoolsDbContext db, ClaimsPrincipal user, Guid schoolId,
        CancellationToken cancellationToken) =>
        user.MaySee(schoolId) && await db.Schools.AnyAsync(s => s.Id == schoolId, cancellationToken);
}
