using Mep.Jobs;
using Mep.Support.Data;
using Mep.Support.Sla;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Notifications;

/// <summary>
/// Once a day (07:00 Berlin time, before the service desk opens): one mail per person who chose the daily digest, listing what was
/// collected for them since their last one. Per person in one transaction: the digest mail goes to the outbox and its items are
/// removed together, so a rerun, a retry or a second replica (the items are locked, SKIP LOCKED) never lists an item twice.
/// </summary>
public sealed partial class NotificationDigestJob(IServiceScopeFactory scopes, JobRunLog runs, ILogger<NotificationDigestJob> logger)
    : RecurringJob(runs, logger)
{
    public const string Name = "notification-digest";

    /// <summary>Most lines one digest lists; a person with more is told how many more there were.</summary>
    public const int MaxLines = 200;

    protected override async Task RunAsync(JobOccurrence occurrence, CancellationToken cancellationToken)
    {
        List<string> waiting;
        await using (var scope = scopes.CreateAsyncScope())
        {
            waiting = await scope.ServiceProvider.GetRequiredService<SupportDbContext>().Set<DigestItem>().Select(i => i.Subject).Distinct()
                .OrderBy(s => s).ToListAsync(cancellationToken);
        }

        foreach (var subject in waiting)
        {
            await SendDigestAsync(subject, cancellationToken);
        }
    }

    private async Task SendDigestAsync(string subject, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SupportDbContext>();
        var preferencesLink = TicketNotifications.PreferencesLink(scope.ServiceProvider.GetRequiredService<IConfiguration>());
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var items = await db.Set<DigestItem>()
                .FromSql($"SELECT * FROM notification_digest_items WHERE subject = {subject} ORDER BY id FOR UPDATE SKIP LOCKED")
                .AsTracking().ToListAsync(cancellationToken);
            if (items.Count == 0)
            {
                return;
            }

            var person = (await MailablePeople.FindAsync(db, [subject], groupCode: null, except: null, cancellationToken)).SingleOrDefault();
            List<string> lines = [.. items.Take(MaxLines).Select(i => i.Line)];
            if (items.Count > MaxLines)
            {
                lines.Add($"... und {items.Count - MaxLines} weitere.");
            }

            var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, BusinessCalendar.Berlin).DateTime);
            if (person is null || !TicketNotifications.TryQueue(db, SupportMailKind.DailyDigest, person.Email, person.DisplayName,
                    TicketMailTexts.Digest(person.DisplayName, day, lines, items.Count, preferencesLink), $"digest:{subject}", now))
            {
                // Deactivated since, or no address any more: what was collected for them goes with them.
                LogDropped(logger, items.Count);
            }

            db.RemoveRange(items);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Dropped {Items} digest items of a person who can no longer be mailed")]
    private static partial void LogDropped(ILogger logger, int items);
}
