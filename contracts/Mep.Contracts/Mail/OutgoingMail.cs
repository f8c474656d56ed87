namespace Mep.Contracts.Mail;

/// <summary>
/// A mail a service decided to send, complete: recipient, subject and text as they will go out. The decision is written to the
/// service's outbox in the same transaction as the change that caused it, inside the service's own <see cref="IQueuedMail"/> event,
/// and the service's mail delivery sends it; <paramref name="MailId"/> makes the send idempotent (and is the mail's Message-Id).
/// Mails carry no pupil data: what a service puts in <paramref name="Body"/> is built from ids, numbers, names of schools and
/// staff, and links, never from free text a school wrote.
/// </summary>
/// <param name="Kind">What the mail is about, for the delivery record and logs (ticketAssigned, slaWarning, deadlineWarnings, ...).</param>
/// <param name="ToName">The recipient's display name, or null for a mailbox without one.</param>
public sealed record OutgoingMail(Guid MailId, string Kind, string ToAddress, string? ToName, string Subject, string Body);

/// <summary>
/// A service's event that carries a mail to send. Each sending service has its own (SupportMailQueued, FundingMailQueued): the
/// broker routes by type, so each service's delivery receives only its own mails.
/// </summary>
public interface IQueuedMail
{
    OutgoingMail Mail { get; }
}
