using Mep.Contracts;
using System.Security.Claims;
using Mep.Contracts.Support;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Mep.Messaging;
using Mep.Support.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Tickets;

/// <summary>Work on a ticket: comments, status, levels, assignee, duplicates, links, outages, articles. If-Match is honoured on every change.</summary>
public static class TicketWorkEndpoints
{
    public static RouteGroupBuilder MapTicketWorkEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/tickets/{id:guid}/comments", AddComment).RequireAuthorization(SupportAccess.ReadTickets)
            .WithName(nameof(AddComment))
            .WithSummary("Comment on a ticket. Staff: public answers (the first is the first response) or internal notes; a school: public only, "
                + "and its answer ends a wait on the school.");
        group.MapPost("/tickets/{id:guid}/status", ChangeStatus).RequireAuthorization(SupportAccess.ReadTickets)
            .WithName(nameof(ChangeStatus))
            .WithSummary("Move a ticket through its statuses; a school may only close or reopen its own resolved ticket.")
            .WithDescription("new -> triaged | inProgress | waitingForSchool | waitingForVendor | resolved; waiting -> inProgress | resolved; "
                + "resolved -> closed | reopened; reopened -> as new; closed is final. Waiting for the school pauses every clock.");
        group.MapPost("/tickets/{id:guid}/escalation", MoveLevel).RequireAuthorization(SupportAccess.Work)
            .WithName(nameof(MoveLevel))
            .WithSummary("Move a ticket to another group: up (escalation) or back down (de-escalation), with a reason; each level has its own clock.");
        group.MapPut("/tickets/{id:guid}/assignee", Assign).RequireAuthorization(SupportAccess.Work)
            .WithName(nameof(Assign))
            .WithSummary("Assign a ticket to an active person who works on its group (null to unassign); anyone else is a 422 naming assignee.")
            .WithDescription("Vendor and contractor groups: a member of the group. The city's internal groups: a member, or one of the city's own "
                + "agents, specialists or admins (no outside organisation). A school's own group takes no assignee.");
        group.MapPost("/tickets/{id:guid}/merge", Merge).RequireAuthorization(SupportAccess.Work)
            .WithName(nameof(Merge)).WithSummary("Merge a duplicate into another ticket: it is closed and points to the one that goes on.");
        group.MapPost("/tickets/{id:guid}/links", Link).RequireAuthorization(SupportAccess.Work)
            .WithName(nameof(Link)).WithSummary("Link two related tickets (both see the link).");
        group.MapPut("/tickets/{id:guid}/parent", SetParent).RequireAuthorization(SupportAccess.Work)
            .WithName(nameof(SetParent)).WithSummary("Make a ticket part of an outage affecting many schools (parent ticket), or null to detach.");
        group.MapPost("/tickets/{id:guid}/articles", LinkArticle).RequireAuthorization(SupportAccess.Work)
            .WithName(nameof(LinkArticle)).WithSummary("Record that a knowledge-base article was used on the ticket.");
        return group;
    }

    public static async Task<Results<Created<CommentResponse>, ValidationProblem, ProblemHttpResult>> AddComment(Guid id, CommentRequest request,
        ClaimsPrincipal user, SupportDbContext db, TicketWriter writer, HttpRequest http, CancellationToken cancellationToken)
    {
        var isSchool = user.SchoolScope() is not null;
        if (isSchool && request.Internal == true)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["internal"] = ["Internal notes are for staff; a school writes public comments."] });
        }

        var (ticket, problem) = await FindAsync(db, user, id, http, cancellationToken);
        if (ticket is null)
        {
            return problem!;
        }

        var now = writer.Now;
        var comment = new TicketComment(ticket.Id, now, user.Actor(), user.AuthorRole(), request.Internal == true, request.Body!.Trim());
        db.TicketComments.Add(comment);
        var publicStaffAnswer = !isSchool && !comment.Internal;
        if (isSchool)
        {
            ticket.SchoolAnswered(user.Actor(), now);
        }
        else if (publicStaffAnswer)
        {
            ticket.Responded(now);
        }

        ticket.Record(user.Actor(), now, comment.Internal ? "internalNote" : "comment", null, null, null, null);
        await writer.SaveAsync(ticket, respondedAtLevel: publicStaffAnswer, cancellationToken);
        return TypedResults.Created($"{SupportService.PathPrefix}/tickets/{ticket.Id}", CommentResponse.From(comment));
    }

    public static async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> ChangeStatus(Guid id, StatusRequest request, ClaimsPrincipal user,
        SupportDbContext db, TicketWriter writer, HttpContext http, CancellationToken cancellationToken)
    {
        var to = EnumText.ParseName<TicketStatus>(request.Status!);
        var isSchool = user.SchoolScope() is not null;
        if (!isSchool && !user.IsInRole(PlatformRoles.Agent) && !user.IsInRole(PlatformRoles.Specialist) && !user.IsInRole(PlatformRoles.Vendor)
            && !user.IsInRole(PlatformRoles.Admin))
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "Forbidden", "Your role may read tickets, not work on them.");
        }

        var (ticket, problem) = await FindAsync(db, user, id, http.Request, cancellationToken);
        if (ticket is null)
        {
            return problem!;
        }

        var now = writer.Now;
        var wasLevel = (ticket.Level, ticket.GroupCode);
        if (isSchool)
        {
            ticket.ChangeStatusAsSchool(to, user.Actor(), now, request.Note?.Trim());
        }
        else
        {
            ticket.ChangeStatus(to, user.Actor(), byStaff: true, now, request.Note?.Trim());
        }

        if (to == TicketStatus.Resolved)
        {
            db.AddIntegrationEvent(new TicketResolved(ticket.Id, ticket.SchoolId, wasLevel.Level, wasLevel.GroupCode, ticket.FirstContactResolution == true, now),
                ticket.Id.ToString(), now);
        }
        else if (to == TicketStatus.Reopened)
        {
            db.AddIntegrationEvent(new TicketReopened(ticket.Id, ticket.SchoolId, now), ticket.Id.ToString(), now);
        }

        await writer.SaveAsync(ticket, respondedAtLevel: !isSchool && to != TicketStatus.Closed, cancellationToken);
        return await AnswerAsync(db, ticket, user, http.Response, cancellationToken);
    }

    public static async Task<Results<Ok<TicketResponse>, ValidationProblem, ProblemHttpResult>> MoveLevel(Guid id, EscalationRequest request,
        ClaimsPrincipal user, SupportDbContext db, TicketWriter writer, HttpContext http, CancellationToken cancellationToken)
    {
        var (ticket, problem) = await FindAsync(db, user, id, http.Request, cancellationToken);
        if (ticket is null)
        {
            return problem!;
        }

        var current = await db.SupportGroups.AsNoTracking().SingleAsync(g => g.Code == ticket.GroupCode, cancellationToken);
        var targetCode = request.ToGroup ?? current.EscalatesTo;
        if (targetCode is null)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]>
            {
                ["toGroup"] = [$"{current.Name} has no default escalation group; name the group (e.g. a vendor at level 3)."],
            });
        }

        var target = await db.SupportGroups.AsNoTracking().SingleOrDefaultAsync(g => g.Code == targetCode, cancellationToken);
        if (target is null || target.Level == 0)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["toGroup"] = ["No support group with this code at levels 1-3."] });
        }

        var now = writer.Now;
        await Escalation.MoveAsync(db, writer, ticket, target, request.Reason!.Trim(), user.Actor(), automatic: false, now, cancellationToken);
        ETags.Set(http.Response, ticket.Version);
        return TypedResults.Ok(await TicketEndpoints.ResponseAsync(db, ticket, user, cancellationToken));
    }

    public static async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> Assign(Guid id, AssigneeRequest request, ClaimsPrincipal user,
        SupportDbContext db, TicketWriter writer, HttpContext http, CancellationToken cancellationToken)
    {
        var (ticket, problem) = await FindAsync(db, user, id, http.Request, cancellationToken);
        if (ticket is null)
        {
            return problem!;
        }

        People.Person? assignee = null;
        var isMember = false;
        if (!string.IsNullOrWhiteSpace(request.Assignee))
        {
            var subject = request.Assignee.Trim();
            assignee = People.Person.RequireActive(
                await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Subject == subject, cancellationToken), subject, "assignee");
            isMember = await db.GroupMembers.AnyAsync(m => m.GroupCode == ticket.GroupCode && m.Subject == subject, cancellationToken);
        }

        var group = await db.SupportGroups.AsNoTracking().SingleAsync(g => g.Code == ticket.GroupCode, cancellationToken);
        ticket.Assign(assignee, group, isMember, user.Actor(), writer.Now);
        await writer.SaveAsync(ticket, respondedAtLevel: false, cancellationToken);
        return await AnswerAsync(db, ticket, user, http.Response, cancellationToken);
    }

    public static async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> Merge(Guid id, MergeRequest request, ClaimsPrincipal user,
        SupportDbContext db, TicketWriter writer, HttpContext http, CancellationToken cancellationToken)
    {
        var (ticket, problem) = await FindAsync(db, user, id, http.Request, cancellationToken);
        if (ticket is null)
        {
            return problem!;
        }

        var into = await db.VisibleTickets(user).AsTracking().SingleOrDefaultAsync(t => t.Id == request.IntoTicketId, cancellationToken);
        if (into is null)
        {
            return ApiProblems.NotFound("ticket to merge into");
        }

        ticket.MergeInto(into, user.Actor(), writer.Now);
        await writer.StageAsync(into, respondedAtLevel: false, cancellationToken);
        await writer.SaveAsync(ticket, respondedAtLevel: false, cancellationToken);
        return await AnswerAsync(db, ticket, user, http.Response, cancellationToken);
    }

    public static async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> Link(Guid id, LinkRequest request, ClaimsPrincipal user,
        SupportDbContext db, TicketWriter writer, HttpContext http, CancellationToken cancellationToken)
    {
        var (ticket, problem) = await FindAsync(db, user, id, http.Request, cancellationToken);
        if (ticket is null)
        {
            return problem!;
        }

        var related = await db.VisibleTickets(user).AsTracking().SingleOrDefaultAsync(t => t.Id == request.RelatedTicketId, cancellationToken);
        if (related is null || related.Id == ticket.Id)
        {
            return ApiProblems.NotFound("related ticket");
        }

        var now = writer.Now;
        if (!await db.TicketLinks.AnyAsync(l => l.TicketId == ticket.Id && l.RelatedTicketId == related.Id, cancellationToken))
        {
            db.TicketLinks.AddRange(
                new TicketLink { TicketId = ticket.Id, RelatedTicketId = related.Id, CreatedAt = now, CreatedBy = user.Actor() },
                new TicketLink { TicketId = related.Id, RelatedTicketId = ticket.Id, CreatedAt = now, CreatedBy = user.Actor() });
            ticket.Record(user.Actor(), now, "linked", null, null, Ticket.Reference(related.Number), null);
            related.Record(user.Actor(), now, "linked", null, null, Ticket.Reference(ticket.Number), null);
            await writer.StageAsync(related, respondedAtLevel: false, cancellationToken);
            await writer.SaveAsync(ticket, respondedAtLevel: false, cancellationToken);
        }

        return await AnswerAsync(db, ticket, user, http.Response, cancellationToken);
    }

    public static async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> SetParent(Guid id, ParentRequest request, ClaimsPrincipal user,
        SupportDbContext db, TicketWriter writer, HttpContext http, CancellationToken cancellationToken)
    {
        var (ticket, problem) = await FindAsync(db, user, id, http.Request, cancellationToken);
        if (ticket is null)
        {
            return problem!;
        }

        Ticket? parent = null;
        var isParentOfOthers = false;
        if (request.ParentId is { } parentId)
        {
            parent = await db.VisibleTickets(user).AsNoTracking().SingleOrDefaultAsync(t => t.Id == parentId, cancellationToken);
            if (parent is null)
            {
                return ApiProblems.NotFound("parent ticket");
            }

            isParentOfOthers = await db.Tickets.AnyAsync(t => t.ParentId == ticket.Id, cancellationToken);
        }

        ticket.SetParent(parent, isParentOfOthers, user.Actor(), writer.Now);
        await writer.SaveAsync(ticket, respondedAtLevel: false, cancellationToken);
        return await AnswerAsync(db, ticket, user, http.Response, cancellationToken);
    }

    public static async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> LinkArticle(Guid id, ArticleLinkRequest request, ClaimsPrincipal user,
        SupportDbContext db, TicketWriter writer, HttpContext http, CancellationToken cancellationToken)
    {
        var (ticket, problem) = await FindAsync(db, user, id, http.Request, cancellationToken);
        if (ticket is null)
        {
            return problem!;
        }

        var article = await db.KnowledgeArticles.AsNoTracking().SingleOrDefaultAsync(a => a.Id == request.ArticleId, cancellationToken);
        if (article is null)
        {
            return ApiProblems.NotFound("article");
        }

        if (!await db.TicketArticles.AnyAsync(a => a.TicketId == ticket.Id && a.ArticleId == article.Id, cancellationToken))
        {
            var now = writer.Now;
            db.TicketArticles.Add(new Knowledge.TicketArticle { TicketId = ticket.Id, ArticleId = article.Id, LinkedAt = now, LinkedBy = user.Actor() });
            ticket.Record(user.Actor(), now, "articleLinked", null, null, article.Title, null);
            await writer.SaveAsync(ticket, respondedAtLevel: false, cancellationToken);
        }

        return await AnswerAsync(db, ticket, user, http.Response, cancellationToken);
    }

    /// <summary>The ticket, tracked, if the caller may see it and its If-Match (if sent) is current.</summary>
    private static async Task<(Ticket? Ticket, ProblemHttpResult? Problem)> FindAsync(SupportDbContext db, ClaimsPrincipal user, Guid id,
        HttpRequest request, CancellationToken cancellationToken)
    {
        var found = await ETags.FindForWriteAsync(db.VisibleTickets(user).AsTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken),
            "ticket", request, t => t.Version);
        return (found.Row, found.Refusal);
    }

    private static async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> AnswerAsync(SupportDbContext db, Ticket ticket, ClaimsPrincipal user,
        HttpResponse response, CancellationToken cancellationToken)
    {
        ETags.Set(response, ticket.Version);
        return TypedResults.Ok(await TicketEndpoints.ResponseAsync(db, ticket, user, cancellationToken));
    }
}
