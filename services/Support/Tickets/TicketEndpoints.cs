using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Mep.Contracts.Support;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;
using Mep.Messaging;
using Mep.SchoolDirectory;
using Mep.Support.Data;
using Mep.Support.Directory;
using Mep.Support.Routing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mep.Support.Tickets;

/// <summary>Opening and reading tickets; the work on them is in <see cref="TicketWorkEndpoints"/>.</summary>
public static class TicketEndpoints
{
    public static RouteGroupBuilder MapTicketEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/tickets", OpenTicket).RequireAuthorization(SupportAccess.Report)
            .WithName(nameof(OpenTicket)).Produces<TicketResponse>(StatusCodes.Status201Created)
            .WithSummary("Report a fault (a school for itself; the service desk for a school that called). Idempotency-Key supported.")
            .WithDescription("What each category needs (device serial, room) is checked; missing information is a 400 naming the fields. "
                + "The school may be named by schoolNumber and the room by building and roomNumber instead of their ids. A school, room or device "
                + "nobody has is a 422 naming the field (rule school-unknown, room-unknown, device-unknown); a number and an id naming two "
                + "different schools or rooms a 400 naming both; a school key naming another school a 404. "
                + "The routing rules choose the first level and group. solvedBySchool records a fault the school solved itself (level 0).");
        group.MapGet("/tickets", ListTickets).RequireAuthorization(SupportAccess.ReadTickets)
            .WithName(nameof(ListTickets))
            .WithSummary("Work lists: tickets filtered, searched (German full text), sorted and paged; a school sees its own, a vendor its groups'.")
            .WithDescription("Each row names the school (number, name), the room (building, number), the device (serial) and the due times. "
                + "q searches the subject, the report and the public comments, never internal notes; mine=true is the caller's tickets; "
                + "sort=due puts the next deadline first. schoolNumber works wherever schoolId does.");
        group.MapGet("/tickets/counts", CountTickets).RequireAuthorization(SupportAccess.ReadTickets)
            .WithName(nameof(CountTickets))
            .WithSummary("A queue view: how many tickets per status and open ones per group (and how many of them breached), by group, school, assignee or mine.");
        group.MapGet("/tickets/{id:guid}", GetTicket).RequireAuthorization(SupportAccess.ReadTickets)
            .WithName(nameof(GetTicket)).WithSummary("One ticket with its SLA clocks, comments (a school never sees internal notes), links; ETag.");
        group.MapGet("/tickets/by-number/{number:long}", GetTicketByNumber).RequireAuthorization(SupportAccess.ReadTickets)
            .WithName(nameof(GetTicketByNumber)).WithSummary("One ticket by the number people quote (#1234), as GET /tickets/{id} answers it; ETag.");
        group.MapGet("/tickets/{id:guid}/history", TicketHistory).RequireAuthorization(SupportAccess.ReadTickets)
            .WithName(nameof(TicketHistory)).WithSummary("Every change of the ticket, oldest first: who, when, from what to what.");
        return group;
    }

    public static async Task<IResult> OpenTicket(OpenTicketRequest request, HttpRequest http, ClaimsPrincipal user, SupportDbContext db,
        TicketWriter writer, ReferenceData reference, RecentSchools recentSchools, TicketNumbers numbers,
        OutboxSignal outbox, TimeProvider clock, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        // One pooled connection for the whole request: the school's lookup and the write would otherwise each take one from the
        // pool and have it reset (a DISCARD ALL in PostgreSQL) when it went back.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // The key binds to the request as understood (the bound record), so a retry with other whitespace is the same request.
            // Claimed with the answer: a new ticket is cheap to throw away when a repeated key comes, which is rare.
            return await IdempotentWrite.RunAsync(db, http, user, request, clock, json.Value.SerializerOptions, async now =>
            {
                var (accepted, refusal) = await AcceptAsync(request, user, db, reference, recentSchools, cancellationToken);
                if (refusal is not null)
                {
                    return WriteOutcome.Refused(refusal);
                }

                var (report, route, school) = accepted!.Value;
                var ticket = Ticket.Open(report, route, await numbers.NextAsync(db, cancellationToken), user.Actor(), now);
                var (rows, timers) = await writer.StageNewAsync(ticket, cancellationToken);
                db.AddIntegrationEvent(new TicketOpened(ticket.Id, ticket.Number, ticket.SchoolId, ticket.Category, ticket.Priority, ticket.Level,
                    ticket.GroupCode, ticket.DeviceId, ticket.SolvedBySchool, now), ticket.Id.ToString(), now);
                // Built from what is being written: a new ticket has no comments, links, children or articles to read back.
                return WriteOutcome.Created(TicketResponse.From(ticket, school, timers, [], [], [], []), $"{SupportService.PathPrefix}/tickets/{ticket.Id}")
                    with { Save = token => SaveNewTicketAsync(db, rows, outbox, token) };
            }, cancellationToken, IdempotencyClaim.WithTheWrite);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>One round trip: the ticket, its history, clocks, event and the idempotent answer, in one transaction.</summary>
    private static async Task SaveNewTicketAsync(SupportDbContext db, List<object> rows, OutboxSignal outbox, CancellationToken cancellationToken)
    {
        if (NewRowsBatch.CanSave(db, rows))
        {
            await NewRowsBatch.SaveAsync(db, rows, cancellationToken);
            outbox.Notify();
        }
        else
        {
            db.AddRange(rows);
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>The reporting school as Support knows it: compiled and prepared, as every new ticket reads it.</summary>
    private static readonly Func<SupportDbContext, Guid, CancellationToken, Task<KnownSchool?>> SchoolById =
        EF.CompileAsyncQuery((SupportDbContext db, Guid schoolId, CancellationToken _) =>
            db.KnownSchools.TagWith(PreparedStatements.Tag).AsNoTracking().SingleOrDefault(s => s.SchoolId == schoolId));

    /// <summary>
    /// The reporting school by the number the caller quotes, compiled and prepared as <see cref="SchoolById"/>; the lowest id while a
    /// renumbering leaves a number twice in the replica, as <see cref="KnownSchools.ByNumber"/> (which a compiled query cannot call).
    /// </summary>
    private static readonly Func<SupportDbContext, string, CancellationToken, Task<KnownSchool?>> SchoolByNumber =
        EF.CompileAsyncQuery((SupportDbContext db, string number, CancellationToken _) =>
            db.KnownSchools.TagWith(PreparedStatements.Tag).AsNoTracking().Where(s => s.Number == number).OrderBy(s => s.SchoolId).FirstOrDefault());

    /// <summary>The report checked against what Support knows (school, category, device, room) and routed; or why not.</summary>
    private static async Task<((TicketReport Report, TicketRoute Route, KnownSchool School)? Accepted, IResult? Refusal)> AcceptAsync(OpenTicketRequest request,
        ClaimsPrincipal user, SupportDbContext db, ReferenceData reference, RecentSchools recentSchools, CancellationToken cancellationToken)
    {
        // The platform's one rule for a school a write names: another school's (for a key) 404, an unknown one 422, two different ones 400.
        var required = await SchoolSelection.RequireAsync(user, request.SchoolId, request.SchoolNumber,
            id => recentSchools.FindAsync(id, () => SchoolById(db, id, cancellationToken)),
            number => SchoolByNumber(db, number, cancellationToken));
        if (required.Refused(out var refused))
        {
            return (null, refused);
        }

        var school = required.School!;
        var schoolId = school.SchoolId;
        var settings = await reference.GetAsync(cancellationToken);
        var qualified = await QualifiedReport.CheckAsync(request, schoolId, db, settings.Categories, cancellationToken);
        if (qualified.Refusal is not null)
        {
            return (null, qualified.Refusal);
        }

        var report = qualified.Report!;
        var route = report.SolvedBySchool
            ? TicketRoute.SolvedBySchool
            : TicketRoute.Choose(settings.Rules, new RoutingContext(report.Category, qualified.Ownership, school.AtMepStandard, report.NeedsOnSite));
        return ((report, route, school), null);
    }

    public static async Task<Results<Ok<Page<TicketSummary>>, ProblemHttpResult>> ListTickets([AsParameters] TicketListQuery query,
        ClaimsPrincipal user, SupportDbContext db, ISchoolNumbers schoolNumbers, TimeProvider clock, CancellationToken cancellationToken)
    {
        var school = await SchoolSelection.SelectAsync(schoolNumbers, user, query.SchoolId, query.SchoolNumber, cancellationToken);
        if (school.Refused(out var refusal))
        {
            return refusal;
        }

        var tickets = query.Apply(school.Apply(db.VisibleTickets(user), t => t.SchoolId), db, user.Actor(), clock.GetUtcNow());
        var (skip, take, page, pageSize) = Paging.Resolve(query.Page, query.PageSize);
        var total = await tickets.CountAsync(cancellationToken);
        var items = await query.Order(TicketWithNames.Of(tickets, db)).Page(skip, take).Select(TicketSummary.FromRow).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<TicketSummary>(items, page, pageSize, total));
    }

    public static async Task<Results<Ok<TicketCounts>, ProblemHttpResult>> CountTickets([AsParameters] TicketCountsQuery query, ClaimsPrincipal user,
        SupportDbContext db, ISchoolNumbers schoolNumbers, TimeProvider clock, CancellationToken cancellationToken)
    {
        var school = await SchoolSelection.SelectAsync(schoolNumbers, user, query.SchoolId, query.SchoolNumber, cancellationToken);
        if (school.Refused(out var refusal))
        {
            return refusal;
        }

        var now = clock.GetUtcNow();
        var queue = query.Apply(school.Apply(db.VisibleTickets(user), t => t.SchoolId), user.Actor());
        // Two counts, each on an index: all of the queue's tickets per group and status in one pass over (group_code, status), and
        // the few breached ones (found by their due time); one count joining every ticket of the queue to its timers would read them all.
        var tickets = await CountPerGroupAndStatusAsync(queue, cancellationToken);
        var breached = await CountPerGroupAndStatusAsync(TicketQueues.Breached(queue, db, now, breached: true), cancellationToken);
        List<TicketStatusCount> byStatus = [.. Enum.GetValues<TicketStatus>()
            .Select(status => new TicketStatusCount(status, tickets.Where(c => c.Status == status).Sum(c => c.Tickets),
                breached.Where(c => c.Status == status).Sum(c => c.Tickets)))];
        List<TicketGroupCount> byGroup = [.. tickets.Where(c => IsOpen(c.Status)).GroupBy(c => c.Group).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new TicketGroupCount(g.Key, g.Sum(c => c.Tickets), breached.Where(c => c.Group == g.Key && IsOpen(c.Status)).Sum(c => c.Tickets)))];
        return TypedResults.Ok(new TicketCounts(byStatus.Sum(c => c.Tickets), byStatus.Where(c => IsOpen(c.Status)).Sum(c => c.Tickets),
            byStatus.Sum(c => c.Breached), byStatus, byGroup));
    }

    private static bool IsOpen(TicketStatus status) => status is not (TicketStatus.Resolved or TicketStatus.Closed);

    private sealed record GroupStatusCount(string Group, TicketStatus Status, int Tickets);

    private static Task<List<GroupStatusCount>> CountPerGroupAndStatusAsync(IQueryable<Ticket> tickets, CancellationToken cancellationToken) =>
        tickets.GroupBy(t => new { t.GroupCode, t.Status }).Select(g => new GroupStatusCount(g.Key.GroupCode, g.Key.Status, g.Count()))
            .ToListAsync(cancellationToken);

    public static Task<Results<Ok<TicketResponse>, ProblemHttpResult>> GetTicket(Guid id, ClaimsPrincipal user, SupportDbContext db,
        HttpResponse response, CancellationToken cancellationToken) =>
        AnswerAsync(db.VisibleTickets(user).Where(t => t.Id == id), db, user, response, cancellationToken);

    public static Task<Results<Ok<TicketResponse>, ProblemHttpResult>> GetTicketByNumber([Range(1, DeclaredLimits.MaxSafeInteger)] long number,
        ClaimsPrincipal user, SupportDbContext db, HttpResponse response, CancellationToken cancellationToken) =>
        AnswerAsync(db.VisibleTickets(user).Where(t => t.Number == number), db, user, response, cancellationToken);

    /// <summary>The one ticket <paramref name="found"/> holds as the caller may see it, with its ETag; 404 when the caller may not see it.</summary>
    private static async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> AnswerAsync(IQueryable<Ticket> found, SupportDbContext db,
        ClaimsPrincipal user, HttpResponse response, CancellationToken cancellationToken)
    {
        var ticket = await found.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (ticket is null)
        {
            return ApiProblems.NotFound("ticket");
        }

        ETags.Set(response, ticket.Version);
        return TypedResults.Ok(await ResponseAsync(db, ticket, user, cancellationToken));
    }

    public static async Task<Results<Ok<List<HistoryResponse>>, ProblemHttpResult>> TicketHistory(Guid id, ClaimsPrincipal user, SupportDbContext db,
        CancellationToken cancellationToken)
    {
        if (!await db.VisibleTickets(user).AnyAsync(t => t.Id == id, cancellationToken))
        {
            return ApiProblems.NotFound("ticket");
        }

        var history = await db.TicketHistory.Where(h => h.TicketId == id).OrderBy(h => h.Id).ToListAsync(cancellationToken);
        if (user.SchoolScope() is not { } school)
        {
            return TypedResults.Ok(history.ConvertAll(h => h.ToResponse()));
        }

        var referenced = history.Select(h => h.ReferencedTicketNumber).OfType<long>().Distinct().ToList();
        var own = referenced.Count == 0
            ? []
            : (await db.Tickets.Where(t => t.SchoolId == school && referenced.Contains(t.Number)).Select(t => t.Number).ToListAsync(cancellationToken))
            .ToHashSet();
        return TypedResults.Ok(history.Select(h => h.AsSeenBySchool(own)).OfType<HistoryResponse>().ToList());
    }

    /// <summary>The ticket as the caller may see it: a school gets no internal notes.</summary>
    internal static async Task<TicketResponse> ResponseAsync(SupportDbContext db, Ticket ticket, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var id = ticket.Id;
        var isSchool = user.SchoolScope() is not null;
        var timers = await db.SlaTimers.AsNoTracking().Where(t => t.TicketId == id).ToListAsync(cancellationToken);
        var comments = await db.TicketComments.AsNoTracking().Where(c => c.TicketId == id && (!isSchool || !c.Internal)).ToListAsync(cancellationToken);
        var visible = db.VisibleTickets(user).Select(t => t.Id);
        var related = await db.TicketLinks.Where(l => l.TicketId == id && visible.Contains(l.RelatedTicketId)).Select(l => l.RelatedTicketId)
            .ToListAsync(cancellationToken);
        var children = await db.VisibleTickets(user).Where(t => t.ParentId == id).Select(t => t.Id).ToListAsync(cancellationToken);
        var articles = await db.TicketArticles.Where(a => a.TicketId == id).Select(a => a.ArticleId).ToListAsync(cancellationToken);
        return TicketResponse.From(ticket, await KnownSchools.OfAsync(db, ticket.SchoolId, cancellationToken), timers, comments, related, children,
            articles);
    }
}
