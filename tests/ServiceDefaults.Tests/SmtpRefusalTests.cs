using MailKit.Net.Smtp;
using MailKit.Security;
using Mep.Mail;
using MimeKit;

namespace Mep.ServiceDefaults.Tests;

/// <summary>Which failures of a send are final (the mail is never tried again) and what the delivery record keeps of them.</summary>
public sealed class SmtpRefusalTests
{
    [Theory]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, true)]
    [InlineData(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.TransactionFailed, true)]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxBusy, false)]
    [InlineData(SmtpErrorCode.SenderNotAccepted, SmtpStatusCode.AuthenticationRequired, false)]
    [InlineData(SmtpErrorCode.SenderNotAccepted, SmtpStatusCode.MailboxUnavailable, false)]
    [InlineData(SmtpErrorCode.UnexpectedStatusCode, SmtpStatusCode.CommandUnrecognized, false)]
    public void Only_a_5xx_refusal_of_the_recipient_or_the_message_is_final(SmtpErrorCode error, SmtpStatusCode status, bool final) =>
        Assert.Equal(final, SmtpMailSender.IsPermanent(new SmtpCommandException(error, status, "refused")));

    [Fact]
    public void Connection_tls_sign_in_and_configuration_failures_are_tried_again()
    {
        Exception[] passing =
        [
            new System.Net.Sockets.SocketException(111), new SslHandshakeException("no TLS"), new AuthenticationException("535 wrong password"),
            new ParseException("bad sender address", 0, 0), new TimeoutException(),
        ];

        Assert.All(passing, failure => Assert.False(SmtpMailSender.IsPermanent(failure), failure.GetType().Name));
    }

    [Fact]
    public void A_recipient_address_no_mail_can_carry_is_final() =>
        Assert.True(SmtpMailSender.IsPermanent(new UnwritableRecipientException(Guid.NewGuid())));

    [Fact]
    public void The_record_keeps_the_reply_code_and_never_the_servers_text() =>
        Assert.Equal("550 RecipientNotAccepted", SmtpMailSender.ReasonOf(
            new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, "5.1.1 <jana.jung@stadt.example>: unknown")));

    [Theory]
    [InlineData("mep-plattform@stadt.example", 587, true)]
    [InlineData("MEP <mep-plattform@stadt.example>", 587, false)]
    [InlineData("mep-plattform", 587, false)]
    [InlineData("mep-plattform@stadt.example", 0, false)]
    [InlineData("mep-plattform@stadt.example", 70000, false)]
    public void The_sender_address_must_be_one_mailbox_and_the_port_a_port(string from, int port, bool valid)
    {
        var result = new MailOptionsValidation().Validate(null, new MailOptions { FromAddress = from, Port = port });

        Assert.Equal(valid, result.Succeeded);
    }

    [Fact]
    public void A_refused_setting_is_named_in_the_failure()
    {
        var result = new MailOptionsValidation().Validate(null, new MailOptions { FromAddress = "MEP-Plattform", Port = 0 });

        Assert.Equal(["Mail:FromAddress must be one mail address (name@domain, without a display name), not 'MEP-Plattform'.",
            "Mail:Port must be between 1 and 65535, not 0."], result.Failures);
    }
}
