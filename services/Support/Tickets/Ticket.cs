using System.Globalization;
using Mep.Contracts.Support;
using Mep.ServiceDefaults.Errors;
using Mep.Support.People;
using Mep.Support.Routing;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;

namespace Mep.Support.Tickets;

public enum TicketStatus
{
    New,
    Triaged,
    InProgress,
    WaitingForSchool,
    WaitingForVendor,
    Resolved,
    Closed,
    Reopened,
}

/// <summary>How many are affected (impact) and how soon it hurts (urgency); priority follows from both.</summary>
public enum Severity
{
    Low,
    Medium,
    High,
}

/// <summary>
/// A fault reported by a school. Changes go through its methods, which keep the rules (allowed transitions, levels,
/// merging) and record every change for the audit history; <see cref="TicketWriter"/> stores them with the SLA
/// reassessment and events in one transaction.
/// </summary>
public sealed class Ticket
{
    private static readonly Dictionary<TicketStatus, TicketStatus[]> Transitions = new()
    {
        [TicketStatus.New] = [TicketStatus.Triaged, TicketStatus.InProgress, TicketStatus.WaitingForSchool, TicketStatus.WaitingForVendor, TicketStatus.Resolved],
        [TicketStatus.Triaged] = [TicketStatus.InProgress, TicketStatus.WaitingForSchool, TicketStatus.WaitingForVendor, TicketStatus.Resolved],
        [TicketStatus.InProgress] = [TicketStatus.WaitingForSchool, TicketStatus.WaitingForVendor, TicketStatus.Resolved],
        [TicketStatus.WaitingForSchool] = [TicketStatus.InProgress, TicketStatus.Resolved],
        [TicketStatus.WaitingForVendor] = [TicketStatus.InProgress, TicketStatus.Resolved],
        [TicketStatus.Resolved] = [TicketStatus.Closed, TicketStatus.Reopened],
        [TicketStatus.Reopened] = [TicketStatus.Triaged, TicketStatus.InProgress, TicketStatus.WaitingForSchool, TicketStatus.WaitingForVendor, TicketStatus.Resolved],
        [TicketStatus.Closed] = [],
    };

    private readonly List<TicketHistoryEntry> _changes = [];

    private Ticket()
    {
    }

    public Guid Id { get; private set; }
    public long Number { get; private set; }
    public Guid SchoolId { get; private set; }
    public string ReporterName { get; private set; } = string.Empty;
    public string ReporterEmail { get; private set; } = string.Empty;
    public string? ReporterPhone { get; private set; }
    public string Category { get; private set; } = string.Empty;
    public string? DeviceSerial { get; private set; }
    public Guid? DeviceId { get; private set; }
    public Guid? RoomId { get; private set; }
    public string Title { get; private set; } = string.Empty;
    public string Description { get; private set; } = string.Empty;
    public Severity Impact { get; private set; }
    public Severity Urgency { get; private set; }
    public TicketPriority Priority { get; private set; }
    public bool NeedsOnSite { get; private set; }
    public TicketStatus Status { get; private set; }
    public int Level { get; private set; }
    public string GroupCode { get; private set; } = string.Empty;
    public string? Assignee { get; private set; }

    /// <summary>The routing rules' version that chose the first level and group; null when the school solved it itself.</summary>
    public int? RoutingVersion { get; private set; }

    public bool SolvedBySchool { get; private set; }
    public Guid? MergedIntoId { get; private set; }
    public Guid? ParentId { get; private set; }
    public bool Escalated { get; private set; }
    public bool WaitedOnSchool { get; private set; }
    public int ReopenCount { get; private set; }

    /// <summary>Set when resolved: solved where it first landed, at level 1, with no escalation, no wait on the school and no reopening.</summary>
    public bool? FirstContactResolution { get; private set; }

