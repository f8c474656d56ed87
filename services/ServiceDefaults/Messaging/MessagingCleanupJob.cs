using Mep.ServiceDefaults.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;

namespace Mep.ServiceDefaults.Messaging;

/// <summary>Removes delivered outbox rows and processed inbox ids older than the retention period (default 7 days).</summary>
public sealed partial class MessagingCleanupJob<TContext>(
    TContext db, IOptions<MessagingOptions> options, TimeProvider clock, JobRunLog runs, ILogger<MessagingCleanupJob<TContext>> logger)
    : RecurringJob(runs, logger) where TContext : DbContext
{
    protected override async Task RunAsync(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow() - options.Value.Retention;
        var outbox = await db.Set<OutboxMessage>().Where(m => m.PublishedAt < before).ExecuteDeleteAsync(cancellationToken);
        var inbox = await db.Set<InboxMessage>().Where(m => m.ProcessedAt < before).ExecuteDeleteAsync(cancellationToken);
        LogCleanedUp(logger, outbox, inbox);
    }

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Messaging clean-up removed {Outbox} delivered and {Inbox} processed rows")]
    private static partial void LogCleanedUp(ILogger logger, int outbox, int inbox);
}
