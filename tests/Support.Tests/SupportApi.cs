using System.Net;
using System.Text.Json;
using Mep.ServiceDefaults.Auth;

namespace Mep.Support.Tests;

/// <summary>
/// The Support service on a database and broker virtual host of its own (or a replica on someone else's). Schools, keys,
/// rooms and devices arrive the way production brings them: as Schools' and Assets' events on the broker.
/// </summary>
public sealed class SupportApi : ConsumingServiceFactory<Program>
{
    /// <summary>Office hours Mon-Fri 07:30-16:00: Friday 13 November 2026, 15:50 Berlin time (a normal week).</summary>
    public static readonly DateTimeOffset FridayAfternoon = new(2026, 11, 13, 15, 50, 0, TimeSpan.FromHours(1));

    private TimeProvider? _clock;
    private readonly Dictionary<string, string> _settings = [];

    public SupportApi()
    {
    }

    private SupportApi(PostgresDatabase database, RabbitMqVirtualHost broker) : base(database, broker)
    {
    }

    public HttpClient Agent => ClientAs(PlatformRoles.Agent, "agent-anna");
    public HttpClient Admin => ClientAs(PlatformRoles.Admin, "admin-udo");

    /// <summary>The service on a clock the test sets (the escalation job reads it too).</summary>
    public static SupportApi WithClock(TimeProvider clock, string? escalationCron = null)
    {
        var api = new SupportApi { _clock = clock };
        if (escalationCron is not null)
        {
            api._settings["Support:EscalationCron"] = escalationCron;
        }

        return api;
    }

    /// <summary>The service with settings of the test's own (e.g. its mail to a test SMTP server), on a clock the test sets if given.</summary>
    public static SupportApi WithSettings(IReadOnlyDictionary<string, string> settings, TimeProvider? clock = null)
    {
        var api = new SupportApi { _clock = clock };
        foreach (var (key, value) in settings)
        {
            api._settings[key] = value;
        }

        return api;
    }

    /// <summary>A replica on a shared database and broker (clustered jobs, competing consumers).</summary>
    public static SupportApi ReplicaOn(PostgresDatabase database, RabbitMqVirtualHost broker, TimeProvider clock, string escalationCron)
    {
        var api = new SupportApi(database, broker) { _clock = clock };
        api._settings["Support:EscalationCron"] = escalationCron;
        return api;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_clock is not null)
        {
            builder.ConfigureServices(services => services.AddSingleton(_clock));
        }
    }

    /// <summary>A school with a key, rooms and devices, as Schools and Assets announce them; Support knows all of it on return.</summary>
    public Task<TestSchool> SchoolAsync(bool atMepStandard = true, int rooms = 1, params TestDevice[] devices) =>
        SchoolAsync(Guid.NewGuid(), atMepStandard, rooms, devices);

    /// <summary>As <see cref="SchoolAsync(bool, int, TestDevice[])"/>, for a school id chosen beforehand.</summary>
    public Task<TestSchool> SchoolAsync(Guid id, bool atMepStandard = true, int rooms = 1, params TestDevice[] devices) =>
        SeedSchoolAsync(new SchoolSeed { Id = id, AtMepStandard = atMepStandard, Rooms = rooms, Devices = devices });

    /// <summary>A complete report of <paramref name="category"/>; <paramref name="fields"/> override or (with null) remove fields.</summary>
    public static Dictionary<string, object?> Report(string category, string impact = "medium", string urgency = "medium",
        params (string Field, object? Value)[] fields)
    {
        var report = new Dictionary<string, object?>
        {
            ["reporterName"] = "Frau Schulz", ["reporterEmail"] = "it@gy-test.example", ["category"] = category, ["title"] = $"Fault: {category}",
            ["description"] = "Since this morning, in every class.", ["impact"] = impact, ["urgency"] = urgency,
        };
        return report.With(fields);
    }

    /// <summary>Opens a ticket and returns its JSON; fails the test on anything but 201.</summary>
    public static async Task<JsonElement> OpenAsync(HttpClient client, Dictionary<string, object?> report)
    {
        var response = await client.PostAsync("/api/support/tickets", Json.Body(report));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    public static async Task<JsonElement> PostOkAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsync(path, Json.Body(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<JsonElement> GetOkAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>Records a person in the people directory as an admin does; fails the test on anything but 201.</summary>
    public async Task PersonAsync(string subject, string role, string? organisation = null)
    {
        var response = await Admin.PostAsync("/api/support/people",
            Json.Body(new { subject, displayName = $"Person {subject}", roles = new[] { role }, organisation }));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST person {subject}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Adds a known person to a group as an admin does; fails the test on anything but 204.</summary>
    public async Task MemberAsync(string group, string subject)
    {
        var response = await Admin.PutAsync($"/api/support/groups/{group}/members/{subject}", null);
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"PUT member {subject}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>One SLA timer of a ticket's JSON.</summary>
    public static JsonElement Timer(JsonElement ticket, string clock, string target) =>
        ticket.GetProperty("sla").EnumerateArray().Single(t => t.GetProperty("clock").GetString() == clock && t.GetProperty("target").GetString() == target);
}
