using Mep.ServiceDefaults.Http;
using Mep.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mep.Messaging;

/// <summary>
/// Removes delivered outbox rows, processed inbox ids and stored idempotent answers older than the retention
/// period (default 7 days): a client retrying later than that is sending a new request.
/// </summary>
public sealed partial class MessagingCleanupJob<TContext>(
    TContext db, IOptions<MessagingOptions> options, TimeProvider clock, JobRunLog runs, ILogger<MessagingCleanupJob<TContext>> logger)
    : RecurringJob(runs, logger) where TContext : DbContext
{
    protected override async Task RunAsync(JobOccurrence occurrence, CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow() - options.Value.Retention;
        var outbox = await db.Set<OutboxMessage>().Where(m => m.PublishedAt < before).ExecuteDeleteAsync(cancellationToken);
        var inbox = await db.Set<InboxMessage>().Where(m => m.ProcessedAt < before).ExecuteDeleteAsync(cancellationToken);
        var answers = await db.Set<IdempotentRequest>().Where(r => r.CreatedAt < before).ExecuteDeleteAsync(cancellationToken);
        LogCleanedUp(logger, outbox, inbox, answers);
    }

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Messaging clean-up removed {Outbox} delivered, {Inbox} processed and {Answers} idempotent-answer rows")]
    private static partial void LogCleanedUp(ILogger logger, int outbox, int inbox, int answers);
}
