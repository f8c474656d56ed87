namespace Mep.Support.Tests.Notifications;

/// <summary>While the SMTP server is away, mails wait and are retried; when it is back every one arrives, none twice.</summary>
public sealed class MailOutageTests(MailingSupport mail) : IClassFixture<MailingSupport>
{
    private SupportApi Api => mail.Api;

    [Fact]
    public async Task Mails_decided_while_the_smtp_server_is_down_for_30_seconds_all_arrive_once_after_it_returns()
    {
        string[] people = ["agent-jana", "agent-kai", "agent-lea"];
        foreach (var person in people)
        {
            await mail.PersonAsync(person, "agent", $"{person}@stadt.example");
        }

        var school = await Api.SchoolAsync();
        await mail.Smtp.StopAsync();
        foreach (var person in people)
        {
            var (ticket, _) = await mail.TicketAsync(school);
            await mail.AssignAsync(ticket, person);
        }

        // Not a poll for an outcome but the outage itself: the server stays away for 30 seconds, long enough for many retries at
        // the test's 2-second cap, so that the mails must survive repeated failed attempts (and none may arrive meanwhile).
        await Task.Delay(TimeSpan.FromSeconds(30));
        Assert.Empty(mail.Smtp.Mails);
        Assert.True(await Api.Database.ScalarAsync<long>("SELECT count(*) FROM mail_deliveries WHERE attempts > 1") == 3,
            "every mail was tried again and again while the server was away");

        await mail.Smtp.StartAgainAsync();

        var arrived = await mail.SettledAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(people.Select(p => $"{p}@stadt.example").Order(StringComparer.Ordinal),
            arrived.Select(m => Assert.Single(m.Recipients)).Order(StringComparer.Ordinal));
        Assert.Equal(3, arrived.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(3, await Api.Database.ScalarAsync<long>("SELECT count(*) FROM mail_deliveries WHERE state = 'Sent'"));
    }
}
