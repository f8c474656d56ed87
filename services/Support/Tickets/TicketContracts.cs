using Mep.ServiceDefaults.Auth;
using System.ComponentModel.DataAnnotations;
using System.Linq.Expressions;
using Mep.Contracts;
using Mep.Contracts.Schools;
using Mep.Contracts.Support;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;
using Mep.SchoolDirectory;
using Mep.Support.Data;
using Mep.Support.Sla;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Tickets;

/// <param name="SchoolId">Staff only (the service desk records a call): the reporting school. A school key reports for its own school.</param>
/// <param name="SchoolNumber">The reporting school by its five-digit number, instead of schoolId (with it, both must name the same school).</param>
/// <param name="Category">A category code (GET /categories); it decides what else is required.</param>
/// <param name="DeviceSerial">The affected device's serial number as registered in Assets (required for device faults).</param>
/// <param name="RoomId">The affected room (required for board, network, WLAN and printer faults).</param>
/// <param name="Building">The affected room's building by name ("Hauptgebäude"), with roomNumber, instead of roomId.</param>
/// <param name="RoomNumber">The affected room's number in that building ("H 1.01"), with building, instead of roomId.</param>
/// <param name="Impact">low, medium or high: how many are affected.</param>
/// <param name="Urgency">low, medium or high: how soon it hurts teaching.</param>
/// <param name="NeedsOnSite">Someone has to come to the school; for schools not at MEP standard this goes to the contractor.</param>
/// <param name="SolvedBySchool">The school solved it itself (level 0): recorded for statistics, closed at once, no clock.</param>
public sealed record OpenTicketRequest(
    Guid? SchoolId,
    [MaxLength(SchoolFields.NumberLength), SchoolNumber] string? SchoolNumber,
    [Required, MaxLength(TicketFields.MaxName)] string? ReporterName,
    [Required, MaxLength(TicketFields.MaxEmail), RegularExpression(TicketFields.Email, ErrorMessage = "An e-mail address such as it@grundschule.example.")]
    string? ReporterEmail,
    [MaxLength(TicketFields.MaxPhone)] string? ReporterPhone,
    [Required, MaxLength(TicketFields.MaxCode)] string? Category,
    [MaxLength(TicketFields.MaxDeviceSerial)] string? DeviceSerial,
    Guid? RoomId,
    [MaxLength(SchoolFields.MaxBuildingName)] string? Building,
    [MaxLength(SchoolFields.MaxRoomNumber)] string? RoomNumber,
    [Required, MaxLength(TicketFields.MaxTitle)] string? Title,
    [Required, MaxLength(TicketFields.MaxText)] string? Description,
    [Required, EnumName<Severity>] string? Impact,
    [Required, EnumName<Severity>] string? Urgency,
    bool? NeedsOnSite,
    bool? SolvedBySchool) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(Building) != string.IsNullOrWhiteSpace(RoomNumber))
        {
            errors.Add(string.IsNullOrWhiteSpace(Building) ? "building" : "roomNumber",
                "A room is named by its building and its number together (or by roomId).");
        }
    }
}

/// <summary>How long a ticket's texts can be: refused beyond at the edge, and documented for every answer that shows them.</summary>
public static class TicketFields
{
    public const int MaxName = 200;
    public const int MaxEmail = 254;
    public const int MaxPhone = 50;

    /// <summary>Codes of categories, groups, calendars: reference data, short.</summary>
    public const int MaxCode = 50;

    public const int MaxDeviceSerial = 100;
    public const int MaxTitle = 200;

    /// <summary>A ticket's description, a comment.</summary>
    public const int MaxText = 10_000;

    /// <summary>A status note, an escalation's reason.</summary>
    public const int MaxNote = 2_000;

    /// <summary>Words searched for in the work lists.</summary>
    public const int MaxSearch = 200;

    /// <summary>An assignee is a person's subject, as long as a token's subject may be.</summary>
    public const int MaxAssignee = Mep.ServiceDefaults.Auth.CallerClaims.MaxActorLength;

    public const string Email = @"^[^@\s]+@[^@\s]+\.[^@\s]+$";
}

/// <param name="Internal">An internal note, for staff and vendors only; a school cannot write or read them.</param>
public sealed record CommentRequest([Required, MaxLength(TicketFields.MaxText)] string? Body, bool? Internal) : IValidatableRequest;

public sealed record StatusRequest(
    [Required, EnumName<TicketStatus>(Message = "Use triaged, inProgress, waitingForSchool, waitingForVendor, resolved, closed or reopened.")] string? Status,
    [MaxLength(TicketFields.MaxNote)] string? Note) : IValidatableRequest;

