using Microsoft.Extensions.Options;

namespace Mep.Mail;

/// <summary>How the SMTP connection is secured (MailKit's SecureSocketOptions, named for what an operator configures).</summary>
public enum MailTls
{
    /// <summary>Plain SMTP: only for a mail catcher on this machine (./mep up's smtp4dev) or a relay on a trusted network.</summary>
    None,

    /// <summary>STARTTLS, required: the send fails if the server does not offer it (submission on port 587).</summary>
    StartTls,

    /// <summary>STARTTLS when the server offers it, plain otherwise.</summary>
    StartTlsWhenAvailable,

    /// <summary>TLS from the first byte (implicit TLS, port 465).</summary>
    SslOnConnect,
}

/// <summary>Configuration section "Mail": the SMTP server every mail of this service goes through.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>The SMTP server. Without one, mail is switched off: decisions are still recorded, and each is marked skipped, not sent.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public MailTls Tls { get; set; } = MailTls.StartTls;

    /// <summary>Sign in with these when both are set (SMTP AUTH).</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string FromAddress { get; set; } = "mep-plattform@localhost";

    public string FromName { get; set; } = "MEP-Plattform";

    /// <summary>The right-hand side of each mail's Message-Id; the From address's domain when not set.</summary>
    public string? MessageIdDomain { get; set; }

    /// <summary>How long one SMTP step (connect, greeting, authentication, sending) may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a delivery retries in the consumer before the mail waits in the error queue for <see cref="MailUpkeepJob{TContext}"/>
    /// to put it back: below RabbitMQ's delivery acknowledgement timeout (30 minutes), which would otherwise close the channel.
    /// </summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>The longest pause between two attempts while the server is away: the first come after 1, 2, 4, ... seconds.</summary>
    public TimeSpan MaxRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long delivery records are kept: a copy of a mail redelivered later than that would be sent again.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    /// <summary>
    /// How long a claim of a mail stays with the delivery that made it: a second delivery of the same mail meanwhile waits. After
    /// it the delivery is taken for dead (its process crashed mid-send) and the mail is sent again, with the same Message-Id.
    /// One send is at most four SMTP steps, each within <see cref="Timeout"/>.
    /// </summary>
    public TimeSpan ClaimLease => Timeout * 4 + TimeSpan.FromSeconds(10);

    /// <summary>The pauses between attempts: doubling from a second up to <see cref="MaxRetryInterval"/>, until they add up to <see cref="RetryFor"/>.</summary>
    public IReadOnlyList<TimeSpan> RetryIntervals()
    {
        var intervals = new List<TimeSpan>();
        var total = TimeSpan.Zero;
        var next = TimeSpan.FromSeconds(1);
        var longest = MaxRetryInterval > TimeSpan.Zero ? MaxRetryInterval : next;
        while (total < RetryFor)
        {
            var pause = next < longest ? next : longest;
            intervals.Add(pause);
            total += pause;
            next = pause * 2;
        }

        return intervals;
    }
}

/// <summary>
/// Checks the "Mail" section when the service starts (ValidateOnStart): a sender address or port that no server can take would
/// otherwise show only as every mail failing, so the service refuses to start and says which setting is wrong.
/// </summary>
public sealed class MailOptionsValidation : IValidateOptions<MailOptions>
{
    public ValidateOptionsResult Validate(string? name, MailOptions options)
    {
        List<string> errors = [];
        if (!SmtpMailSender.IsWritableAddress(options.FromAddress))
        {
            errors.Add($"{MailOptions.Section}:FromAddress must be one mail address (name@domain, without a display name), not '{options.FromAddress}'.");
        }

        if (options.Port is < 1 or > 65535)
        {
            errors.Add($"{MailOptions.Section}:Port must be between 1 and 65535, not {options.Port}.");
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            errors.Add($"{MailOptions.Section}:Timeout must be longer than zero, not {options.Timeout}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
