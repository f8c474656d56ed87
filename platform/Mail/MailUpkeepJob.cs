using Mep.Jobs;
using Mep.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mep.Mail;

/// <summary>
/// Every few minutes: mails that used up their retries while the SMTP server stayed away go back from the error queue to the mail
/// queue (their records keep them from going out twice), so a mail waits for the server however long it is away; and delivery
/// records older than <see cref="MailOptions.Retention"/> go.
/// </summary>
public sealed partial class MailUpkeepJob<TContext>(
    TContext db, ErrorQueues errorQueues, IOptions<MessagingOptions> messaging, IOptions<MailOptions> mail, TimeProvider clock, JobRunLog runs,
    ILogger<MailUpkeepJob<TContext>> logger) : RecurringJob(runs, logger) where TContext : DbContext
{
    public const string Name = "mail-upkeep";

    /// <summary>Most mails put back per run; more wait for the next.</summary>
    private const int MaxReplayed = 10_000;

    protected override async Task RunAsync(JobOccurrence occurrence, CancellationToken cancellationToken)
    {
        var replay = await errorQueues.ReplayAsync(MailSetup.QueueOf(messaging.Value.EndpointPrefix), MaxReplayed, cancellationToken);
        if (replay.BrokerError is { } error)
        {
            throw new InvalidOperationException($"Parked mails could not be put back: {error}");
        }

        var before = clock.GetUtcNow() - mail.Value.Retention;
        var removed = await db.Set<MailDelivery>().Where(d => d.ClaimedAt < before).ExecuteDeleteAsync(cancellationToken);
        LogUpkeep(logger, replay.Replayed, removed);
    }

    [LoggerMessage(EventId = 8005, Level = LogLevel.Information, Message = "Mail upkeep put {Replayed} parked mails back and removed {Removed} old delivery records")]
    private static partial void LogUpkeep(ILogger logger, int replayed, int removed);
}
