using Mep.Contracts.Support;
using Mep.ServiceDefaults.Jobs;
using Mep.ServiceDefaults.Messaging;
using Mep.Support.Data;
using Mep.Support.Tickets;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Mep.Support.Sla;

/// <summary>
/// Announces SLA thresholds: 75 % of a target (warning) and 100 % (breach), each once per ticket, clock and target, to the
/// group holding the ticket (a notification record and an event), and moves a ticket up a level on a breach where the
/// policy says so. Once is guaranteed by the store, not by timing: a threshold is claimed with a conditional update of
/// its timer in the same transaction as the notification and the event, so a restart, a retry or a second replica finds
/// it claimed already.
/// </summary>
public sealed partial class EscalationJob(IServiceScopeFactory scopes, JobRunLog runs, ILogger<EscalationJob> logger) : RecurringJob(runs, logger)
{
    public const string Name = "sla-escalation";
    private const int BatchSize = 200;

    protected override async Task RunAsync(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        while (await AnnounceBatchAsync(cancellationToken) == BatchSize)
        {
        }
    }

    private async Task<int> AnnounceBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<SupportDbContext>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var reached = await db.SlaTimers.AsNoTracking()
            .Where(t => t.Active && ((t.WarnedAt == null && t.WarnAt <= now) || (t.BreachedAt == null && t.DueAt <= now)))
            .OrderBy(t => t.TicketId).Take(BatchSize)
            .Select(t => new { t.TicketId, t.Clock, t.Target })
            .ToListAsync(cancellationToken);
        foreach (var timer in reached)
        {
            await AnnounceAsync(services, timer.TicketId, timer.Clock, timer.Target, now, cancellationToken);
        }

        return reached.Count;
    }

    /// <summary>One timer in one transaction: claim what it reached, tell the group, escalate if the policy says so.</summary>
    private async Task AnnounceAsync(IServiceProvider root, Guid ticketId, string clock, string target, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var scope = root.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SupportDbContext>();
        var writer = scope.ServiceProvider.GetRequiredService<TicketWriter>();
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await AnnounceInTransactionAsync(db, writer, ticketId, clock, target, now, cancellationToken);
        });
    }

    private async Task AnnounceInTransactionAsync(SupportDbContext db, TicketWriter writer, Guid ticketId, string clock, string target,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The ticket row is locked first, as every ticket change does through its row version, so the claim and an
        // escalation see one state of the ticket.
        var ticket = await db.Tickets.FromSql($"SELECT * FROM tickets WHERE id = {ticketId} FOR UPDATE").AsTracking().SingleAsync(cancellationToken);
        var warned = await db.Database.SqlQuery<DateTimeOffset>($"""
            UPDATE sla_timers SET warned_at = {now} WHERE ticket_id = {ticketId} AND clock = {clock} AND target = {target}
              AND active AND warned_at IS NULL AND warn_at <= {now} RETURNING warn_at AS "Value"
            """).ToListAsync(cancellationToken);
        var breached = await db.Database.SqlQuery<DateTimeOffset>($"""
            UPDATE sla_timers SET breached_at = {now} WHERE ticket_id = {ticketId} AND clock = {clock} AND target = {target}
              AND active AND breached_at IS NULL AND due_at <= {now} RETURNING due_at AS "Value"
            """).ToListAsync(cancellationToken);
        var timer = await db.SlaTimers.AsNoTracking().SingleAsync(t => t.TicketId == ticketId && t.Clock == clock && t.Target == target, cancellationToken);
        if (warned.Count == 1)
        {
            Notify(db, ticket, timer, "warning", timer.DueAt ?? warned[0], now);
        }

        if (breached.Count == 1)
        {
            Notify(db, ticket, timer, "breach", breached[0], now);
        }

        await db.SaveChangesAsync(cancellationToken);
        if (breached.Count == 1 && timer.AutoEscalate && timer.Target == SlaTargets.Resolution && SlaClocks.LevelOf(clock) == ticket.Level)
        {
            await EscalateAsync(db, writer, ticket, clock, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static void Notify(SupportDbContext db, Ticket ticket, SlaTimer timer, string stage, DateTimeOffset dueAt, DateTimeOffset now)
    {
        var kind = stage == "warning" ? "slaWarning" : "slaBreach";
        db.Notifications.Add(new Notification
        {
            TicketId = ticket.Id, GroupCode = ticket.GroupCode, Kind = kind, Clock = timer.Clock, Target = timer.Target, CreatedAt = now,
            Message = stage == "warning"
                ? $"Ticket #{ticket.Number}: 75 % of the {timer.Target} target ({timer.TargetMinutes} business minutes, {timer.Clock}) used; due {dueAt:u}."
                : $"Ticket #{ticket.Number}: the {timer.Target} target ({timer.TargetMinutes} business minutes, {timer.Clock}) was due {dueAt:u} and is breached.",
        });
        db.AddIntegrationEvent(new SlaThresholdReached(ticket.Id, ticket.SchoolId, timer.Clock, timer.Target, stage, ticket.GroupCode, dueAt, now),
            ticket.Id.ToString(), now);
    }

    private async Task EscalateAsync(SupportDbContext db, TicketWriter writer, Ticket ticket, string clock, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var group = await db.SupportGroups.AsNoTracking().SingleAsync(g => g.Code == ticket.GroupCode, cancellationToken);
        var target = group.EscalatesTo is { } code ? await db.SupportGroups.AsNoTracking().SingleAsync(g => g.Code == code, cancellationToken) : null;
        if (target is null)
        {
            LogNoEscalationGroup(logger, ticket.Number, group.Code);
            return;
        }

        await Escalation.MoveAsync(db, writer, ticket, target, $"Automatic: the {clock} resolution target was breached.", "sla-escalation",
            automatic: true, now, cancellationToken);
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Ticket {Number} breached its SLA at {Group}, which has no escalation group")]
    private static partial void LogNoEscalationGroup(ILogger logger, long number, string group);
}
