using System.Net;
using System.Text.Json;
using MassTransit;
using Mep.Contracts;
using Mep.Contracts.Assets;
using Mep.Contracts.Schools;
using Mep.ServiceDefaults.Auth;

namespace Mep.Support.Tests;

/// <summary>A school as the tests arrange it: known to Support through Schools' and Assets' events, with a key, rooms and devices.</summary>
public sealed record TestSchool(Guid Id, string Number, string ApiKey, IReadOnlyList<Guid> Rooms, IReadOnlyDictionary<string, Guid> Devices);

/// <summary>A device a test school has, as Assets announces it.</summary>
public sealed record TestDevice(string Serial, DeviceKind Kind = DeviceKind.Tablet, TabletOwnership? Ownership = TabletOwnership.Teacher);

/// <summary>
/// The Support service on a database and broker virtual host of its own (or a replica on someone else's). Schools, keys,
/// rooms and devices arrive the way production brings them: as Schools' and Assets' events on the broker.
/// </summary>
public sealed class SupportApi : ConsumingServiceFactory<Program>
{
    /// <summary>Office hours Mon-Fri 07:30-16:00: Friday 13 November 2026, 15:50 Berlin time (a normal week).</summary>
    public static readonly DateTimeOffset FridayAfternoon = new(2026, 11, 13, 15, 50, 0, TimeSpan.FromHours(1));

    private int _nextNumber = 50_000;
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

    /// <summary>Publishes what Schools and Assets publish for a school with a key, rooms and devices, and waits until Support knows all of it.</summary>
    public async Task<TestSchool> SchoolAsync(bool atMepStandard = true, int rooms = 1, params TestDevice[] devices) =>
        await SchoolAsync(Guid.NewGuid(), atMepStandard, rooms, devices);

    /// <summary>As <see cref="SchoolAsync(bool, int, TestDevice[])"/>, for a school id chosen beforehand.</summary>
    public async Task<TestSchool> SchoolAsync(Guid id, bool atMepStandard = true, int rooms = 1, params TestDevice[] devices)
    {
        var number = Interlocked.Increment(ref _nextNumber).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var now = DateTimeOffset.UtcNow;
        await Bus.Publish(new SchoolRegistered(id, number, $"GY Testschule {number}", SchoolType.GY, "Mitte", now));
        await Bus.Publish(new SchoolUpdated(id, number, $"GY Testschule {number}", SchoolType.GY, "Mitte", atMepStandard, now.AddTicks(1)));
        var key = SchoolApiKeyFormat.Issue();
        await Bus.Publish(new SchoolApiKeyIssued(id, key.KeyId, Convert.ToBase64String(key.SecretHash), now));
        var roomIds = new List<Guid>();
        for (var i = 1; i <= rooms; i++)
        {
            var room = Guid.NewGuid();
            roomIds.Add(room);
            await Bus.Publish(new RoomRecorded(id, Guid.NewGuid(), room, "Hauptgebäude", $"H 1.{i:00}", RoomKind.Classroom, now));
        }

        var deviceIds = devices.ToDictionary(d => d.Serial, _ => Guid.NewGuid());
        if (devices.Length > 0)
        {
            await Bus.Publish(new DevicesRegistered(id, [.. devices.Select(d => new RegisteredDevice(deviceIds[d.Serial], null, d.Serial,
                new DeviceClassification(d.Kind, d.Ownership, d.Ownership == TabletOwnership.ParentFinancedPupil ? SubsidyCategory.None : null,
                    null, null, null, DeviceStatus.InService)))], now));
        }

        await Eventually.AssertAsync(async () =>
                await Database.ScalarAsync<long>($"SELECT count(*) FROM known_schools WHERE school_id = '{id}' AND at_mep_standard = {atMepStandard}") == 1
                && await Database.ScalarAsync<long>($"SELECT count(*) FROM known_school_api_keys WHERE school_id = '{id}'") == 1
                && await Database.ScalarAsync<long>($"SELECT count(*) FROM known_rooms WHERE school_id = '{id}'") == rooms
                && await Database.ScalarAsync<long>($"SELECT count(*) FROM known_devices WHERE school_id = '{id}'") == devices.Length,
            $"Support knows school {number}, its key, rooms and devices");
        return new TestSchool(id, number, key.PlainTextKey, roomIds, deviceIds);
    }

    public HttpClient ClientFor(TestSchool school) => ClientWithSchoolKey(school.ApiKey);

    /// <summary>A complete report of <paramref name="category"/>; <paramref name="fields"/> override or (with null) remove fields.</summary>
    public static Dictionary<string, object?> Report(string category, string impact = "medium", string urgency = "medium",
        params (string Field, object? Value)[] fields)
    {
        var report = new Dictionary<string, object?>
        {
            ["reporterName"] = "Frau Schulz", ["reporterEmail"] = "it@gy-test.example", ["category"] = category, ["title"] = $"Fault: {category}",
            ["description"] = "Since this morning, in every class.", ["impact"] = impact, ["urgency"] = urgency,
        };
        foreach (var (field, value) in fields)
        {
            if (value is null)
            {
                report.Remove(field);
            }
            else
            {
                report[field] = value;
            }
        }

        return report;
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
