namespace Mep.Support.Tests.Notifications;

/// <summary>The escalation job's SLA warnings and breaches mail the group holding the ticket, through a real SMTP server.</summary>
public sealed class SlaMailTests(MailingSupportOnTestClock mail) : IClassFixture<MailingSupportOnTestClock>
{
    private SupportApi Api => mail.Api;

    [Fact]
    public async Task An_sla_warning_mails_each_member_of_the_group_exactly_once()
    {
        var before = mail.Smtp.Mails.Count;
        await mail.PersonAsync("agent-ines", "agent", "ines.ilic@stadt.example");
        await Api.MemberAsync("service-desk", "agent-ines");
        var school = await Api.SchoolAsync();
        // P1 at the service desk: its level-1 first response is due after 30 business minutes, so warned at 22.5; the total first
        // response (60) and the level-1 resolution (240) are far from their 75 % 23 minutes later.
        var (ticket, number) = await mail.TicketAsync(school, impact: "high", urgency: "high");

        mail.Clock.Set(MailingSupportOnTestClock.MondayMorning.AddMinutes(23));

        await Eventually.AssertAsync(async () => await mail.QueuedToAsync("ines.ilic@stadt.example") >= 1, "the warning mail queued", TimeSpan.FromSeconds(30));
        var only = Assert.Single((await mail.SettledAsync()).Skip(before));
        Assert.Equal(["ines.ilic@stadt.example"], only.Recipients);
        Assert.Equal($"[MEP-Support] SLA-Warnung: Ticket #{number}, 75 % der Frist für die Erstreaktion auf Stufe 1 verbraucht", only.Subject);
        Assert.Contains("fällig 16.11.2026 08:30 Uhr", only.Body, StringComparison.Ordinal);
        Assert.Contains($"{school.Number} GY Testschule {school.Number}", only.Body, StringComparison.Ordinal);
        Assert.Equal(1, await Api.Database.ScalarAsync<long>($"SELECT count(*) FROM notifications WHERE ticket_id = '{ticket}'"));
    }
}