/// <param name="ToGroup">The group to move to; omit to go up to the current group's escalation group.</param>
/// <param name="Reason">Why; required, it is what the next level reads first.</param>
public sealed record EscalationRequest([MaxLength(TicketFields.MaxCode)] string? ToGroup, [Required, MaxLength(TicketFields.MaxNote)] string? Reason)
    : IValidatableRequest;

/// <param name="Assignee">The subject of a person in the people directory; null to unassign.</param>
public sealed record AssigneeRequest([MaxLength(TicketFields.MaxAssignee)] string? Assignee) : IValidatableRequest;

public sealed record MergeRequest([Required] Guid? IntoTicketId) : IValidatableRequest;

public sealed record LinkRequest([Required] Guid? RelatedTicketId) : IValidatableRequest;

public sealed record ParentRequest(Guid? ParentId);

public sealed record ArticleLinkRequest([Required] Guid? ArticleId) : IValidatableRequest;

/// <summary>Query of the ticket list, the work lists: all filters combine with AND. A school sees its own tickets, a vendor its groups'.</summary>
/// <param name="SchoolId">Tickets of this school.</param>
/// <param name="SchoolNumber">Tickets of the school with this five-digit number (with schoolId, both must name the same school).</param>
/// <param name="Status">new, triaged, inProgress, waitingForSchool, waitingForVendor, resolved, closed or reopened.</param>
/// <param name="Group">A support group's code: the tickets it holds.</param>
/// <param name="Open">true: not resolved or closed; false: resolved or closed.</param>
/// <param name="Assignee">Tickets assigned to this person (the subject in the people directory).</param>
/// <param name="Mine">true: tickets assigned to the caller (their token's subject).</param>
/// <param name="Q">
/// Words to search for in German, in the subject, the report and the public comments: stemmed ("Drucker" finds "Druckers"), German
/// stop words ignored, every word must occur; quotes and "or" work as on a web search. Internal notes are never searched.
/// </param>
/// <param name="DueBefore">Tickets whose next due time (a first response or resolution still owed) is before this instant.</param>
/// <param name="Breached">true: tickets past a due time whose target is still not met; false: the others.</param>
/// <param name="Sort">
/// -created (newest first, the default), created (oldest first) or due (the next due time first; tickets without one last).
/// </param>
public sealed record TicketListQuery(
    Guid? SchoolId,
    [MaxLength(SchoolFields.NumberLength), SchoolNumber] string? SchoolNumber,
    [EnumName<TicketStatus>] string? Status,
    [MaxLength(TicketFields.MaxCode)] string? Group,
    [Range(0, 3)] int? Level,
    [MaxLength(TicketFields.MaxCode)] string? Category,
    [EnumName<TicketPriority>(Message = "Use P1, P2, P3 or P4.")] string? Priority,
    bool? Open,
    [MaxLength(TicketFields.MaxAssignee)] string? Assignee,
    bool? Mine,
    [MaxLength(TicketFields.MaxSearch)] string? Q,
    DateTimeOffset? DueBefore,
    bool? Breached,
    [OneOf("-created", "created", "due", Message = "Sort by one of: -created (newest first), created, due.")] string? Sort,
    [PageNumber] int? Page,
    [PageSize] int? PageSize)
    : IValidatableRequest
{
    /// <summary>The filters besides the school's, which <see cref="SchoolSelection"/> applies.</summary>
    /// <param name="caller">The caller's subject, for <see cref="Mine"/>.</param>
    /// <param name="now">What "breached" is measured against.</param>
    public IQueryable<Ticket> Apply(IQueryable<Ticket> tickets, SupportDbContext db, string caller, DateTimeOffset now)
    {
        tickets = TicketQueues.Filter(tickets, Group, Level, Category, Assignee, Mine == true ? caller : null);
        if (EnumText.TryParseName<TicketStatus>(Status, out var status))
        {
            tickets = tickets.Where(t => t.Status == status);
        }

        if (EnumText.TryParseName<TicketPriority>(Priority, out var priority))
        {
            tickets = tickets.Where(t => t.Priority == priority);
        }

        if (Open is { } open)
        {
            tickets = open
                ? tickets.Where(t => t.Status != TicketStatus.Resolved && t.Status != TicketStatus.Closed)
                : tickets.Where(t => t.Status == TicketStatus.Resolved || t.Status == TicketStatus.Closed);
        }

        if (!string.IsNullOrWhiteSpace(Q))
        {
            var words = Q.Trim();
            // Tickets whose own text or one of whose public comments match: each side found through its GIN index, then joined.
            var matching = db.Tickets.Where(t => t.SearchVector.Matches(EF.Functions.WebSearchToTsQuery("german", words))).Select(t => t.Id)
                .Union(db.TicketComments.Where(c => !c.Internal && c.SearchVector.Matches(EF.Functions.WebSearchToTsQuery("german", words)))
                    .Select(c => c.TicketId));
            tickets = tickets.Where(t => matching.Contains(t.Id));
        }

        // PostgreSQL takes instants in UTC only; a caller may well send its own offset (+01:00).
        if (DueBefore?.ToUniversalTime() is { } dueBefore)
        {
            tickets = tickets.Where(t => db.TicketSlaTimers.Any(s => s.TicketId == t.Id && s.DueAt < dueBefore));
        }

        if (Breached is { } breached)
        {
            tickets = TicketQueues.Breached(tickets, db, now, breached);
        }

        return tickets;
    }

    /// <summary>The page's order; ties (and tickets without a due time) by number, so that pages never overlap.</summary>
    internal IOrderedQueryable<TicketWithNames> Order(IQueryable<TicketWithNames> rows) => Sort switch
    {
        "created" => rows.OrderBy(r => r.Ticket.CreatedAt).ThenBy(r => r.Ticket.Number),
        // Ascending puts tickets without a due time last (PostgreSQL sorts NULL after every instant).
        "due" => rows.OrderBy(r => r.Timers!.DueAt).ThenBy(r => r.Ticket.Number),
        _ => rows.OrderByDescending(r => r.Ticket.CreatedAt).ThenByDescending(r => r.Ticket.Number),
    };
}

