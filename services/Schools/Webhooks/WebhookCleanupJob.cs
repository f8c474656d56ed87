using Mep.Jobs;
using Mep.Schools.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mep.Schools.Webhooks;

/// <summary>
/// Removes webhook events older than <see cref="WebhookOptions.Retention"/> (30 days) with their deliveries and delivery logs, also
/// deliveries that waited that long on a paused subscription: after a month the school's software has read its data through the API.
/// </summary>
public sealed partial class WebhookCleanupJob(
    SchoolsDbContext db, IOptions<WebhookOptions> options, TimeProvider clock, JobRunLog runs, ILogger<WebhookCleanupJob> logger)
    : RecurringJob(runs, logger)
{
    public const string Name = "webhook-cleanup";

    protected override async Task RunAsync(JobOccurrence occurrence, CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow() - options.Value.Retention;
        // Deliveries and their attempts go with their event (ON DELETE CASCADE).
        var removed = await db.Set<WebhookEvent>().Where(e => e.RecordedAt < before).ExecuteDeleteAsync(cancellationToken);
        LogCleanedUp(logger, removed);
    }

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "Webhook clean-up removed {Events} events with their deliveries")]
    private static partial void LogCleanedUp(ILogger logger, int events);
}
