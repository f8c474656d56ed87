using MailKit.Net.Smtp;
using MailKit.Security;
using Mep.Contracts.Mail;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Text;

namespace Mep.Mail;

/// <summary>The one place the platform talks SMTP (MailKit): one connection per mail, as configured in <see cref="MailOptions"/>.</summary>
public sealed partial class SmtpMailSender(IOptions<MailOptions> options, ILogger<SmtpMailSender> logger)
{
    public bool IsConfigured => options.Value.IsConfigured;

    /// <summary>
    /// Sends the mail; once the server has accepted it (the reply to its data), it counts as sent whatever the goodbye does: a failed
    /// QUIT must not make the caller try the mail again, which would deliver it twice.
    /// </summary>
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var host = settings.Host ?? throw new InvalidOperationException("No SMTP server is configured (Mail:Host).");
        if (!IsWritableAddress(mail.ToAddress))
        {
            throw new UnwritableRecipientException(mail.MailId);
        }

        var message = Compose(mail);
        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        await client.ConnectAsync(host, settings.Port, SocketOptionsOf(settings.Tls), cancellationToken);
        if (!string.IsNullOrEmpty(settings.UserName) && settings.Password is not null)
        {
            await client.AuthenticateAsync(settings.UserName, settings.Password, cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        try
        {
            // Not the consumer's token: a shutdown now must not turn a delivered mail into a failed one. Whatever the goodbye
            // throws (the server closed first, answered QUIT with an error, timed out) changes nothing about the delivery.
            await client.DisconnectAsync(quit: true, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogDisconnectFailed(logger, mail.MailId, e.GetType().Name);
        }
    }

    /// <summary>
    /// Whether the failure is final: the server refused the recipient or the message for good (a 5xx reply to RCPT TO or to the data),
    /// or the recipient's address cannot be written into a mail. Anything else is retried: no connection, TLS, a 4xx, a timeout, a
    /// failed sign-in or a refused sender (530 authentication required, 550 sender not allowed) are the platform's configuration or
    /// the server's state, and once they are put right every waiting mail goes out.
    /// </summary>
    public static bool IsPermanent(Exception failure) => failure switch
    {
        SmtpCommandException refused => (int)refused.StatusCode >= 500
            && refused.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted,
        UnwritableRecipientException => true,
        _ => false,
    };

    /// <summary>
    /// What a failure is, without the server's text, which may name the recipient: "550 RecipientNotAccepted" for a refusal,
    /// the exception's type otherwise. Kept in the delivery record and the logs, which hold no personal data.
    /// </summary>
    public static string ReasonOf(Exception failure) => failure is SmtpCommandException refused
        ? $"{(int)refused.StatusCode} {refused.ErrorCode}"
        : failure.GetType().Name;

    /// <summary>Whether MimeKit can write the address into a mail; a mail to one it cannot is refused before it is queued.</summary>
    public static bool IsWritableAddress(string address) =>
        MailboxAddress.TryParse(address, out var parsed) && parsed.Address == address && address.Contains('@', StringComparison.Ordinal);

    /// <summary>The mail as it goes out: UTF-8 plain text, its Message-Id from the mail's id, marked as sent by a machine.</summary>
    private MimeMessage Compose(OutgoingMail mail)
    {
        var settings = options.Value;
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(settings.FromName, settings.FromAddress));
        message.To.Add(new MailboxAddress(mail.ToName ?? string.Empty, mail.ToAddress));
        message.Subject = mail.Subject;
        message.MessageId = MessageIdOf(mail.MailId, settings);
        // RFC 3834: out-of-office replies and other auto-responders leave it alone.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        var body = new TextPart(TextFormat.Plain);
        body.SetText(System.Text.Encoding.UTF8, mail.Body);
        message.Body = body;
        return message;
    }

    private static string MessageIdOf(Guid mailId, MailOptions settings)
    {
        var domain = settings.MessageIdDomain;
        if (string.IsNullOrWhiteSpace(domain))
        {
            var at = settings.FromAddress.LastIndexOf('@');
            domain = at >= 0 ? settings.FromAddress[(at + 1)..] : "localhost";
        }

        return $"{mailId:N}@{domain}";
    }

    private static SecureSocketOptions SocketOptionsOf(MailTls tls) => tls switch
    {
        MailTls.None => SecureSocketOptions.None,
        MailTls.StartTls => SecureSocketOptions.StartTls,
        MailTls.StartTlsWhenAvailable => SecureSocketOptions.StartTlsWhenAvailable,
        MailTls.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => throw new ArgumentOutOfRangeException(nameof(tls), tls, "Unknown TLS mode."),
    };

    [LoggerMessage(EventId = 8006, Level = LogLevel.Debug, Message = "Mail {MailId} was accepted; closing the SMTP session failed ({Reason}), which changes nothing")]
    private static partial void LogDisconnectFailed(ILogger logger, Guid mailId, string reason);
}

/// <summary>The recipient's address cannot be written into a mail: no server will ever take it, so the mail is refused for good.</summary>
public sealed class UnwritableRecipientException(Guid mailId) : Exception($"Mail {mailId}: the recipient's address cannot be written into a mail.");