/// <summary>Query of the counts per status (a queue view): all filters combine with AND, over the tickets the caller may see.</summary>
/// <param name="SchoolId">Tickets of this school.</param>
/// <param name="SchoolNumber">Tickets of the school with this five-digit number (with schoolId, both must name the same school).</param>
/// <param name="Group">A support group's code: the tickets it holds.</param>
/// <param name="Assignee">Tickets assigned to this person (the subject in the people directory).</param>
/// <param name="Mine">true: tickets assigned to the caller (their token's subject).</param>
public sealed record TicketCountsQuery(
    Guid? SchoolId,
    [MaxLength(SchoolFields.NumberLength), SchoolNumber] string? SchoolNumber,
    [MaxLength(TicketFields.MaxCode)] string? Group,
    [Range(0, 3)] int? Level,
    [MaxLength(TicketFields.MaxCode)] string? Category,
    [MaxLength(TicketFields.MaxAssignee)] string? Assignee,
    bool? Mine)
    : IValidatableRequest
{
    /// <summary>The filters besides the school's, which <see cref="SchoolSelection"/> applies.</summary>
    public IQueryable<Ticket> Apply(IQueryable<Ticket> tickets, string caller) =>
        TicketQueues.Filter(tickets, Group, Level, Category, Assignee, Mine == true ? caller : null);
}

/// <summary>The filters the list and the counts share: which queue a ticket is in.</summary>
internal static class TicketQueues
{
    public static IQueryable<Ticket> Filter(IQueryable<Ticket> tickets, string? group, int? level, string? category, string? assignee, string? mine)
    {
        if (group is not null)
        {
            tickets = tickets.Where(t => t.GroupCode == group);
        }

        if (level is { } onLevel)
        {
            tickets = tickets.Where(t => t.Level == onLevel);
        }

        if (category is not null)
        {
            tickets = tickets.Where(t => t.Category == category);
        }

        // Both may be sent; a ticket then has to be assigned to both, which only one person can be.
        foreach (var subject in new[] { assignee?.Trim(), mine }.OfType<string>())
        {
            tickets = tickets.Where(t => t.Assignee == subject);
        }

        return tickets;
    }

    /// <summary>
    /// The tickets past a due time whose target is still not met (<paramref name="breached"/>), or the others: measured against
    /// <paramref name="now"/>, so a breach counts from its due time on, before the escalation job has announced it.
    /// </summary>
    public static IQueryable<Ticket> Breached(IQueryable<Ticket> tickets, SupportDbContext db, DateTimeOffset now, bool breached) =>
        breached
            ? tickets.Where(t => db.TicketSlaTimers.Any(s => s.TicketId == t.Id && s.DueAt <= now))
            : tickets.Where(t => !db.TicketSlaTimers.Any(s => s.TicketId == t.Id && s.DueAt <= now));
}

