using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Mep.Support.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Support.Sla;

/// <summary>
/// A stretch of a ticket's life at one level: running (the clocks count) or paused (waiting for the school). A resolved
/// ticket has no open segment. Every clock is a sum over these segments, so each level's time is kept apart.
/// </summary>
public sealed class ClockSegment
{
    public Guid TicketId { get; internal set; }
    public int Sequence { get; internal set; }
    public int Level { get; internal set; }
    public bool Running { get; internal set; }
    public DateTimeOffset StartedAt { get; internal set; }
    public DateTimeOffset? EndedAt { get; internal set; }
}

internal sealed class ClockSegmentConfiguration : IEntityTypeConfiguration<ClockSegment>
{
    public void Configure(EntityTypeBuilder<ClockSegment> segment)
    {
        segment.ToTable("ticket_clock_segments");
        segment.HasKey(s => new { s.TicketId, s.Sequence });
        segment.HasOne<Ticket>().WithMany().HasForeignKey(s => s.TicketId);
    }
}

/// <summary>
/// One target of one clock of a ticket, with the instants it reaches 75 % (<see cref="WarnAt"/>) and 100 % (<see cref="DueAt"/>),
/// as far as they are known: both are null while the clock is paused or stopped before reaching them.
/// <see cref="WarnedAt"/> and <see cref="BreachedAt"/> are set once by the escalation job.
/// </summary>
public sealed class SlaTimer
{
    public Guid TicketId { get; internal set; }
    public string Clock { get; internal set; } = string.Empty;
    public string Target { get; internal set; } = string.Empty;
    public int TargetMinutes { get; internal set; }
    public decimal ElapsedMinutes { get; internal set; }
    public string CalendarCode { get; internal set; } = string.Empty;
    public bool RunsInSchoolHolidays { get; internal set; }
    public bool AutoEscalate { get; internal set; }

    /// <summary>Counting now or able to count again: not met, and the ticket is at this clock's level (always for the total).</summary>
    public bool Active { get; internal set; }

    public DateTimeOffset? WarnAt { get; internal set; }
    public DateTimeOffset? DueAt { get; internal set; }
    public DateTimeOffset? MetAt { get; internal set; }
    public DateTimeOffset? WarnedAt { get; internal set; }
    public DateTimeOffset? BreachedAt { get; internal set; }

    /// <summary>
    /// Why the clock has no <see cref="DueAt"/> (or <see cref="WarnAt"/>) although it runs: its calendar never opens, or holidays close
    /// every opening day within the calendar's search horizon. The ticket is kept all the same; the reason goes when the calendar is fixed
    /// and the ticket next changes.
    /// </summary>
    public string? NoDueTimeReason { get; internal set; }

    /// <summary>Kept when met by its due time, or not due yet; breached ones count against compliance.</summary>
    public bool Breached => BreachedAt is not null || (MetAt is { } met && DueAt is { } due && met > due);

    /// <summary>Claims the warning for the escalation job: true once, when the timer counts and its 75 % instant has come.</summary>
    public bool ClaimWarning(DateTimeOffset now)
    {
        if (!Active || WarnedAt is not null || WarnAt is not { } warnAt || warnAt > now)
        {
            return false;
        }

        WarnedAt = now;
        return true;
    }

    /// <summary>Claims the breach for the escalation job: true once, when the timer counts and its due instant has come.</summary>
    public bool ClaimBreach(DateTimeOffset now)
    {
        if (!Active || BreachedAt is not null || DueAt is not { } dueAt || dueAt > now)
        {
            return false;
        }

        BreachedAt = now;
        return true;
    }
}

/// <summary>Read-only: the timers of ticket_sla_timers one a row (written through TicketSlaTimers).</summary>
internal sealed class SlaTimerConfiguration : IEntityTypeConfiguration<SlaTimer>
{
    public void Configure(EntityTypeBuilder<SlaTimer> timer)
    {
        timer.ToView("sla_timers");
        timer.HasKey(t => new { t.TicketId, t.Clock, t.Target });
        timer.Property(t => t.ElapsedMinutes).HasPrecision(10, 2);
        timer.Ignore(t => t.Breached);
    }
}

