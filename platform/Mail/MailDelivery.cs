using Microsoft.EntityFrameworkCore;

namespace Mep.Mail;

public enum MailDeliveryState
{
    /// <summary>Recorded, never tried yet.</summary>
    Queued,

    /// <summary>A delivery claimed it and is talking to the SMTP server now (or crashed while it did).</summary>
    Sending,

    /// <summary>The SMTP server accepted it.</summary>
    Sent,

    /// <summary>An attempt failed before the server accepted it (server away, temporary refusal): the next delivery tries again.</summary>
    Failed,

    /// <summary>The server refused it for good (5xx), or the address cannot be written: never tried again.</summary>
    Rejected,

    /// <summary>No SMTP server is configured (<see cref="MailOptions.Host"/>): recorded, not sent.</summary>
    Skipped,
}

/// <summary>What a delivery of a mail may do, decided on its record under the record's lock.</summary>
public enum MailClaim
{
    /// <summary>Send it: first attempt, or the one before failed.</summary>
    Send,

    /// <summary>Send it again although an earlier attempt may have reached the server: that delivery died mid-send.</summary>
    SendAfterUncertainAttempt,

    /// <summary>Already sent, refused or skipped: this delivery is a copy and does nothing.</summary>
    Done,

    /// <summary>Another delivery of the same mail is sending it now: wait and ask again.</summary>
    InProgress,
}

/// <summary>
/// The idempotency record of one mail: a redelivered copy of its event finds it and sends nothing a second time. The send itself
/// cannot share a transaction with the record, so the record is claimed before and finished after it; see <see cref="Claim"/> for
/// the window between the server's acceptance and the finish.
/// </summary>
public sealed class MailDelivery
{
    private MailDelivery()
    {
    }

    public Guid MailId { get; private set; }
    public string Kind { get; private set; } = string.Empty;
    public MailDeliveryState State { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset ClaimedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>
    /// Why the last attempt failed, as the reply code and MailKit's error code ("550 RecipientNotAccepted") or the exception's type:
    /// never the server's text, which may name the recipient, so the table holds no personal data.
    /// </summary>
    public string? LastError { get; private set; }

    /// <summary>
    /// The record as a mail's first delivery writes it (the consumer inserts it in SQL, so that two first deliveries at once make one row).
    /// </summary>
    public static MailDelivery Queued(Guid mailId, string kind, DateTimeOffset now) =>
        new() { MailId = mailId, Kind = kind, State = MailDeliveryState.Queued, ClaimedAt = now };

    /// <summary>
    /// Claims the mail for this delivery. A claim older than <paramref name="lease"/> belongs to a delivery that died while sending:
    /// whether the server took the mail then is unknown (it may have answered 250 just before the crash). The mail goes again,
    /// with the same Message-Id, so mail clients and servers that deduplicate by it show one copy: at least once in that window
    /// of milliseconds, never lost.
    /// </summary>
    public MailClaim Claim(DateTimeOffset now, TimeSpan lease)
    {
        var claim = State switch
        {
            MailDeliveryState.Queued or MailDeliveryState.Failed => MailClaim.Send,
            MailDeliveryState.Sending when now - ClaimedAt >= lease => MailClaim.SendAfterUncertainAttempt,
            MailDeliveryState.Sending => MailClaim.InProgress,
            _ => MailClaim.Done,
        };
        if (claim is MailClaim.Send or MailClaim.SendAfterUncertainAttempt)
        {
            (State, ClaimedAt, Attempts) = (MailDeliveryState.Sending, now, Attempts + 1);
        }

        return claim;
    }

    public void Sent(DateTimeOffset now) => Finish(MailDeliveryState.Sent, now, null);

    public void Failed(DateTimeOffset now, string error) => Finish(MailDeliveryState.Failed, now, error);

    public void Rejected(DateTimeOffset now, string error) => Finish(MailDeliveryState.Rejected, now, error);

    public void Skipped(DateTimeOffset now) => Finish(MailDeliveryState.Skipped, now, "No SMTP server configured (Mail:Host).");

    private void Finish(MailDeliveryState state, DateTimeOffset now, string? error)
    {
        if (State != MailDeliveryState.Sending)
        {
            throw new InvalidOperationException($"Mail {MailId} is {State}, not being sent by this delivery.");
        }

        (State, FinishedAt, LastError) = (state, now, error is null ? null : error.Length <= MaxError ? error : error[..MaxError]);
    }

    private const int MaxError = 2_000;
}

public static class MailTables
{
    /// <summary>Maps the delivery records (created by the mail module's migration) into a service's model.</summary>
    public static ModelBuilder AddMailTables(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<MailDelivery>(delivery =>
        {
            delivery.ToTable("mail_deliveries");
            delivery.HasKey(d => d.MailId);
            delivery.Property(d => d.MailId).ValueGeneratedNever();
            delivery.HasIndex(d => d.ClaimedAt);
        });
        return modelBuilder;
    }
}