/// <summary>A ticket as a work list shows it: with the names people know (school, room, device) and its due times.</summary>
/// <param name="SchoolNumber">The school's five-digit number, beside its id; null while Support's directory has not heard of the school.</param>
/// <param name="SchoolName">The school's name, likewise.</param>
/// <param name="Building">The room's building (null without a room).</param>
/// <param name="RoomNumber">The room's number in its building (null without a room).</param>
/// <param name="DeviceSerial">The affected device's serial number (null without a device).</param>
/// <param name="FirstResponseDueAt">
/// When the first response is owed (its earliest counting timer, the total's or the current level's); null once answered, while
/// waiting for the school, or without clocks.
/// </param>
/// <param name="ResolutionDueAt">When the resolution is owed, likewise; null once resolved.</param>
/// <param name="DueAt">The earlier of the two: the ticket's next deadline, past when it is breached (what sort=due orders by).</param>
public sealed record TicketSummary(
    Guid Id, [Range(1, DeclaredLimits.MaxSafeInteger)] long Number, Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string? SchoolNumber,
    [MaxLength(SchoolFields.MaxName)] string? SchoolName, [MaxLength(TicketFields.MaxCode)] string Category,
    [MaxLength(TicketFields.MaxTitle)] string Title,
    TicketPriority Priority, TicketStatus Status, [Range(0, 3)] int Level, [MaxLength(TicketFields.MaxCode)] string Group,
    [MaxLength(TicketFields.MaxAssignee)] string? Assignee, Guid? RoomId, [MaxLength(SchoolFields.MaxBuildingName)] string? Building,
    [MaxLength(SchoolFields.MaxRoomNumber)] string? RoomNumber, [MaxLength(TicketFields.MaxDeviceSerial)] string? DeviceSerial,
    DateTimeOffset? FirstResponseDueAt, DateTimeOffset? ResolutionDueAt, DateTimeOffset? DueAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The columns a row needs, so that the list reads those and no more (not the report's text, nor the timers' JSON).</summary>
    internal static readonly Expression<Func<TicketWithNames, TicketSummary>> FromRow = r => new TicketSummary(
        r.Ticket.Id, r.Ticket.Number, r.Ticket.SchoolId, r.School!.Number, r.School.Name, r.Ticket.Category, r.Ticket.Title, r.Ticket.Priority,
        r.Ticket.Status, r.Ticket.Level, r.Ticket.GroupCode, r.Ticket.Assignee, r.Ticket.RoomId, r.Room!.BuildingName, r.Room.Number,
        r.Ticket.DeviceSerial, r.Timers!.FirstResponseDueAt, r.Timers.ResolutionDueAt, r.Timers.DueAt, r.Ticket.CreatedAt, r.Ticket.UpdatedAt);
}

/// <summary>How many tickets a queue holds, per status.</summary>
/// <param name="Open">Those not resolved or closed.</param>
/// <param name="Breached">Those past a due time whose target is still not met (as breached=true on the list).</param>
/// <param name="ByStatus">Every status in the order a ticket moves through them, with 0 where there is none.</param>
/// <param name="ByGroup">The open tickets per support group that holds any, by the group's code: a queue's filters at a glance.</param>
public sealed record TicketCounts(
    [Range(0, int.MaxValue)] int Total, [Range(0, int.MaxValue)] int Open, [Range(0, int.MaxValue)] int Breached,
    IReadOnlyList<TicketStatusCount> ByStatus, IReadOnlyList<TicketGroupCount> ByGroup);

/// <param name="Open">The group's tickets not resolved or closed.</param>
/// <param name="Breached">Of those, the ones past a due time whose target is still not met.</param>
public sealed record TicketGroupCount(
    [MaxLength(TicketFields.MaxCode)] string Group, [Range(0, int.MaxValue)] int Open, [Range(0, int.MaxValue)] int Breached);

public sealed record TicketStatusCount(TicketStatus Status, [Range(0, int.MaxValue)] int Tickets, [Range(0, int.MaxValue)] int Breached);

/// <param name="Clock">total, level1, level2 or level3.</param>
/// <param name="Target">firstResponse or resolution.</param>
public sealed record SlaTimerResponse(
    [MaxLength(SlaClocks.MaxName)] string Clock, [MaxLength(SlaClocks.MaxName)] string Target, [Range(0, int.MaxValue)] int TargetMinutes,
    decimal ElapsedMinutes, bool Active, DateTimeOffset? WarnAt, DateTimeOffset? DueAt, DateTimeOffset? MetAt, DateTimeOffset? WarnedAt,
    DateTimeOffset? BreachedAt, bool Breached, [MaxLength(SlaClocks.MaxReason)] string? NoDueTimeReason)
{
    public static SlaTimerResponse From(SlaTimer t) =>
        new(t.Clock, t.Target, t.TargetMinutes, t.ElapsedMinutes, t.Active, t.WarnAt, t.DueAt, t.MetAt, t.WarnedAt, t.BreachedAt, t.Breached,
            t.NoDueTimeReason);
}

