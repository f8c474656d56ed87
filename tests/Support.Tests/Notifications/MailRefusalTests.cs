namespace Mep.Support.Tests.Notifications;

/// <summary>
/// What the SMTP server refuses decides whether a mail is ever tried again: a refused recipient is final, a refused sender (the
/// platform's own configuration) is not. The delivery record keeps the reply's code, never the server's text, which may name the
/// recipient.
/// </summary>
public sealed class MailRefusalTests(MailingSupport mail) : IClassFixture<MailingSupport>
{
    private SupportApi Api => mail.Api;

    [Fact]
    public async Task A_recipient_the_server_refuses_is_rejected_for_good_and_its_record_keeps_only_the_reply_code()
    {
        var before = mail.Smtp.Mails.Count;
        await mail.PersonAsync("agent-olga", "agent", "olga.ott@stadt.example");
        mail.Smtp.RefuseRecipient("olga.ott@stadt.example");
        var (ticket, _) = await mail.TicketAsync(await Api.SchoolAsync());

        await mail.AssignAsync(ticket, "agent-olga");

        Assert.Empty((await mail.SettledAsync()).Skip(before));
        Assert.Equal("Rejected|1|550 RecipientNotAccepted", await mail.DeliveryToAsync("olga.ott@stadt.example"));
    }

    [Fact]
    public async Task A_sender_the_server_refuses_is_tried_again_and_the_mail_arrives_once_the_server_takes_it()
    {
        var before = mail.Smtp.Mails.Count;
        await mail.PersonAsync("agent-paul", "agent", "paul.pohl@stadt.example");
        var (ticket, _) = await mail.TicketAsync(await Api.SchoolAsync());
        mail.Smtp.RefusesSender = true;
        try
        {
            await mail.AssignAsync(ticket, "agent-paul");

            await Eventually.AssertAsync(async () => await mail.DeliveryToAsync("paul.pohl@stadt.example") is { } delivery
                && delivery.StartsWith("Failed|", StringComparison.Ordinal) && !delivery.StartsWith("Failed|1|", StringComparison.Ordinal)
                && delivery.EndsWith(" SenderNotAccepted", StringComparison.Ordinal),
                "the refused mail tried again and again, its record naming the reply code only");
        }
        finally
        {
            mail.Smtp.RefusesSender = false;
        }

        var only = Assert.Single((await mail.SettledAsync()).Skip(before));
        Assert.Equal(["paul.pohl@stadt.example"], only.Recipients);
        Assert.StartsWith("Sent|", await mail.DeliveryToAsync("paul.pohl@stadt.example"), StringComparison.Ordinal);
    }
}
