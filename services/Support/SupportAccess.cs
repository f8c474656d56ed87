using System.Security.Claims;
using Mep.ServiceDefaults.Auth;
using Mep.Support.Data;
using Mep.Support.Tickets;
using Microsoft.AspNetCore.Authorization;

namespace Mep.Support;

/// <summary>Who may do what in the Support service (docs/domain.md, "Who uses it").</summary>
public static class SupportAccess
{
    /// <summary>Tickets: staff read all, a vendor those of its groups, a school key its own school's.</summary>
    public const string ReadTickets = "support-read";

    /// <summary>Open a ticket: a school for itself, the service desk for a school that called.</summary>
    public const string Report = "support-report";

    /// <summary>Work on tickets (status, level, assignee, internal notes, merge, links): service desk, specialists, admins, vendors on theirs.</summary>
    public const string Work = "support-work";

    /// <summary>Routing rules, SLA policies and calendars, groups: admins.</summary>
    public const string Administer = "support-admin";

    /// <summary>Write knowledge-base articles: the service desk, specialists, admins.</summary>
    public const string WriteKnowledge = "support-knowledge";

    /// <summary>Anyone with a staff token (every role but a school key): the people directory records each at their first request.</summary>
    public const string Staff = "support-staff";

    /// <summary>Set system-support budgets and the contractor's rate: finance and admins; planners read them.</summary>
    public const string Budgets = "support-budgets";

    public static void AddPolicies(AuthorizationOptions options)
    {
        options.AddPolicy(ReadTickets, policy => policy.RequireRole(PlatformRoles.Agent, PlatformRoles.Specialist, PlatformRoles.Vendor,
            PlatformRoles.Planner, PlatformRoles.Finance, PlatformRoles.Admin, PlatformRoles.School));
        options.AddPolicy(Report, policy => policy.RequireRole(PlatformRoles.School, PlatformRoles.Agent, PlatformRoles.Admin));
        options.AddPolicy(Work, policy => policy.RequireRole(PlatformRoles.Agent, PlatformRoles.Specialist, PlatformRoles.Vendor, PlatformRoles.Admin));
        options.AddPolicy(Administer, policy => policy.RequireRole(PlatformRoles.Admin));
        options.AddPolicy(WriteKnowledge, policy => policy.RequireRole(PlatformRoles.Agent, PlatformRoles.Specialist, PlatformRoles.Admin));
        options.AddPolicy(Staff, policy => policy.RequireRole(PlatformRoles.Staff));
        options.AddPolicy(Budgets, policy => policy.RequireRole(PlatformRoles.Finance, PlatformRoles.Admin));
    }

    /// <summary>A vendor (or the contractor) only: no internal staff role besides. Sees and works only on its groups' tickets.</summary>
    public static bool IsVendorOnly(this ClaimsPrincipal user) =>
        user.IsInRole(PlatformRoles.Vendor) && !new[] { PlatformRoles.Agent, PlatformRoles.Specialist, PlatformRoles.Admin, PlatformRoles.Planner }.Any(user.IsInRole);

    /// <summary>The tickets the caller may see: a school its own, a vendor those of its groups or assigned to it while active, staff all.</summary>
    public static IQueryable<Ticket> VisibleTickets(this SupportDbContext db, ClaimsPrincipal user)
    {
        if (user.SchoolScope() is { } school)
        {
            return db.Tickets.Where(t => t.SchoolId == school);
        }

        if (user.IsVendorOnly())
        {
            var subject = user.Actor();
            var groups = db.GroupMembers.Where(m => m.Subject == subject).Select(m => m.GroupCode);
            // A deactivated person's memberships ended with their work; the tickets still assigned to them are no longer theirs to see.
            return db.Tickets.Where(t => groups.Contains(t.GroupCode) || (t.Assignee == subject && db.People.Any(p => p.Subject == subject && p.Active)));
        }

        return db.Tickets;
    }

    /// <summary>school, vendor or staff: how a comment's author is shown.</summary>
    public static string AuthorRole(this ClaimsPrincipal user) =>
        user.SchoolScope() is not null ? "school" : user.IsVendorOnly() ? "vendor" : "staff";
}
