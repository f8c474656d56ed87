using Mep.Support.Tickets;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Mep.Contracts;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Mep.Support.Data;
using Mep.Support.People;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Routing;

public static class RoutingEndpoints
{
    public static RouteGroupBuilder MapRoutingEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/categories", ListCategories).RequireAuthorization(SupportAccess.ReadTickets)
            .WithName(nameof(ListCategories)).WithSummary("Support categories and what a report of each must carry (device serial, room).");
        group.MapGet("/groups", ListGroups).RequireAuthorization(SupportAccess.Work)
            .WithName(nameof(ListGroups)).WithSummary("Support groups by level, with where each escalates to and its members (staff subjects).");
        group.MapPut("/groups/{code}/members/{subject}", AddMember).RequireAuthorization(SupportAccess.Administer)
            .WithName(nameof(AddMember))
            .WithSummary("Add an active person of the people directory to a group (a vendor then sees that group's tickets); an unknown subject is a 422.");
        group.MapDelete("/groups/{code}/members/{subject}", RemoveMember).RequireAuthorization(SupportAccess.Administer)
            .WithName(nameof(RemoveMember)).WithSummary("Remove a person from a group (e.g. one added by mistake); the removal is kept in the membership history.");
        group.MapGet("/groups/{code}/members/history", MembershipHistory).RequireAuthorization(SupportAccess.Administer)
            .WithName(nameof(MembershipHistory)).WithSummary("Who added whom to the group and who removed them, when: newest first.");
        group.MapGet("/routing/rules", CurrentRules).RequireAuthorization(SupportAccess.Work)
            .WithName(nameof(CurrentRules)).WithSummary("The routing rules in force (the latest version), or ?version=N for an earlier one.");
        group.MapPut("/routing/rules", ReplaceRules).RequireAuthorization(SupportAccess.Administer)
            .WithName(nameof(ReplaceRules)).WithSummary("Replace the routing rules as a new version; tickets keep the version that routed them.");
        return group;
    }

    public static async Task<Ok<List<CategoryResponse>>> ListCategories(SupportDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.TicketCategories.AsNoTracking().OrderBy(c => c.Code)
            .Select(c => new CategoryResponse(c.Code, c.Name, c.RequiresDevice, c.RequiresRoom)).ToListAsync(cancellationToken));

    public static async Task<Ok<List<GroupResponse>>> ListGroups(SupportDbContext db, CancellationToken cancellationToken)
    {
        var members = (await db.GroupMembers.AsNoTracking().ToListAsync(cancellationToken)).ToLookup(m => m.GroupCode, m => m.Subject);
        var groups = await db.SupportGroups.AsNoTracking().OrderBy(g => g.Level).ThenBy(g => g.Code).ToListAsync(cancellationToken);
        return TypedResults.Ok(groups.ConvertAll(g => new GroupResponse(g.Code, g.Name, g.Level, g.Kind, g.EscalatesTo, [.. members[g.Code].Order()])));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> AddMember(
        [MaxLength(TicketFields.MaxCode)] string code, [MaxLength(CallerClaims.MaxActorLength)] string subject, ClaimsPrincipal user, SupportDbContext db,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var group = await db.SupportGroups.SingleOrDefaultAsync(g => g.Code == code, cancellationToken);
        if (group is null)
        {
            return ApiProblems.NotFound("group");
        }

        group.EnsureMayHaveMembers();
        Person.RequireActive(await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Subject == subject, cancellationToken), subject, "subject");
        if (!await db.GroupMembers.AnyAsync(m => m.GroupCode == code && m.Subject == subject, cancellationToken))
        {
            db.GroupMembers.Add(new GroupMember { GroupCode = code, Subject = subject });
            db.GroupMembershipChanges.Add(new GroupMembershipChange
            {
                GroupCode = code, Subject = subject, Change = GroupMembershipChange.Added, At = clock.GetUtcNow(), Actor = user.Actor(),
            });
            // Two admins adding the same person at once: the primary key refuses the second (409), the history has one line.
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveMember(
        [MaxLength(TicketFields.MaxCode)] string code, [MaxLength(CallerClaims.MaxActorLength)] string subject, ClaimsPrincipal user, SupportDbContext db,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var member = await db.GroupMembers.AsTracking().SingleOrDefaultAsync(m => m.GroupCode == code && m.Subject == subject, cancellationToken);
        if (member is null)
        {
            return ApiProblems.NotFound("member");
        }

        db.GroupMembers.Remove(member);
        db.GroupMembershipChanges.Add(new GroupMembershipChange
        {
            GroupCode = code, Subject = subject, Change = GroupMembershipChange.Removed, At = clock.GetUtcNow(), Actor = user.Actor(),
        });
        // Removed twice at once: the second delete finds no row (a concurrency failure, 412) and its history line is not written.
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<Page<MembershipChangeResponse>>, ProblemHttpResult>> MembershipHistory(
        [MaxLength(TicketFields.MaxCode)] string code, [AsParameters] MembershipHistoryQuery query, SupportDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.SupportGroups.AnyAsync(g => g.Code == code, cancellationToken))
        {
            return ApiProblems.NotFound("group");
        }

        var changes = db.GroupMembershipChanges.AsNoTracking().Where(c => c.GroupCode == code);
        var (skip, take, page, pageSize) = Paging.Resolve(query.Page, query.PageSize);
        var total = await changes.CountAsync(cancellationToken);
        var items = await changes.OrderByDescending(c => c.Id).Page(skip, take)
            .Select(c => new MembershipChangeResponse(c.Id, c.GroupCode, c.Subject, c.Change, c.At, c.Actor, c.Reason)).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<MembershipChangeResponse>(items, page, pageSize, total));
    }

    public static async Task<Results<Ok<RuleSetResponse>, ProblemHttpResult>> CurrentRules(int? version, SupportDbContext db,
        CancellationToken cancellationToken)
    {
        var set = version is { } wanted
            ? await db.RoutingRuleSets.AsNoTracking().Include(s => s.Rules).SingleOrDefaultAsync(s => s.Version == wanted, cancellationToken)
            : await RoutingRuleSet.CurrentAsync(db.RoutingRuleSets.AsNoTracking(), cancellationToken);
        return set is null ? ApiProblems.NotFound("routing rules version") : TypedResults.Ok(RuleSetResponse.From(set));
    }

    public static async Task<Results<Created<RuleSetResponse>, ValidationProblem>> ReplaceRules(RuleSetRequest request, ClaimsPrincipal user,
        SupportDbContext db, ReferenceData reference, TimeProvider clock, CancellationToken cancellationToken)
    {
        var groups = await db.SupportGroups.AsNoTracking().Where(g => g.Level > 0).ToDictionaryAsync(g => g.Code, cancellationToken);
        var categories = await db.TicketCategories.Select(c => c.Code).ToListAsync(cancellationToken);
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < request.Rules!.Count; i++)
        {
            if (!groups.ContainsKey(request.Rules[i]!.Group!))
            {
                errors[$"rules[{i}].group"] = ["No support group with this code at levels 1-3."];
            }

            if (request.Rules[i]!.Category is { } category && !categories.Contains(category))
            {
                errors[$"rules[{i}].category"] = ["Unknown category."];
            }
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var version = await db.RoutingRuleSets.MaxAsync(s => s.Version, cancellationToken) + 1;
        var set = new RoutingRuleSet { Version = version, CreatedAt = clock.GetUtcNow(), CreatedBy = user.Actor(), Note = request.Note?.Trim() };
        set.Rules = [.. request.Rules.OfType<RuleRequest>().Select((r, i) => new RoutingRule
        {
            Version = version, Position = i + 1, Category = r.Category,
            Ownership = EnumText.TryParseName<TabletOwnership>(r.Ownership, out var ownership) ? ownership : null,
            SchoolAtMepStandard = r.SchoolAtMepStandard, OnSite = r.OnSite, Level = groups[r.Group!].Level, GroupCode = r.Group!,
        })];
        db.RoutingRuleSets.Add(set);
        // Two admins saving at once both compute the same version: the primary key refuses the second (409), nothing is mixed.
        await db.SaveChangesAsync(cancellationToken);
        reference.Changed();
        return TypedResults.Created($"{SupportService.PathPrefix}/routing/rules?version={version}", RuleSetResponse.From(set));
    }
}
