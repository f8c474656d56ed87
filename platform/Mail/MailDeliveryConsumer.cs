using MassTransit;
using Mep.Contracts.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mep.Mail;

/// <summary>
/// Sends the mails of one service's <typeparamref name="TMessage"/> events, each once: the mail's record is claimed before the send and
/// finished after it (<see cref="MailDelivery"/>), so a redelivered copy sends nothing again. A failure the server may recover from is
/// thrown to the bus, whose retries for this queue (<see cref="MailRetryPolicy"/>) go on for minutes: a mail waits while the server is
/// away, and goes out when it is back.
/// </summary>
public sealed partial class MailDeliveryConsumer<TMessage, TContext>(
    TContext db, SmtpMailSender sender, IOptions<MailOptions> options, TimeProvider clock, ILogger<MailDeliveryConsumer<TMessage, TContext>> logger)
    : IConsumer<TMessage>
    where TMessage : class, IQueuedMail
    where TContext : DbContext
{
    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var mail = context.Message.Mail;
        var cancellationToken = context.CancellationToken;
        var claim = await ClaimAsync(mail, cancellationToken);
        switch (claim)
        {
            case MailClaim.Done:
                return;
            case MailClaim.InProgress:
                throw new MailInProgressException(mail.MailId);
            case MailClaim.SendAfterUncertainAttempt:
                LogUncertainAttempt(logger, mail.MailId, mail.Kind);
                break;
        }

        if (!sender.IsConfigured)
        {
            await FinishAsync(mail.MailId, delivery => delivery.Skipped(clock.GetUtcNow()), cancellationToken);
            LogSkipped(logger, mail.MailId, mail.Kind);
            return;
        }

        try
        {
            await sender.SendAsync(mail, cancellationToken);
        }
        catch (Exception e) when (SmtpMailSender.IsPermanent(e))
        {
            var reason = SmtpMailSender.ReasonOf(e);
            await FinishAsync(mail.MailId, delivery => delivery.Rejected(clock.GetUtcNow(), reason), CancellationToken.None);
            LogRejected(logger, mail.MailId, mail.Kind, reason);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The server did not take it (away, a 4xx, a timeout): free the claim, so the bus's next attempt sends at once.
            await FinishAsync(mail.MailId, delivery => delivery.Failed(clock.GetUtcNow(), SmtpMailSender.ReasonOf(e)), CancellationToken.None);
            throw;
        }

        try
        {
            await FinishAsync(mail.MailId, delivery => delivery.Sent(clock.GetUtcNow()), CancellationToken.None);
        }
        catch (Exception e)
        {
            // The server has the mail. Throwing now would have the bus deliver this message again, and the mail would go out a second
            // time at once; returning acknowledges it, and nothing redelivers it. The record stays claimed: only a copy of the event
            // arriving after the claim's lease (a republished outbox row) would send it again, with the same Message-Id.
            LogSentNotRecorded(logger, e, mail.MailId, mail.Kind);
            return;
        }

        LogSent(logger, mail.MailId, mail.Kind);
    }

    /// <summary>The record, made on the first delivery and locked, and this delivery's claim on it, committed before the send.</summary>
    private Task<MailClaim> ClaimAsync(OutgoingMail mail, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            var now = clock.GetUtcNow();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // In SQL, so that two first deliveries at once make one row; the row is the record as MailDelivery.Queued makes it.
            var queued = MailDelivery.Queued(mail.MailId, mail.Kind, now);
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO mail_deliveries (mail_id, kind, state, attempts, claimed_at)
                VALUES ({queued.MailId}, {queued.Kind}, {queued.State.ToString()}, {queued.Attempts}, {queued.ClaimedAt})
                ON CONFLICT DO NOTHING
                """, cancellationToken);
            var delivery = await LockedAsync(mail.MailId, cancellationToken);
            var claim = delivery.Claim(now, options.Value.ClaimLease);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return claim;
        });

    private Task FinishAsync(Guid mailId, Action<MailDelivery> finish, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            finish(await LockedAsync(mailId, cancellationToken));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });

    private Task<MailDelivery> LockedAsync(Guid mailId, CancellationToken cancellationToken) =>
        db.Set<MailDelivery>().FromSql($"SELECT * FROM mail_deliveries WHERE mail_id = {mailId} FOR UPDATE").AsTracking().SingleAsync(cancellationToken);

    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Mail {MailId} ({Kind}) sent")]
    private static partial void LogSent(ILogger logger, Guid mailId, string kind);

    [LoggerMessage(EventId = 8007, Level = LogLevel.Error,
        Message = "Mail {MailId} ({Kind}) was accepted by the SMTP server, but recording it as sent failed; it is not sent again")]
    private static partial void LogSentNotRecorded(ILogger logger, Exception exception, Guid mailId, string kind);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Error, Message = "Mail {MailId} ({Kind}) refused for good ({Reason}); not sent")]
    private static partial void LogRejected(ILogger logger, Guid mailId, string kind, string reason);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Warning, Message = "Mail {MailId} ({Kind}) not sent: no SMTP server is configured (Mail:Host)")]
    private static partial void LogSkipped(ILogger logger, Guid mailId, string kind);

    [LoggerMessage(EventId = 8004, Level = LogLevel.Warning,
        Message = "Mail {MailId} ({Kind}) is sent again: an earlier delivery died while sending it (same Message-Id, a duplicate is possible)")]
    private static partial void LogUncertainAttempt(ILogger logger, Guid mailId, string kind);
}

/// <summary>Another delivery of the same mail holds its claim; the bus retries this one later, when that one has finished.</summary>
public sealed class MailInProgressException(Guid mailId) : Exception($"Mail {mailId} is being sent by another delivery.");
