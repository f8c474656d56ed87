using System.Text.RegularExpressions;
using Mep.Contracts;
using Mep.Contracts.Assets;
using Mep.Contracts.Support;
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
public sealed partial record OpenTicketRequest(
    Guid? SchoolId, string? ReporterName, string? ReporterEmail, string? ReporterPhone, string? Category, string? DeviceSerial, Guid? RoomId,
    string? Title, string? Description, string? Impact, string? Urgency, bool? NeedsOnSite, bool? SolvedBySchool) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        errors.Text("reporterName", ReporterName, 200);
        if (errors.Text("reporterEmail", ReporterEmail, 254))
        {
            errors.Matches("reporterEmail", ReporterEmail, Email(), "An e-mail address such as it@grundschule.example.");
        }

        errors.Text("reporterPhone", ReporterPhone, 50, required: false);
        errors.Text("category", Category, 50);
        errors.Text("deviceSerial", DeviceSerial, 100, required: false);
        errors.Text("title", Title, 200);
        errors.Text("description", Description, 10_000);
        if (errors.Required("impact", Impact) && ParsedImpact is null)
        {
            errors.Add("impact", "Use low, medium or high.");
        }

        if (errors.Required("urgency", Urgency) && ParsedUrgency is null)
        {
            errors.Add("urgency", "Use low, medium or high.");
        }
    }

    public Severity? ParsedImpact => EnumText.TryParseName<Severity>(Impact, out var impact) ? impact : null;
    public Severity? ParsedUrgency => EnumText.TryParseName<Severity>(Urgency, out var urgency) ? urgency : null;

    /// <summary>Serials are compared in the one form Assets stores them in (<see cref="SerialNumber"/>).</summary>
    public string? NormalisedSerial => SerialNumber.NormaliseOptional(DeviceSerial);

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex Email();
}

/// <param name="Internal">An internal note, for staff and vendors only; a school cannot write or read them.</param>
public sealed record CommentRequest(string? Body, bool? Internal) : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => errors.Text("body", Body, 10_000);
}

public sealed record StatusRequest(string? Status, string? Note) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("status", Status) && ParsedStatus is null)
        {
            errors.Add("status", "Use triaged, inProgress, waitingForSchool, waitingForVendor, resolved, closed or reopened.");
        }

        errors.Text("note", Note, 2_000, required: false);
    }

    public TicketStatus? ParsedStatus => EnumText.TryParseName<TicketStatus>(Status, out var status) ? status : null;
}

/// <param name="ToGroup">The group to move to; omit to go up to the current group's escalation group.</param>
/// <param name="Reason">Why; required, it is what the next level reads first.</param>
public sealed record EscalationRequest(string? ToGroup, string? Reason) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        errors.Text("toGroup", ToGroup, 50, required: false);
        errors.Text("reason", Reason, 2_000);
    }
}

public sealed record AssigneeRequest(string? Assignee) : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => errors.Text("assignee", Assignee, 200, required: false);
}

public sealed record MergeRequest(Guid? IntoTicketId) : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => errors.Required("intoTicketId", IntoTicketId);
}

public sealed record LinkRequest(Guid? RelatedTicketId) : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => errors.Required("relatedTicketId", RelatedTicketId);
}

public sealed record ParentRequest(Guid? ParentId);

public sealed record ArticleLinkRequest(Guid? ArticleId) : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => errors.Required("articleId", ArticleId);
}

public sealed record TicketListQuery(
    Guid? SchoolId, string? Status, string? Group, int? Level, string? Category, string? Priority, bool? Open, int? Page, int? PageSize)
    : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        ServiceDefaults.Http.Paging.Validate(errors, Page, PageSize);
        if (Status is not null && !EnumText.TryParseName<TicketStatus>(Status, out _))
        {
            errors.Add("status", "Use new, triaged, inProgress, waitingForSchool, waitingForVendor, resolved, closed or reopened.");
        }

        if (Priority is not null && !EnumText.TryParseName<TicketPriority>(Priority, out _))
        {
            errors.Add("priority", "Use P1, P2, P3 or P4.");
        }

        errors.Range("level", Level, 0, 3);
    }

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
    Guid Id, long Number, Guid SchoolId, string Category, string Title, TicketPriority Priority, TicketStatus Status, int Level, string Group,
    string? Assignee, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static TicketSummary From(Ticket t) =>
        new(t.Id, t.Number, t.SchoolId, t.Category, t.Title, t.Priority, t.Status, t.Level, t.GroupCode, t.Assignee, t.CreatedAt, t.UpdatedAt);
}

public sealed record SlaTimerResponse(
    string Clock, string Target, int TargetMinutes, decimal ElapsedMinutes, bool Active, DateTimeOffset? WarnAt, DateTimeOffset? DueAt,
    DateTimeOffset? MetAt, DateTimeOffset? WarnedAt, DateTimeOffset? BreachedAt, bool Breached, string? NoDueTimeReason)
{
    public static SlaTimerResponse From(SlaTimer t) =>
        new(t.Clock, t.Target, t.TargetMinutes, t.ElapsedMinutes, t.Active, t.WarnAt, t.DueAt, t.MetAt, t.WarnedAt, t.BreachedAt, t.Breached,
            t.NoDueTimeReason);
}

public sealed record CommentResponse(Guid Id, DateTimeOffset At, string Author, string AuthorRole, bool Internal, string Body)
{
    public static CommentResponse From(TicketComment c) => new(c.Id, c.At, c.Author, c.AuthorRole, c.Internal, c.Body);
}

public sealed record TicketResponse(
    Guid Id, long Number, Guid SchoolId, string ReporterName, string ReporterEmail, string? ReporterPhone, string Category, string? DeviceSerial,
    Guid? DeviceId, Guid? RoomId, string Title, string Description, Severity Impact, Severity Urgency, TicketPriority Priority, bool NeedsOnSite,
    TicketStatus Status, int Level, string Group, string? Assignee, int? RoutingVersion, bool SolvedBySchool, Guid? MergedIntoId, Guid? ParentId,
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

public sealed record HistoryResponse(DateTimeOffset At, string Actor, string Change, string? Field, string? From, string? To, string? Note);
