using Mep.Contracts.Support;
using Mep.Jobs;
using Mep.Messaging;
using Mep.Support.Data;
using Mep.Support.Notifications;
using Mep.Support.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Sla;

/// <summary>
/// Announces SLA thresholds: 75 % of a target (warning) and 100 % (breach), each once per ticket, clock and target, to the
/// group holding the ticket (a notification record, an event, and mails to its members and the assignee), and moves a ticket
/// up a level on a breach where the policy says so. Once is guaranteed by the store, not by timing: a threshold is claimed on
/// the ticket's timer row, locked and saved with its row version in the same transaction as the notification, the event and
/// the mails, so a restart, a retry or a
/// second replica finds it claimed already, and a ticket change made meanwhile fails on the version (412) instead of
/// writing the claim away.
/// </summary>
public sealed partial class EscalationJob(IServiceScopeFactory scopes, SlaMetrics metrics, JobRunLog runs, ILogger<EscalationJob> logger)
    : RecurringJob(runs, logger)
{
    public const string Name = "sla-escalation";
    private const int BatchSize = 200;

    protected override async Task RunAsync(JobOccurrence occurrence, CancellationToken cancellationToken)
    {
        while (await AnnounceBatchAsync(cancellationToken) == BatchSize)
        {
        }
    }

    /// <summary>A threshold of one timer that has come: its warning (75 %) or its breach (100 %).</summary>
    private sealed record Threshold(Guid TicketId, string Clock, string Target, bool IsBreach, DateTimeOffset At);

    /// <summary>
    /// Thresholds in the order they were reached, so a run that catches up after a pause (a restart, a busy database)
    /// tells the same groups as runs on time would have: a warning reached before an automatic escalation goes to the
    /// group that held the ticket then.
    /// </summary>
    private async Task<int> AnnounceBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<SupportDbContext>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        // The tickets with a threshold come, found by the indexed next instants of their timers' row; then their timers.
        var reachedTickets = db.TicketSlaTimers.Where(s => s.NextWarnAt <= now || s.NextDueAt <= now).Select(s => s.TicketId);
        var active = db.SlaTimers.AsNoTracking().Where(t => t.Active && reachedTickets.Contains(t.TicketId));
        var reached = await active.Where(t => t.WarnedAt == null && t.WarnAt <= now)
            .Select(t => new { t.TicketId, t.Clock, t.Target, IsBreach = false, At = t.WarnAt!.Value })
            .Concat(active.Where(t => t.BreachedAt == null && t.DueAt <= now)
                .Select(t => new { t.TicketId, t.Clock, t.Target, IsBreach = true, At = t.DueAt!.Value }))
            .OrderBy(t => t.At).ThenBy(t => t.IsBreach).Take(BatchSize)
            .ToListAsync(cancellationToken);
        foreach (var threshold in reached)
        {
            await AnnounceAsync(services, new Threshold(threshold.TicketId, threshold.Clock, threshold.Target, threshold.IsBreach, threshold.At), now,
                cancellationToken);
        }

        return reached.Count;
    }

    /// <summary>One threshold in one transaction: claim it, tell the group, escalate if the policy says so.</summary>
    private async Task AnnounceAsync(IServiceProvider root, Threshold threshold, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = root.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SupportDbContext>();
        var writer = scope.ServiceProvider.GetRequiredService<TicketWriter>();
        var notifications = scope.ServiceProvider.GetRequiredService<TicketNotifications>();
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await AnnounceInTransactionAsync(db, writer, notifications, threshold, now, cancellationToken);
        });
    }

    private async Task AnnounceInTransactionAsync(SupportDbContext db, TicketWriter writer, TicketNotifications notifications, Threshold threshold,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The ticket row is locked first, as every ticket change does through its row version, so the claim and an
        // escalation see one state of the ticket.
        var ticket = await db.Tickets.FromSql($"SELECT *, xmin FROM tickets WHERE id = {threshold.TicketId} FOR UPDATE").AsTracking()
            .SingleAsync(cancellationToken);
        // The claim: only the first run to get here finds the threshold unclaimed (and still reached: the ticket may
        // have been answered or moved since the batch was read).
        var stored = await db.TicketSlaTimers.FromSql($"SELECT *, xmin FROM ticket_sla_timers WHERE ticket_id = {threshold.TicketId} FOR UPDATE")
            .AsTracking().SingleOrDefaultAsync(cancellationToken);
        var timers = stored?.Read() ?? [];
        var (clock, target) = (threshold.Clock, threshold.Target);
        var timer = timers.SingleOrDefault(t => t.Clock == clock && t.Target == target);
        if (timer is null || !(threshold.IsBreach ? timer.ClaimBreach(now) : timer.ClaimWarning(now)))
        {
            return;
        }

        stored!.Store(timers);
        Notify(db, ticket, timer, threshold.IsBreach, now);
        await notifications.SlaThresholdAsync(ticket, timer, threshold.IsBreach, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        if (threshold.IsBreach && timer.AutoEscalate && timer.Target == SlaTargets.Resolution && SlaClocks.LevelOf(clock) == ticket.Level)
        {
            await EscalateAsync(db, writer, ticket, clock, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        metrics.Announced(threshold.IsBreach, target);
    }

    private static void Notify(SupportDbContext db, Ticket ticket, SlaTimer timer, bool isBreach, DateTimeOffset now)
    {
        var (stage, kind) = isBreach ? ("breach", "slaBreach") : ("warning", "slaWarning");
        var dueAt = timer.DueAt!.Value;
        db.Notifications.Add(new Notification
        {
            TicketId = ticket.Id, GroupCode = ticket.GroupCode, Kind = kind, Clock = timer.Clock, Target = timer.Target, CreatedAt = now,
            Message = !isBreach
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
