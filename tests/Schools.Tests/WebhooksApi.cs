using System.Net;
using System.Text.Json;
using Mep.ServiceDefaults.Auth;

namespace Mep.Schools.Tests;

/// <summary>
/// The Schools service for webhook tests: deliveries to loopback allowed (the receivers run in the test), retries a tenth of a second
/// apart instead of minutes, and a bus to publish what Assets and Support publish. A subscription pauses after
/// a number of failures in a row (100 here, <see cref="PausingWebhooksApi"/> 3).
/// </summary>
public class WebhooksApi : ConsumingServiceFactory<Program>
{
    private readonly int _pauseAfterFailures;
    private readonly Dictionary<string, string> _settings;

    public WebhooksApi() : this(pauseAfterFailures: 100)
    {
    }

    protected WebhooksApi(int pauseAfterFailures, Dictionary<string, string>? settings = null)
    {
        _pauseAfterFailures = pauseAfterFailures;
        _settings = settings ?? [];
    }

    private WebhooksApi(PostgresDatabase database, RabbitMqVirtualHost broker, Dictionary<string, string> settings) : base(database, broker) =>
        (_pauseAfterFailures, _settings) = (100, settings);

    /// <summary>
    /// A second replica on this one's database and broker: its own sender and consumers, competing for the same work; with
    /// <paramref name="settings"/> of its own (another secret key).
    /// </summary>
    public WebhooksApi Replica(Dictionary<string, string>? settings = null) => new(Database, Broker, settings ?? []);

    public HttpClient Planner => ClientAs(PlatformRoles.Planner);
    public HttpClient Admin => ClientAs(PlatformRoles.Admin, "admin-udo");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Webhooks:AllowLoopbackHttp", "true");
        builder.UseSetting("Webhooks:RetryBaseDelay", "00:00:00.100");
        builder.UseSetting("Webhooks:RetryMaxDelay", "00:00:00.400");
        builder.UseSetting("Webhooks:PauseAfterFailures", _pauseAfterFailures.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Webhooks:PollInterval", "00:00:00.050");
        builder.UseSetting("Webhooks:Timeout", "00:00:05");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A school registered through the API with a key of its own: its id and a client acting with that key.</summary>
    public async Task<(Guid Id, HttpClient Key)> SchoolAsync()
    {
        var school = await Planner.RegisterSchoolAsync();
        return (school, ClientWithSchoolKey((await Admin.IssueKeyAsync(school)).Key));
    }

    /// <summary>Subscribes <paramref name="url"/> as the school; fails the test on anything but 201. The subscription's id and secret.</summary>
    public static async Task<(Guid Id, string Secret)> SubscribeAsync(HttpClient school, Guid schoolId, string url, params string[] eventTypes)
    {
        var response = await school.PostAsync($"/api/schools/{schoolId}/webhooks",
            Json.Body(new { url, eventTypes = eventTypes.Length == 0 ? WebhookTypes.All : eventTypes, description = "inventory software" }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {body}");
        var created = JsonDocument.Parse(body).RootElement;
        return (created.GetProperty("subscription").GetProperty("id").GetGuid(), created.GetProperty("secret").GetString()!);
    }

    public static async Task<JsonElement> GetOkAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<JsonElement> PostOkAsync(HttpClient client, string path)
    {
        var response = await client.PostAsync(path, null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>The subscription's delivery log (newest first), as the school reads it.</summary>
    public static async Task<JsonElement[]> DeliveriesAsync(HttpClient client, Guid schoolId, Guid subscriptionId) =>
        [.. (await GetOkAsync(client, $"/api/schools/{schoolId}/webhooks/{subscriptionId}/deliveries?pageSize=200")).GetProperty("items").EnumerateArray()];

    /// <summary>Waits until the log holds <paramref name="count"/> deliveries, all delivered.</summary>
    public static Task AllDeliveredAsync(HttpClient client, Guid schoolId, Guid subscriptionId, int count) =>
        Eventually.AssertAsync(async () => await DeliveriesAsync(client, schoolId, subscriptionId) is var log
                && log.Length == count && log.All(d => d.GetProperty("status").GetString() == "delivered"),
            $"{count} deliveries delivered");
}

/// <summary>A subscription pauses after three failures in a row.</summary>
public sealed class PausingWebhooksApi() : WebhooksApi(pauseAfterFailures: 3);

/// <summary>A rotated-out secret signs beside the new one for a second only (a day in production).</summary>
public sealed class ShortSecretOverlapWebhooksApi() : WebhooksApi(pauseAfterFailures: 100, new() { ["Webhooks:SecretRotationOverlap"] = "00:00:01" });

/// <summary>The event type names as a school's software writes them.</summary>
public static class WebhookTypes
{
    public static readonly string[] All = ["device.registered", "device.changed", "device.retired", "ticket.opened", "ticket.changed"];
}
