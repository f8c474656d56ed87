using Mep.ServiceDefaults.Auth;
using System.ComponentModel.DataAnnotations;
using Mep.Contracts;
using Mep.Contracts.Support;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;
using Mep.Support.Sla;

namespace Mep.Support.Tickets;

/// <param name="SchoolId">Staff only (the service desk records a call): the reporting school. A school key reports for its own school.</param>
/// <param name="Category">A category code (GET /categories); it decides what else is required.</param>
/// <param name="DeviceSerial">The affected device's serial number as registered in Assets (required for device faults).</param>
/// <param name="RoomId">The affected room (required for board, network, WLAN and printer faults).</param>
/// <param name="Impact">low, medium or high: how many are affected.</param>
/// <param name="Urgency">low, medium or high: how soon it hurts teaching.</param>
/// <param name="NeedsOnSite">Someone has to come to the school; for schools not at MEP standard this goes to the contractor.</param>
/// <param name="SolvedBySchool">The school solved it itself (level 0): recorded for statistics, closed at once, no clock.</param>
public sealed record OpenTicketRequest(
    Guid? SchoolId,
    [Required, MaxLength(TicketFields.MaxName)] string? ReporterName,
    [Required, MaxLength(TicketFields.MaxEmail), RegularExpression(TicketFields.Email, ErrorMessage = "An e-mail address such as it@grundschule.example.")]
    string? ReporterEmail,
    [MaxLength(TicketFields.MaxPhone)] string? ReporterPhone,
    [Required, MaxLength(TicketFields.MaxCode)] string? Category,
    [MaxLength(TicketFields.MaxDeviceSerial)] string? DeviceSerial,
    Guid? RoomId,
    [Required, MaxLength(TicketFields.MaxTitle)] string? Title,
    [Required, MaxLength(TicketFields.MaxText)] string? Description,
    [Required, EnumName<Severity>] string? Impact,
    [Required, EnumName<Severity>] string? Urgency,
    bool? NeedsOnSite,
    bool? SolvedBySchool) : IValidatableRequest;

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

public sealed record TicketListQuery(
    Guid? SchoolId,
    [EnumName<TicketStatus>] string? Status,
    [MaxLength(TicketFields.MaxCode)] string? Group,
    [Range(0, 3)] int? Level,
    [MaxLength(TicketFields.MaxCode)] string? Category,
    [EnumName<TicketPriority>(Message = "Use P1, P2, P3 or P4.")] string? Priority,
    bool? Open,
    [PageNumber] int? Page,
    [PageSize] int? PageSize)
    : IValidatableRequest
{
    public IQueryable<Ticket> Apply(IQueryable<Ticket> tickets)
    {
        if (SchoolId is { } school)
        {
            tickets = tickets.Where(t => t.SchoolId == school);
        }

        if (EnumText.TryParseName<TicketStatus>(Status, out var status))
        {
            tickets = tickets.Where(t => t.Status == status);
        }

        if (Group is not null)
        {
            tickets = tickets.Where(t => t.GroupCode == Group);
        }

        if (Level is { } level)
        {
            tickets = tickets.Where(t => t.Level == level);
        }

        if (Category is not null)
        {
            tickets = tickets.Where(t => t.Category == Category);
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

        return tickets;
    }
}

public sealed record TicketSummary(
    Guid Id, [Range(1, DeclaredLimits.MaxSafeInteger)] long Number, Guid SchoolId, [MaxLength(TicketFields.MaxCode)] string Category,
    [MaxLength(TicketFields.MaxTitle)] string Title, TicketPriority Priority, TicketStatus Status, [Range(0, 3)] int Level,
    [MaxLength(TicketFields.MaxCode)] string Group, [MaxLength(TicketFields.MaxAssignee)] string? Assignee, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static TicketSummary From(Ticket t) =>
        new(t.Id, t.Number, t.SchoolId, t.Category, t.Title, t.Priority, t.Status, t.Level, t.GroupCode, t.Assignee, t.CreatedAt, t.UpdatedAt);
}

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

public sealed record TicketResponse(
    Guid Id, [Range(1, DeclaredLimits.MaxSafeInteger)] long Number, Guid SchoolId, [MaxLength(TicketFields.MaxName)] string ReporterName,
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
    public static TicketResponse From(Ticket t, IEnumerable<SlaTimer> timers, IEnumerable<TicketComment> comments, IReadOnlyList<Guid> related,
        IReadOnlyList<Guid> children, IReadOnlyList<Guid> articles) =>
        new(t.Id, t.Number, t.SchoolId, t.ReporterName, t.ReporterEmail, t.ReporterPhone, t.Category, t.DeviceSerial, t.DeviceId, t.RoomId, t.Title,
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
