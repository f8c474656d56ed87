using System.Net;
using Mep.Support.Data;
using Mep.Support.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Tests.Notifications;

/// <summary>
/// Ticket changes mail the right people through a real SMTP server: exactly one mail to each, with the German subject, nothing
/// else arriving, and no free text of the ticket in any of them.
/// </summary>
public sealed class TicketMailTests(MailingSupport mail) : IClassFixture<MailingSupport>
{
    private SupportApi Api => mail.Api;

    [Fact]
    public async Task An_assignment_mails_the_assignee_exactly_once()
    {
        var before = mail.Smtp.Mails.Count;
        await mail.PersonAsync("agent-bea", "agent", "bea.becker@stadt.example");
        var school = await Api.SchoolAsync();
        var (ticket, number) = await mail.TicketAsync(school);

        await mail.AssignAsync(ticket, "agent-bea");

        var arrived = (await mail.SettledAsync()).Skip(before).ToList();
        var only = Assert.Single(arrived);
        Assert.Equal(["bea.becker@stadt.example"], only.Recipients);
        Assert.Equal($"[MEP-Support] Ticket #{number} wurde Ihnen zugewiesen: Schulportal, {school.Number} GY Testschule {school.Number}", only.Subject);
        Assert.Equal("mep-plattform@stadt.example", Assert.Single(only.Message.From.Mailboxes).Address);
        Assert.Contains($"/api/support/tickets/{ticket}", only.Body, StringComparison.Ordinal);
        // The report's free text (title and description) stays in the ticket.
        Assert.DoesNotContain("Since this morning", only.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Fault: portal", only.Body + only.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Taking_a_ticket_yourself_mails_nobody()
    {
        var before = mail.Smtp.Mails.Count;
        await mail.PersonAsync("agent-cem", "agent", "cem.celik@stadt.example");
        var (ticket, _) = await mail.TicketAsync(await Api.SchoolAsync());

        await mail.AssignAsync(ticket, "agent-cem", by: Api.ClientAs("agent", "agent-cem"));

        Assert.Equal(0, await mail.QueuedToAsync("cem.celik@stadt.example"));
        Assert.Empty((await mail.SettledAsync()).Skip(before));
    }

    [Fact]
    public async Task An_escalation_mails_each_member_of_the_group_it_moved_to_exactly_once()
    {
        var before = mail.Smtp.Mails.Count;
        await mail.PersonAsync("spec-dana", "specialist", "dana.dietz@stadt.example");
        await Api.MemberAsync("it-department", "spec-dana");
        var school = await Api.SchoolAsync();
        var (ticket, number) = await mail.TicketAsync(school);

        await SupportApi.PostOkAsync(Api.Agent, $"/api/support/tickets/{ticket}/escalation", new { reason = "Needs the switch configuration." });

        var only = Assert.Single((await mail.SettledAsync()).Skip(before));
        Assert.Equal(["dana.dietz@stadt.example"], only.Recipients);
        Assert.Equal($"[MEP-Support] Ticket #{number} an Ihre Gruppe eskaliert: Schulportal, {school.Number} GY Testschule {school.Number}", only.Subject);
        Assert.DoesNotContain("switch configuration", only.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_moves_in_one_change_mail_each_group_the_ticket_reached_once()
    {
        var before = mail.Smtp.Mails.Count;
        await mail.PersonAsync("spec-erik", "specialist", "erik.ernst@stadt.example");
        await Api.MemberAsync("manufacturer", "spec-erik");
        await mail.PersonAsync("spec-fee", "specialist", "fee.fuchs@stadt.example");
        await Api.MemberAsync("tablet-provider", "spec-fee");
        var (ticket, _) = await mail.TicketAsync(await Api.SchoolAsync());

        // No endpoint moves a ticket twice in one change; the escalation job or a later one may, so the change is made as they would.
        await using (var scope = Api.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SupportDbContext>();
            var writer = scope.ServiceProvider.GetRequiredService<TicketWriter>();
            var stored = await db.Tickets.AsTracking().SingleAsync(t => t.Id == ticket);
            stored.MoveToLevel(3, "manufacturer", "A warranty case.", "agent-test", writer.Now);
            stored.MoveToLevel(3, "tablet-provider", "Under the parents' contract after all.", "agent-test", writer.Now);
            await writer.SaveAsync(stored, respondedAtLevel: false, CancellationToken.None);
        }

        var arrived = (await mail.SettledAsync()).Skip(before).OrderBy(m => m.Recipients[0], StringComparer.Ordinal).ToList();
        Assert.Equal(["erik.ernst@stadt.example", "fee.fuchs@stadt.example"], arrived.Select(m => Assert.Single(m.Recipients)));
        Assert.Contains("liegt jetzt bei Ihrer Gruppe Hersteller (Gewährleistung) (eskaliert)", arrived[0].Body, StringComparison.Ordinal);
        Assert.Contains("Stufe:       3 (Hersteller (Gewährleistung))", arrived[0].Body, StringComparison.Ordinal);
        Assert.Contains("liegt jetzt bei Ihrer Gruppe Tablet-Anbieter (Elternvertrag) (eskaliert)", arrived[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_public_answer_by_staff_mails_the_schools_contact_address_exactly_once()
    {
        var before = mail.Smtp.Mails.Count;
        var school = await Api.SeedSchoolAsync(new SchoolSeed { AtMepStandard = true, ContactEmail = "sekretariat@gy-answered.example" });
        var (ticket, number) = await mail.TicketAsync(school);

        await SupportApi.PostOkAsync(Api.Agent, $"/api/support/tickets/{ticket}/comments", new { body = "Bitte starten Sie den Router neu." });

        var only = Assert.Single((await mail.SettledAsync()).Skip(before));
        Assert.Equal(["sekretariat@gy-answered.example"], only.Recipients);
        Assert.Equal($"Ihre Störungsmeldung #{number} wurde beantwortet", only.Subject);
        Assert.DoesNotContain("Router", only.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_internal_note_and_the_schools_own_comment_mail_nobody()
    {
        var before = mail.Smtp.Mails.Count;
        var school = await Api.SeedSchoolAsync(new SchoolSeed { AtMepStandard = true, ContactEmail = "sekretariat@gy-internal.example" });
        var (ticket, _) = await mail.TicketAsync(school);

        await SupportApi.PostOkAsync(Api.Agent, $"/api/support/tickets/{ticket}/comments", new { body = "Vendor informed.", @internal = true });
        await SupportApi.PostOkAsync(Api.ClientFor(school), $"/api/support/tickets/{ticket}/comments", new { body = "Still broken." });

        Assert.Equal(0, await mail.QueuedToAsync("sekretariat@gy-internal.example"));
        Assert.Empty((await mail.SettledAsync()).Skip(before));
    }

    [Fact]
    public async Task Resolving_a_ticket_mails_the_schools_contact_address_exactly_once()
    {
        var before = mail.Smtp.Mails.Count;
        var school = await Api.SeedSchoolAsync(new SchoolSeed { AtMepStandard = true, ContactEmail = "it@gy-resolved.example" });
        var (ticket, number) = await mail.TicketAsync(school);

        var response = await Api.Agent.PostAsync($"/api/support/tickets/{ticket}/status", Json.Body(new { status = "resolved" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var only = Assert.Single((await mail.SettledAsync()).Skip(before));
        Assert.Equal(["it@gy-resolved.example"], only.Recipients);
        Assert.Equal($"Ihre Störungsmeldung #{number} wurde gelöst", only.Subject);
    }
}