/// <summary>
/// A ticket's SLA timers stored as one row: the timers as one JSON array, and the next instants the escalation job waits for,
/// as indexed columns. Opening a ticket writes one row with three index entries here, not four rows with twelve. The view
/// sla_timers shows the array one timer a row, with the columns the timers once had as a table, which is how
/// <see cref="SlaTimer"/> is read (ticket answers, the feed, the metrics).
/// </summary>
public sealed class TicketSlaTimers
{
    /// <summary>Names as the view's columns (snake_case); the ticket id is the row's.</summary>
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { StoredColumnsOnly } },
    };

    public Guid TicketId { get; private set; }

    /// <summary>The timers, a JSON array (jsonb).</summary>
    public string Timers { get; private set; } = "[]";

    /// <summary>The earliest 75 % instant of a counting timer whose warning is not announced yet.</summary>
    public DateTimeOffset? NextWarnAt { get; private set; }

    /// <summary>The earliest due instant of a counting timer whose breach is not announced yet.</summary>
    public DateTimeOffset? NextDueAt { get; private set; }

    /// <summary>
    /// When the first response is owed: the earliest due instant of a counting first-response timer (the total clock's or the current
    /// level's), past or not; null once met, while the clock is paused before it, or without such a target. What a work list shows.
    /// </summary>
    public DateTimeOffset? FirstResponseDueAt { get; private set; }

    /// <summary>When the resolution is owed, as <see cref="FirstResponseDueAt"/> for the resolution targets.</summary>
    public DateTimeOffset? ResolutionDueAt { get; private set; }

    /// <summary>
    /// The ticket's next deadline, the earlier of the two: what a work list sorts by. Unlike <see cref="NextDueAt"/> it stays on a
    /// breach already announced, so a ticket past it is breached until the target is met.
    /// </summary>
    public DateTimeOffset? DueAt { get; private set; }

    /// <summary>Row version: the escalation job's claim and a ticket change never overwrite each other's timers.</summary>
    public uint Version { get; private set; }

    public static TicketSlaTimers Of(Guid ticketId, IReadOnlyCollection<SlaTimer> timers)
    {
        var row = new TicketSlaTimers { TicketId = ticketId };
        row.Store(timers);
        return row;
    }

    public List<SlaTimer> Read()
    {
        var timers = JsonSerializer.Deserialize<List<SlaTimer>>(Timers, Json) ?? [];
        timers.ForEach(timer => timer.TicketId = TicketId);
        return timers;
    }

    public void Store(IReadOnlyCollection<SlaTimer> timers)
    {
        Timers = JsonSerializer.Serialize(timers, Json);
        var counting = timers.Where(timer => timer.Active).ToList();
        NextWarnAt = counting.Where(timer => timer.WarnedAt is null).Min(timer => timer.WarnAt);
        NextDueAt = counting.Where(timer => timer.BreachedAt is null).Min(timer => timer.DueAt);
        FirstResponseDueAt = counting.Where(timer => timer.Target == SlaTargets.FirstResponse).Min(timer => timer.DueAt);
        ResolutionDueAt = counting.Where(timer => timer.Target == SlaTargets.Resolution).Min(timer => timer.DueAt);
        DueAt = counting.Min(timer => timer.DueAt);
    }

    /// <summary>A timer's stored fields: its own, set through their internal setters; not the ticket id (the row's) nor what is derived.</summary>
    private static void StoredColumnsOnly(JsonTypeInfo type)
    {
        if (type.Type != typeof(SlaTimer))
        {
            return;
        }

        foreach (var property in type.Properties.ToList())
        {
            if (property.AttributeProvider is not PropertyInfo { SetMethod: { } setter } || property.Name == "ticket_id")
            {
                type.Properties.Remove(property);
                continue;
            }

            property.Set ??= (timer, value) => setter.Invoke(timer, [value]);
        }
    }
}

internal sealed class TicketSlaTimersConfiguration : IEntityTypeConfiguration<TicketSlaTimers>
{
    public void Configure(EntityTypeBuilder<TicketSlaTimers> row)
    {
        row.ToTable("ticket_sla_timers");
        row.HasKey(r => r.TicketId);
        row.Property(r => r.Timers).HasColumnType("jsonb");
        row.HasIndex(r => r.NextWarnAt).HasFilter("next_warn_at IS NOT NULL");
        row.HasIndex(r => r.NextDueAt).HasFilter("next_due_at IS NOT NULL");
        // Work lists: due before, breached (migration 0007); a ticket without a deadline has no entry.
        row.HasIndex(r => r.DueAt).HasFilter("due_at IS NOT NULL");
        row.HasOne<Ticket>().WithOne().HasForeignKey<TicketSlaTimers>(r => r.TicketId);
    }
}
