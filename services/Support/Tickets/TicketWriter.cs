using Mep.Support.Data;
using Mep.Support.Notifications;
using Mep.Support.Sla;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Tickets;

/// <summary>
/// The one way a ticket change is stored: its audit history, its clock segments and SLA timers reassessed, the mails the change
/// causes (<see cref="TicketNotifications"/>), and whatever integration events the caller recorded, all in the caller's SaveChanges
/// (a ticket just opened: in the caller's <see cref="NewRowsBatch"/>). A concurrent change of the same ticket fails on its row
/// version (412) instead of overwriting.
/// </summary>
public sealed class TicketWriter(SupportDbContext db, ReferenceData reference, TicketNotifications notifications, TimeProvider clock)
{
    /// <summary>
    /// The instant of a change, to the microsecond PostgreSQL stores: a new ticket's answer is built from memory, and its times (and the
    /// due times reckoned from them) must read the same as every later read of the stored row.
    /// </summary>
    public DateTimeOffset Now
    {
        get
        {
            var now = clock.GetUtcNow();
            return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
        }
    }

    /// <param name="respondedAtLevel">Staff responded to the school in this change (meets the level's first-response target).</param>
    public async Task SaveAsync(Ticket ticket, bool respondedAtLevel, CancellationToken cancellationToken)
    {
        await StageAsync(ticket, respondedAtLevel, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// A ticket just opened, with its history, its first clock segment and its SLA timers, as rows for <see cref="NewRowsBatch"/>:
    /// not attached to the context, which would only track them to write them once.
    /// </summary>
    /// <returns>The rows to insert, and the ticket's SLA timers as they will be stored.</returns>
    public async Task<(List<object> Rows, IReadOnlyList<SlaTimer> Timers)> StageNewAsync(Ticket ticket, CancellationToken cancellationToken)
    {
        List<ClockSegment> segments = [];
        var settings = await reference.GetAsync(cancellationToken);
        var timers = SlaClockKeeper.Reassess(ticket, segments, [], settings.Policies, settings.Calendar, respondedAtLevel: false, Now);
        List<object> rows = [ticket, .. ticket.Changes, .. segments];
        if (timers.Count > 0)
        {
            rows.Add(TicketSlaTimers.Of(ticket.Id, timers));
        }

        ticket.ChangesSaved();
        return (rows, timers);
    }

    /// <summary>Adds the ticket's history and reassesses its clocks without saving (for changes of several tickets at once).</summary>
    /// <returns>The ticket's SLA timers as they will be stored.</returns>
    public async Task<IReadOnlyList<SlaTimer>> StageAsync(Ticket ticket, bool respondedAtLevel, CancellationToken cancellationToken)
    {
        var isNew = db.Entry(ticket).State == EntityState.Detached;
        if (isNew)
        {
            db.Tickets.Add(ticket);
        }

        db.TicketHistory.AddRange(ticket.Changes);
        var segments = isNew ? [] : await db.ClockSegments.AsTracking().Where(s => s.TicketId == ticket.Id).ToListAsync(cancellationToken);
        var stored = isNew ? null : await db.TicketSlaTimers.AsTracking().SingleOrDefaultAsync(s => s.TicketId == ticket.Id, cancellationToken);
        var timers = stored?.Read() ?? [];
        var known = segments.Count;
        var settings = await reference.GetAsync(cancellationToken);
        var newTimers = SlaClockKeeper.Reassess(ticket, segments, timers, settings.Policies, settings.Calendar, respondedAtLevel, Now);
        db.ClockSegments.AddRange(segments.Skip(known));
        List<SlaTimer> all = [.. timers, .. newTimers];
        if (stored is not null)
        {
            stored.Store(all);
        }
        else if (all.Count > 0)
        {
            db.TicketSlaTimers.Add(TicketSlaTimers.Of(ticket.Id, all));
        }

        SchoolFacingChange.AddEventIfAny(db, ticket, Now);
        await notifications.StageAsync(ticket, cancellationToken);
        ticket.ChangesSaved();
        return all;
    }
}
