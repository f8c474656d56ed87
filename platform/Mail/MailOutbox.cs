using Mep.Contracts.Mail;
using Mep.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Mep.Mail;

/// <summary>How a feature decides a mail: in its service's outbox, with the change that causes it, to be sent once by the delivery.</summary>
public static class MailOutbox
{
    /// <summary>
    /// Writes the mail, inside the service's <typeparamref name="TEvent"/> (made by <paramref name="queued"/>), to the outbox of
    /// <paramref name="db"/>, saved with the caller's change. A mail to an address that cannot be written into a mail is not queued: no
    /// server would take it.
    /// </summary>
    /// <param name="kind">What the mail is about, camelCase (<see cref="OutgoingMail.Kind"/>).</param>
    /// <param name="aggregateId">The outbox's ordering key: the ticket, the mailbox, ... the mail is about.</param>
    /// <returns>Whether the mail was queued.</returns>
    public static bool TryAdd<TEvent>(DbContext db, Func<OutgoingMail, DateTimeOffset, TEvent> queued, string kind, string toAddress, string? toName,
        (string Subject, string Body) text, string aggregateId, DateTimeOffset now)
        where TEvent : class, IQueuedMail
    {
        if (!SmtpMailSender.IsWritableAddress(toAddress))
        {
            return false;
        }

        var mail = new OutgoingMail(Guid.CreateVersion7(now), kind, toAddress, toName, text.Subject, text.Body);
        db.AddIntegrationEvent(queued(mail, now), aggregateId, now);
        return true;
    }
}
