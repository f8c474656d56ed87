using MailKit.Net.Smtp;
using MailKit.Security;
using Mep.Contracts.Mail;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Text;

namespace Mep.Mail;

/// <summary>The one place the platform talks SMTP (MailKit): one connection per mail, as configured in <see cref="MailOptions"/>.</summary>
public sealed class SmtpMailSender(IOptions<MailOptions> options)
{
    public bool IsConfigured => options.Value.IsConfigured;

    /// <summary>The mail as it goes out: UTF-8 plain text, its Message-Id from the mail's id, marked as sent by a machine.</summary>
    public MimeMessage Compose(OutgoingMail mail)
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

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var host = settings.Host ?? throw new InvalidOperationException("No SMTP server is configured (Mail:Host).");
        var message = Compose(mail);
        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        await client.ConnectAsync(host, settings.Port, SocketOptionsOf(settings.Tls), cancellationToken);
        if (!string.IsNullOrEmpty(settings.UserName) && settings.Password is not null)
        {
            await client.AuthenticateAsync(settings.UserName, settings.Password, cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }

    /// <summary>
    /// Whether the failure is final: the server refused the mail for good (a 5xx reply to the sender, a recipient or the data), or the
    /// address cannot be written into a mail. Anything else (no connection, a 4xx, a timeout, a failed sign-in) may pass, and is retried.
    /// </summary>
    public static bool IsPermanent(Exception failure) => failure switch
    {
        SmtpCommandException refused => (int)refused.StatusCode >= 500,
        ParseException => true,
        _ => false,
    };

    /// <summary>Whether MimeKit can write the address into a mail; a mail to one it cannot is refused before it is queued.</summary>
    public static bool IsWritableAddress(string address) =>
        MailboxAddress.TryParse(address, out var parsed) && parsed.Address == address && address.Contains('@', StringComparison.Ordinal);

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
}