public sealed record CommentResponse(
    Guid Id, DateTimeOffset At, [MaxLength(CallerClaims.MaxActorLength)] string Author, [MaxLength(20)] string AuthorRole, bool Internal,
    [MaxLength(TicketFields.MaxText)] string Body)
{
    public static CommentResponse From(TicketComment c) => new(c.Id, c.At, c.Author, c.AuthorRole, c.Internal, c.Body);
}

/// <param name="SchoolNumber">The school's five-digit number, beside its id; null while Support's directory has not heard of the school.</param>
/// <param name="SchoolName">The school's name, likewise.</param>
public sealed record TicketResponse(
    Guid Id, [Range(1, DeclaredLimits.MaxSafeInteger)] long Number, Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string? SchoolNumber,
    [MaxLength(SchoolFields.MaxName)] string? SchoolName, [MaxLength(TicketFields.MaxName)] string ReporterName,
    [MaxLength(TicketFields.MaxEmail)] string ReporterEmail, [MaxLength(TicketFields.MaxPhone)] string? ReporterPhone,
    [MaxLength(TicketFields.MaxCode)] string Category, [MaxLength(TicketFields.MaxDeviceSerial)] string? DeviceSerial,
    Guid? DeviceId, Guid? RoomId, [MaxLength(TicketFields.MaxTitle)] string Title, [MaxLength(TicketFields.MaxText)] string Description,
    Severity Impact, Severity Urgency, TicketPriority Priority, bool NeedsOnSite, TicketStatus Status, [Range(0, 3)] int Level,
    [MaxLength(TicketFields.MaxCode)] string Group, [MaxLength(TicketFields.MaxAssignee)] string? Assignee, [Range(1, int.MaxValue)] int? RoutingVersion,
    bool SolvedBySchool, Guid? MergedIntoId, Guid? ParentId,
    bool? FirstContactResolution, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FirstRespondedAt, DateTimeOffset? ResolvedAt,
    DateTimeOffset? ClosedAt, IReadOnlyList<SlaTimerResponse> Sla, IReadOnlyList<CommentResponse> Comments, IReadOnlyList<Guid> RelatedTicketIds,
    IReadOnlyList<Guid> ChildTicketIds, IReadOnlyList<Guid> ArticleIds)
{
    public static TicketResponse From(Ticket t, KnownSchool? school, IEnumerable<SlaTimer> timers, IEnumerable<TicketComment> comments,
        IReadOnlyList<Guid> related, IReadOnlyList<Guid> children, IReadOnlyList<Guid> articles) =>
        new(t.Id, t.Number, t.SchoolId, school?.Number, school?.Name, t.ReporterName, t.ReporterEmail, t.ReporterPhone, t.Category, t.DeviceSerial, t.DeviceId, t.RoomId, t.Title,
            t.Description, t.Impact, t.Urgency, t.Priority, t.NeedsOnSite, t.Status, t.Level, t.GroupCode, t.Assignee, t.RoutingVersion,
            t.SolvedBySchool, t.MergedIntoId, t.ParentId, t.FirstContactResolution, t.CreatedAt, t.UpdatedAt, t.FirstRespondedAt, t.ResolvedAt,
            t.ClosedAt, [.. timers.OrderBy(x => x.Clock).ThenBy(x => x.Target).Select(SlaTimerResponse.From)],
            [.. comments.OrderBy(c => c.At).Select(CommentResponse.From)], related, children, articles);
}

/// <param name="From">The value before the change (a status, a level and group, an assignee, ...).</param>
/// <param name="To">The value after the change (an article linked names its title).</param>
public sealed record HistoryResponse(
    DateTimeOffset At, [MaxLength(CallerClaims.MaxActorLength)] string Actor, [MaxLength(TicketFields.MaxCode)] string Change,
    [MaxLength(TicketFields.MaxCode)] string? Field, [MaxLength(TicketFields.MaxAssignee)] string? From, [MaxLength(TicketFields.MaxAssignee)] string? To,
    [MaxLength(TicketFields.MaxNote)] string? Note);
