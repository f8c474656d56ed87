using System.Net;
using System.Text.Json;

namespace Mep.Support.Tests.Notifications;

/// <summary>
/// The Support service mailing through a real SMTP server that the test runs (<see cref="SmtpReceiver"/>); on a clock the test sets
/// and with the escalation job every second when asked. Tests of one class run one after the other, each waiting at its end until
/// every mail it caused was delivered (<see cref="SettledAsync"/>), so a test sees exactly the mails it caused.
/// </summary>
public class MailingSupport : IAsyncLifetime
{
    private readonly TimeProvider? _clock;
    private readonly Dictionary<string, string> _settings;

    public MailingSupport() : this(null, [])
    {
    }

    protected MailingSupport(TimeProvider? clock, Dictionary<string, string> settings) => (_clock, _settings) = (clock, settings);

    public SmtpReceiver Smtp { get; private set; } = null!;

    public SupportApi Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Smtp = await SmtpReceiver.StartAsync();
        // The digest is sent when a test triggers it, never by the clock during a test.
        var settings = new Dictionary<string, string>(Smtp.ServiceSettings) { ["Support:NotificationDigestCron"] = "0 0 1 1 *" };
        foreach (var (key, value) in _settings)
        {
            settings[key] = value;
        }

        Api = SupportApi.WithSettings(settings, _clock);
        await Api.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)Api).DisposeAsync();
        await Smtp.DisposeAsync();
    }

    /// <summary>Records a person with a mail address, as an admin does.</summary>
    public async Task PersonAsync(string subject, string role, string email)
    {
        var response = await Api.Admin.PostAsync("/api/support/people",
            Json.Body(new { subject, displayName = $"Person {subject}", email, roles = new[] { role } }));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST person {subject}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A new ticket of the school (a P3 portal fault at the service desk); its id and number.</summary>
    public async Task<(Guid Id, long Number)> TicketAsync(TestSchool school, string impact = "medium", string urgency = "medium")
    {
        var ticket = await SupportApi.OpenAsync(Api.ClientFor(school), SupportApi.Report("portal", impact, urgency));
        return (ticket.GetProperty("id").GetGuid(), ticket.GetProperty("number").GetInt64());
    }

    public async Task AssignAsync(Guid ticket, string assignee, HttpClient? by = null)
    {
        var response = await (by ?? Api.Agent).PutAsync($"/api/support/tickets/{ticket}/assignee", Json.Body(new { assignee }));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"PUT assignee: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>How many mails to <paramref name="address"/> the service decided to send (its outbox).</summary>
    public Task<long> QueuedToAsync(string address) => Api.Database.ScalarAsync<long>($"""
        SELECT count(*) FROM outbox_messages
        WHERE message_type = 'Mep.Contracts.Support.SupportMailQueued' AND body::jsonb -> 'mail' ->> 'toAddress' = '{address}'
        """);

    /// <summary>"state|attempts|last_error" of the delivery record of the one mail queued to <paramref name="address"/>.</summary>
    public Task<string?> DeliveryToAsync(string address) => Api.Database.ScalarAsync<string>($"""
        SELECT d.state || '|' || d.attempts || '|' || coalesce(d.last_error, '') FROM outbox_messages o
        JOIN mail_deliveries d ON d.mail_id = (o.body::jsonb -> 'mail' ->> 'mailId')::uuid
        WHERE o.message_type = 'Mep.Contracts.Support.SupportMailQueued' AND o.body::jsonb -> 'mail' ->> 'toAddress' = '{address}'
        """);

    /// <summary>Waits until every mail the service decided to send is delivered (or refused for good), and returns what arrived.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> SettledAsync(TimeSpan? within = null)
    {
        await Eventually.AssertAsync(async () => await Api.Database.ScalarAsync<long>("""
            SELECT count(*) FROM outbox_messages o
            WHERE o.message_type = 'Mep.Contracts.Support.SupportMailQueued'
              AND NOT EXISTS (SELECT 1 FROM mail_deliveries d
                              WHERE d.mail_id = (o.body::jsonb -> 'mail' ->> 'mailId')::uuid AND d.state IN ('Sent', 'Rejected', 'Skipped'))
            """) == 0, "every queued mail delivered", within ?? TimeSpan.FromSeconds(30));
        return Smtp.Mails;
    }

    public static async Task<JsonElement> PutOkAsync(HttpClient client, string path, object body)
    {
        var response = await client.PutAsync(path, Json.Body(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }
}

/// <summary>As <see cref="MailingSupport"/>, on a clock the test moves, with the escalation job every second.</summary>
public sealed class MailingSupportOnTestClock : MailingSupport
{
    /// <summary>Monday 16 November 2026, 08:00 Berlin time: the service desk is open.</summary>
    public static readonly DateTimeOffset MondayMorning = new(2026, 11, 16, 8, 0, 0, TimeSpan.FromHours(1));

    public MailingSupportOnTestClock() : this(new TestClock(MondayMorning))
    {
    }

    private MailingSupportOnTestClock(TestClock clock) : base(clock, new() { ["Support:EscalationCron"] = "* * * * * *" }) => Clock = clock;

    public TestClock Clock { get; }
}
