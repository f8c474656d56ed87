using System.Net;
using Hangfire;
using Mep.Support.Notifications;

namespace Mep.Support.Tests.Notifications;

/// <summary>Each person chooses which mails they get, and a daily digest instead of single mails; admins can choose for them.</summary>
public sealed class NotificationPreferenceTests(MailingSupport mail) : IClassFixture<MailingSupport>
{
    private SupportApi Api => mail.Api;

    private static object Choice(bool assigned = true, bool escalated = true, bool warning = true, bool breach = true, bool digest = false) =>
        new { ticketAssigned = assigned, ticketEscalated = escalated, slaWarning = warning, slaBreach = breach, dailyDigest = digest };

    [Fact]
    public async Task A_person_who_never_chose_gets_every_kind_as_single_mails_at_version_zero()
    {
        await mail.PersonAsync("agent-emma", "agent", "emma.engel@stadt.example");

        var response = await Api.ClientAs("agent", "agent-emma").GetAsync("/api/support/me/notification-preferences");

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"0\"", response.Headers.ETag?.Tag);
        Assert.Equal("""{"subject":"agent-emma","email":"emma.engel@stadt.example","ticketAssigned":true,"ticketEscalated":true,"slaWarning":true,"slaBreach":true,"dailyDigest":false,"updatedAt":null,"updatedBy":null}""", body);
    }

    [Fact]
    public async Task A_choice_is_kept_and_a_stale_if_match_is_refused()
    {
        await mail.PersonAsync("agent-finn", "agent", "finn.fischer@stadt.example");
        var finn = Api.ClientAs("agent", "agent-finn");
        var first = await finn.PutAsync("/api/support/me/notification-preferences", Json.Body(Choice(warning: false)));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var stale = new HttpRequestMessage(HttpMethod.Put, "/api/support/me/notification-preferences") { Content = Json.Body(Choice()) };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"0\"");
        var refused = await finn.SendAsync(stale);
        var read = await SupportApi.GetOkAsync(Api.Admin, "/api/support/people/agent-finn/notification-preferences");

        await refused.AssertProblemAsync(HttpStatusCode.PreconditionFailed, "urn:mep:problem:precondition-failed");
        Assert.False(read.GetProperty("slaWarning").GetBoolean());
        Assert.Equal("agent-finn", read.GetProperty("updatedBy").GetString());
    }

    [Fact]
    public async Task Two_first_choices_at_once_both_succeed_and_one_of_them_is_kept()
    {
        // Several people, each choosing twice at the same moment: a race the primary key once answered with a 409.
        string[] people = ["agent-ida", "agent-jan", "agent-kim", "agent-lou", "agent-max"];
        foreach (var person in people)
        {
            await mail.PersonAsync(person, "agent", $"{person}@stadt.example");
        }

        foreach (var person in people)
        {
            var client = Api.ClientAs("agent", person);
            var answers = await Task.WhenAll(
                client.PutAsync("/api/support/me/notification-preferences", Json.Body(Choice(warning: false))),
                client.PutAsync("/api/support/me/notification-preferences", Json.Body(Choice(breach: false))));
            var read = await SupportApi.GetOkAsync(Api.Admin, $"/api/support/people/{person}/notification-preferences");

            Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));
            Assert.Contains((read.GetProperty("slaWarning").GetBoolean(), read.GetProperty("slaBreach").GetBoolean()), new[] { (false, true), (true, false) });
        }
    }

    [Fact]
    public async Task Preferences_of_someone_not_in_the_directory_are_a_404_and_a_missing_choice_a_400()
    {
        var unknown = await Api.Admin.PutAsync("/api/support/people/nobody-here/notification-preferences", Json.Body(Choice()));
        var incomplete = await Api.Admin.PutAsync("/api/support/people/admin-udo/notification-preferences", Json.Body(new { ticketAssigned = false }));

        await unknown.AssertProblemAsync(HttpStatusCode.NotFound, "urn:mep:problem:not-found");
        Assert.Equal(["dailyDigest", "slaBreach", "slaWarning", "ticketEscalated"],
            (await incomplete.AssertProblemAsync(HttpStatusCode.BadRequest, "urn:mep:problem:validation")).ErrorFields());
    }

    [Fact]
    public async Task A_school_key_has_no_preferences_and_another_persons_are_for_admins_only()
    {
        var school = await Api.SchoolAsync();

        var asSchool = await Api.ClientFor(school).GetAsync("/api/support/me/notification-preferences");
        var asAgent = await Api.Agent.GetAsync("/api/support/people/admin-udo/notification-preferences");

        Assert.Equal(HttpStatusCode.Forbidden, asSchool.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asAgent.StatusCode);
    }

    [Fact]
    public async Task A_person_who_switched_assignment_mails_off_gets_none()
    {
        var before = mail.Smtp.Mails.Count;
        await mail.PersonAsync("agent-gina", "agent", "gina.graf@stadt.example");
        await MailingSupport.PutOkAsync(Api.ClientAs("agent", "agent-gina"), "/api/support/me/notification-preferences", Choice(assigned: false));
        var (ticket, _) = await mail.TicketAsync(await Api.SchoolAsync());

        await mail.AssignAsync(ticket, "agent-gina");

        Assert.Equal(0, await mail.QueuedToAsync("gina.graf@stadt.example"));
        Assert.Empty((await mail.SettledAsync()).Skip(before));
    }

    [Fact]
    public async Task A_person_on_the_daily_digest_gets_one_mail_with_everything_collected()
    {
        var before = mail.Smtp.Mails.Count;
        await mail.PersonAsync("agent-hans", "agent", "hans.haas@stadt.example");
        // An admin chooses the digest for them.
        await MailingSupport.PutOkAsync(Api.Admin, "/api/support/people/agent-hans/notification-preferences", Choice(digest: true));
        var school = await Api.SchoolAsync();
        var (first, firstNumber) = await mail.TicketAsync(school);
        var (second, secondNumber) = await mail.TicketAsync(school);
        await mail.AssignAsync(first, "agent-hans");
        await mail.AssignAsync(second, "agent-hans");
        Assert.Equal(0, await mail.QueuedToAsync("hans.haas@stadt.example"));

        Api.Services.GetRequiredService<IRecurringJobManager>().Trigger(NotificationDigestJob.Name);

        await Eventually.AssertAsync(async () => await mail.QueuedToAsync("hans.haas@stadt.example") == 1, "the digest queued");
        var only = Assert.Single((await mail.SettledAsync()).Skip(before));
        Assert.Equal(["hans.haas@stadt.example"], only.Recipients);
        Assert.StartsWith("[MEP-Support] Ihre Tagesübersicht vom ", only.Subject, StringComparison.Ordinal);
        Assert.EndsWith(": 2 Benachrichtigungen", only.Subject, StringComparison.Ordinal);
        Assert.Contains($"Ticket #{firstNumber}: Ihnen zugewiesen", only.Body, StringComparison.Ordinal);
        Assert.Contains($"Ticket #{secondNumber}: Ihnen zugewiesen", only.Body, StringComparison.Ordinal);
        Assert.Equal(0, await Api.Database.ScalarAsync<long>("SELECT count(*) FROM notification_digest_items WHERE subject = 'agent-hans'"));
    }
}