    public string CreatedBy { get; private set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? FirstRespondedAt { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public uint Version { get; private set; }

    /// <summary>
    /// Subject and report under PostgreSQL's German text search configuration (stemming, German stop words); kept by PostgreSQL.
    /// Work lists search it together with the public comments' (<see cref="TicketComment.SearchVector"/>).
    /// </summary>
    public NpgsqlTsVector SearchVector { get; private set; } = null!;

    /// <summary>What changed since loading, for the audit history (written by <see cref="TicketWriter"/>).</summary>
    internal IReadOnlyList<TicketHistoryEntry> Changes => _changes;

    /// <summary>Whether the SLA clocks run for this ticket: not for a fault the school solved itself.</summary>
    public bool HasClock => Level > 0;

    public bool IsOpen => Status is not (TicketStatus.Resolved or TicketStatus.Closed);

    public static TicketPriority PriorityOf(Severity impact, Severity urgency) => ((int)impact + (int)urgency) switch
    {
        4 => TicketPriority.P1,
        3 => TicketPriority.P2,
        2 => TicketPriority.P3,
        _ => TicketPriority.P4,
    };

    internal static Ticket Open(TicketReport report, Routing.TicketRoute route, long number, string actor, DateTimeOffset now)
    {
        var ticket = new Ticket
        {
            Id = Guid.CreateVersion7(now),
            Number = number,
            SchoolId = report.SchoolId,
            ReporterName = report.ReporterName,
            ReporterEmail = report.ReporterEmail,
            ReporterPhone = report.ReporterPhone,
            Category = report.Category,
            DeviceSerial = report.DeviceSerial,
            DeviceId = report.DeviceId,
            RoomId = report.RoomId,
            Title = report.Title,
            Description = report.Description,
            Impact = report.Impact,
            Urgency = report.Urgency,
            Priority = PriorityOf(report.Impact, report.Urgency),
            NeedsOnSite = report.NeedsOnSite,
            Level = route.Level,
            GroupCode = route.GroupCode,
            RoutingVersion = route.RuleVersion,
            SolvedBySchool = report.SolvedBySchool,
            Status = report.SolvedBySchool ? TicketStatus.Resolved : TicketStatus.New,
            CreatedBy = actor,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (report.SolvedBySchool)
        {
            (ticket.ResolvedAt, ticket.FirstContactResolution) = (now, false);
        }

        ticket.Record(actor, now, "opened", "level", null, $"{route.Level} ({route.GroupCode})",
            route.RuleVersion is { } version ? $"routing rules version {version}" : "solved by the school (level 0)");
        return ticket;
    }

    public bool MayMoveTo(TicketStatus to) => Transitions[Status].Contains(to);

    public void ChangeStatus(TicketStatus to, string actor, bool byStaff, DateTimeOffset now, string? note = null)
    {
        if (MergedIntoId is not null)
        {
            throw new DomainRuleException("ticket-merged", "This ticket was merged into another one; work on that ticket.") { IsStateConflict = true };
        }

        if (!MayMoveTo(to))
        {
            throw new DomainRuleException("ticket-status-transition",
                $"A ticket cannot go from {Mep.Contracts.EnumText.CamelName(Status)} to {Mep.Contracts.EnumText.CamelName(to)}.");
        }

        var from = Status;
        Status = to;
        switch (to)
        {
            case TicketStatus.WaitingForSchool:
                WaitedOnSchool = true;
                break;
            case TicketStatus.Resolved:
                ResolvedAt = now;
                FirstContactResolution = Level == 1 && !Escalated && !WaitedOnSchool && ReopenCount == 0;
                break;
            case TicketStatus.Closed:
                ClosedAt = now;
                break;
            case TicketStatus.Reopened:
                (ResolvedAt, FirstContactResolution) = (null, null);
                ReopenCount++;
                break;
        }

        if (byStaff && to is not TicketStatus.Closed)
        {
            Responded(now);
        }

        Record(actor, now, "status", "status", Mep.Contracts.EnumText.CamelName(from), Mep.Contracts.EnumText.CamelName(to), note);
    }

    /// <summary>A school confirms its resolved ticket (closed) or reopens it; every other move is the service desk's.</summary>
    public void ChangeStatusAsSchool(TicketStatus to, string actor, DateTimeOffset now, string? note = null)
    {
        if (!(Status == TicketStatus.Resolved && to is TicketStatus.Closed or TicketStatus.Reopened))
        {
            throw new DomainRuleException("school-closes-or-reopens-only",
                "A school confirms a resolved ticket (closed) or reopens it; the service desk does the rest.");
        }

        ChangeStatus(to, actor, byStaff: false, now, note);
    }

    /// <summary>Staff answered the school (a public comment or taking the ticket up): the first response, if it is the first.</summary>
    public void Responded(DateTimeOffset now)
    {
        FirstRespondedAt ??= now;
        UpdatedAt = now;
    }

    /// <summary>The school answered while the ticket waited for it: the clock runs again.</summary>
    public void SchoolAnswered(string actor, DateTimeOffset now)
    {
        if (Status == TicketStatus.WaitingForSchool)
        {
            ChangeStatus(TicketStatus.InProgress, actor, byStaff: false, now, "the school answered");
        }
    }

    public void MoveToLevel(int level, string groupCode, string reason, string actor, DateTimeOffset now)
    {
        if (!IsOpen)
        {
            throw new DomainRuleException("ticket-not-open", "Only an open ticket moves between levels; reopen it first.") { IsStateConflict = true };
        }

        if (level == Level && groupCode == GroupCode)
        {
            throw new DomainRuleException("ticket-already-there", $"The ticket is already with {groupCode} at level {level}.");
        }

        // A move to another group on the same level counts as handing on, like a move up.
        var up = level >= Level;
        Escalated |= level > Level;
        var from = LevelAndGroup(Level, GroupCode);
        (Level, GroupCode, Assignee) = (level, groupCode, null);
        Record(actor, now, up ? "escalated" : "deescalated", "level", from, LevelAndGroup(level, groupCode), reason);
    }

    /// <summary>Where a move (an "escalated" or "deescalated" history entry) took the ticket, read back from what it recorded.</summary>
    public static (int Level, string GroupCode) MovedTo(TicketHistoryEntry move)
    {
        var value = move.ToValue ?? throw new ArgumentException($"History entry {move.Change} records no level.", nameof(move));
        var open = value.IndexOf(" (", StringComparison.Ordinal);
        return (int.Parse(value[..open], System.Globalization.CultureInfo.InvariantCulture), value[(open + 2)..^1]);
    }

    /// <summary>"2 (it-department)": a level and its group as a move's history entry records them.</summary>
    private static string LevelAndGroup(int level, string groupCode) => $"{level} ({groupCode})";

    /// <summary>
    /// Gives the ticket to <paramref name="assignee"/>, who must be active and may work on the ticket's current group
    /// (<see cref="People.Person.EnsureMayWorkOn"/>); null unassigns it. The one assigned stays in the history when they leave.
    /// </summary>
    public void Assign(People.Person? assignee, Routing.SupportGroup currentGroup, bool isMemberOfGroup, string actor, DateTimeOffset now)
    {
        if (currentGroup.Code != GroupCode)
        {
            throw new InvalidOperationException($"Ticket {Number} is with {GroupCode}, not {currentGroup.Code}.");
        }

        if (assignee is not null)
        {
            People.Person.RequireActive(assignee, assignee.Subject, "assignee");
            assignee.EnsureMayWorkOn(currentGroup, isMemberOfGroup);
        }

        if (Assignee == assignee?.Subject)
        {
            return;
        }

        Record(actor, now, "assigned", "assignee", Assignee, assignee?.Subject, null);
        Assignee = assignee?.Subject;
    }

    public void MergeInto(Ticket target, string actor, DateTimeOffset now)
    {
        if (target.Id == Id || target.MergedIntoId is not null)
        {
            throw new DomainRuleException("merge-target-invalid", "A ticket merges into another ticket that was not itself merged.");
        }

        if (MergedIntoId is not null)
        {
            throw new DomainRuleException("ticket-merged", "This ticket was merged already.") { IsStateConflict = true };
        }

        // A duplicate is the same school's problem reported twice. Merging across schools would close one school's ticket into one it
        // can never read and show each school the other's ticket number; tickets of several schools are linked or joined to an outage.
        if (target.SchoolId != SchoolId)
        {
            throw new DomainRuleException("merge-across-schools",
                "A ticket merges into a duplicate of the same school; link tickets of different schools, or make them part of an outage.")
            {
                Field = "intoTicketId",
            };
        }

        var from = Status;
        (MergedIntoId, Status, ClosedAt) = (target.Id, TicketStatus.Closed, now);
        ResolvedAt ??= now;
        Record(actor, now, "merged", "status", Mep.Contracts.EnumText.CamelName(from), "closed", $"duplicate of {Reference(target.Number)}");
        target.Record(actor, now, "duplicateMerged", null, null, Reference(Number), $"{Reference(Number)} merged into this ticket");
    }

    /// <summary>
    /// Makes the ticket part of an outage (<paramref name="parent"/>), or detaches it (null). Outage tickets are one level deep: a
    /// ticket that is the parent of others (<paramref name="isParentOfOthers"/>, which the caller looks up) does not become a child.
    /// </summary>
    public void SetParent(Ticket? parent, bool isParentOfOthers, string actor, DateTimeOffset now)
    {
        if (parent is not null && isParentOfOthers)
        {
            throw new DomainRuleException("parent-invalid", "This ticket is itself the parent of an outage; it cannot become a child.");
        }

        if (parent is not null && (parent.Id == Id || parent.ParentId is not null))
        {
            throw new DomainRuleException("parent-invalid", "A parent is another ticket that is not itself a child (one level of outage tickets).");
        }

        Record(actor, now, "parent", "parentId", ParentId?.ToString(), parent?.Id.ToString(), parent is null ? null : $"part of outage {Reference(parent.Number)}");
        ParentId = parent?.Id;
    }

    /// <summary>How a history line names another ticket: by the number people quote (<see cref="TicketHistoryEntry.ReferencedTicketNumber"/> reads it back).</summary>
    internal static string Reference(long number) => $"#{number.ToString(CultureInfo.InvariantCulture)}";

    internal void Record(string actor, DateTimeOffset now, string change, string? field, string? from, string? to, string? note)
    {
        UpdatedAt = now;
        _changes.Add(new TicketHistoryEntry(Id, now, actor, change, field, from, to, note));
    }

    internal void ChangesSaved() => _changes.Clear();
}

/// <summary>What a school reported, checked and resolved against what Support knows (device, room, category).</summary>
internal sealed record TicketReport(
    Guid SchoolId, string ReporterName, string ReporterEmail, string? ReporterPhone, string Category, string? DeviceSerial, Guid? DeviceId,
    Guid? RoomId, string Title, string Description, Severity Impact, Severity Urgency, bool NeedsOnSite, bool SolvedBySchool);

/// <summary>One line of a ticket's audit history: who changed what, when, from what to what.</summary>
public sealed class TicketHistoryEntry
{
    private TicketHistoryEntry()
    {
    }

    internal TicketHistoryEntry(Guid ticketId, DateTimeOffset at, string actor, string change, string? field, string? from, string? to, string? note) =>
        (TicketId, At, Actor, Change, Field, FromValue, ToValue, Note) = (ticketId, at, actor, change, field, from, to, note);

    public long Id { get; private set; }
    public Guid TicketId { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string Actor { get; private set; } = string.Empty;
    public string Change { get; private set; } = string.Empty;
    public string? Field { get; private set; }
    public string? FromValue { get; private set; }
    public string? ToValue { get; private set; }
    public string? Note { get; private set; }

    /// <summary>The number of the other ticket a link, merge or outage line names (written by <see cref="Ticket.Reference"/>), if any.</summary>
    public long? ReferencedTicketNumber =>
        Change is "linked" or "merged" or "duplicateMerged" or "parent" ? NumberAfterHash(ToValue) ?? NumberAfterHash(Note) : null;

    /// <summary>
    /// The line as a school's own software sees it. Internal notes are staff's: a school sees neither their text nor that one was written.
    /// A line naming another school's ticket (a link, an outage parent) keeps what happened but not which ticket, since the school
    /// could not open it and its number is the other school's.
    /// </summary>
    public HistoryResponse? AsSeenBySchool(IReadOnlySet<long> ownTicketNumbers)
    {
        if (Change == "internalNote")
        {
            return null;
        }

        return ReferencedTicketNumber is { } other && !ownTicketNumbers.Contains(other)
            ? new HistoryResponse(At, Actor, Change, Field, null, null, null)
            : ToResponse();
    }

    public HistoryResponse ToResponse() => new(At, Actor, Change, Field, FromValue, ToValue, Note);

    private static long? NumberAfterHash(string? text)
    {
        var hash = text?.IndexOf('#', StringComparison.Ordinal) ?? -1;
        if (hash < 0)
        {
            return null;
        }

        var digits = text.AsSpan(hash + 1);
        var length = 0;
        while (length < digits.Length && char.IsAsciiDigit(digits[length]))
        {
            length++;
        }

        return long.TryParse(digits[..length], NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
    }
}

public sealed class TicketComment
{
    private TicketComment()
    {
    }

    internal TicketComment(Guid ticketId, DateTimeOffset at, string author, string authorRole, bool isInternal, string body) =>
        (Id, TicketId, At, Author, AuthorRole, Internal, Body) = (Guid.CreateVersion7(at), ticketId, at, author, authorRole, isInternal, body);

    public Guid Id { get; private set; }
    public Guid TicketId { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string Author { get; private set; } = string.Empty;

    /// <summary>school, staff or vendor: who wrote it, for the school's view of the conversation.</summary>
    public string AuthorRole { get; private set; } = string.Empty;

    /// <summary>Internal notes are for staff and vendors only; a school never sees them.</summary>
    public bool Internal { get; private set; }

    public string Body { get; private set; } = string.Empty;

    /// <summary>The body under PostgreSQL's German text search configuration; indexed for public comments only, the ones searched.</summary>
    public NpgsqlTsVector SearchVector { get; private set; } = null!;
}

public sealed class TicketLink
{
    public Guid TicketId { get; internal set; }
    public Guid RelatedTicketId { get; internal set; }
    public DateTimeOffset CreatedAt { get; internal set; }
    public string CreatedBy { get; internal set; } = string.Empty;
}

internal sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> ticket)
    {
        ticket.ToTable("tickets");
        ticket.HasKey(t => t.Id);
        ticket.Property(t => t.Number).ValueGeneratedNever();
        ticket.Ignore(t => t.Changes);
        ticket.Ignore(t => t.HasClock);
        ticket.Ignore(t => t.IsOpen);
        ticket.HasIndex(t => t.Number).IsUnique();
        ticket.HasIndex(t => new { t.SchoolId, t.CreatedAt });
        ticket.HasIndex(t => new { t.GroupCode, t.Status });
        ticket.HasIndex(t => t.CreatedAt);
        // Work lists (migration 0007): by status (and the counts per status), category or level, newest first.
        ticket.HasIndex(t => new { t.Status, t.CreatedAt });
        ticket.HasIndex(t => new { t.Category, t.CreatedAt });
        ticket.HasIndex(t => new { t.Level, t.CreatedAt });
        ticket.HasGeneratedTsVectorColumn(t => t.SearchVector, "german", t => new { t.Title, t.Description })
            .HasIndex(t => t.SearchVector).HasMethod("gin");
        // Partial (migration 0004): few tickets are merged or part of an outage, and a new ticket need not add NULLs to them.
        ticket.HasIndex(t => t.MergedIntoId).HasFilter("merged_into_id IS NOT NULL");
        ticket.HasIndex(t => t.ParentId).HasFilter("parent_id IS NOT NULL");
        ticket.HasOne<SupportGroup>().WithMany().HasForeignKey(t => t.GroupCode).OnDelete(DeleteBehavior.Restrict);
        ticket.HasOne<Ticket>().WithMany().HasForeignKey(t => t.MergedIntoId).OnDelete(DeleteBehavior.Restrict);
        ticket.HasOne<Ticket>().WithMany().HasForeignKey(t => t.ParentId).OnDelete(DeleteBehavior.Restrict);
        // Partial (migration 0005): most tickets wait unassigned in their group's queue.
        ticket.HasIndex(t => t.Assignee).HasFilter("assignee IS NOT NULL");
        ticket.HasOne<Person>().WithMany().HasForeignKey(t => t.Assignee).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TicketHistoryEntryConfiguration : IEntityTypeConfiguration<TicketHistoryEntry>
{
    public void Configure(EntityTypeBuilder<TicketHistoryEntry> entry)
    {
        entry.ToTable("ticket_history");
        entry.HasKey(e => e.Id);
        entry.Property(e => e.Id).UseIdentityAlwaysColumn();
        entry.HasIndex(e => new { e.TicketId, e.Id });
        entry.HasOne<Ticket>().WithMany().HasForeignKey(e => e.TicketId);
    }
}

internal sealed class TicketCommentConfiguration : IEntityTypeConfiguration<TicketComment>
{
    public void Configure(EntityTypeBuilder<TicketComment> comment)
    {
        comment.ToTable("ticket_comments");
        comment.HasKey(c => c.Id);
        comment.HasIndex(c => new { c.TicketId, c.At });
        comment.HasOne<Ticket>().WithMany().HasForeignKey(c => c.TicketId);
        // Internal notes are never searched (a school must not find a ticket by what staff wrote among themselves): not indexed.
        comment.HasGeneratedTsVectorColumn(c => c.SearchVector, "german", c => new { c.Body })
            .HasIndex(c => c.SearchVector).HasMethod("gin").HasFilter("NOT internal");
    }
}

internal sealed class TicketLinkConfiguration : IEntityTypeConfiguration<TicketLink>
{
    public void Configure(EntityTypeBuilder<TicketLink> link)
    {
        link.ToTable("ticket_links");
        link.HasKey(l => new { l.TicketId, l.RelatedTicketId });
        link.HasIndex(l => l.RelatedTicketId);
        link.HasOne<Ticket>().WithMany().HasForeignKey(l => l.TicketId);
        link.HasOne<Ticket>().WithMany().HasForeignKey(l => l.RelatedTicketId);
    }
}
