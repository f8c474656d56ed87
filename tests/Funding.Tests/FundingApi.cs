using System.Net.Http.Headers;
using System.Text.Json;
using Mep.Contracts;
using Mep.Contracts.Assets;
using Mep.Contracts.Schools;
using Mep.ServiceDefaults.Auth;

namespace Mep.Funding.Tests;

/// <summary>
/// The Funding service on a database and broker virtual host of its own. Schools, pupils, concepts and devices arrive the way
/// production brings them: as Schools' and Assets' events on the broker, published here by a test bus. Tests that need a fixed day
/// (deadlines) pass a clock.
/// </summary>
public sealed class FundingApi : ConsumingServiceFactory<Program>
{
    private TimeProvider? _clock;
    private IReadOnlyDictionary<string, string> _settings = new Dictionary<string, string>();

    public HttpClient Finance => ClientAs(PlatformRoles.Finance, "finance-frida");
    public HttpClient Planner => ClientAs(PlatformRoles.Planner, "planner-paula");
    public HttpClient Admin => ClientAs(PlatformRoles.Admin, "admin-udo");

    /// <param name="settings">Settings of the test's own (e.g. mail to a test SMTP server).</param>
    public static FundingApi WithClock(TimeProvider clock, IReadOnlyDictionary<string, string>? settings = null) =>
        new() { _clock = clock, _settings = settings ?? new Dictionary<string, string>() };

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

    /// <summary>
    /// A school as Schools announces it: registered, its MEP-standard state, a key, pupils per school year and the media concept;
    /// Funding knows all of it on return.
    /// </summary>
    public Task<TestSchool> SchoolAsync(SchoolType type = SchoolType.GY, IReadOnlyDictionary<int, int>? pupilsByStartYear = null,
        MediaConceptStatus concept = MediaConceptStatus.FullConcept, bool atMepStandard = false, string district = "Mitte", string? name = null) =>
        SeedSchoolAsync(new SchoolSeed
        {
            Type = type, Name = name, District = district, AtMepStandard = atMepStandard, Concept = concept,
            PupilsByStartYear = pupilsByStartYear ?? new Dictionary<int, int> { [2019] = 600 },
        });

    /// <summary>Publishes a registration as Assets does and waits until Funding holds every device of it.</summary>
    public async Task RegisterDevicesAsync(Guid schoolId, IReadOnlyList<RegisteredDevice> devices)
    {
        await Bus.Publish(new DevicesRegistered(schoolId, devices, DateTimeOffset.UtcNow));
        var ids = string.Join(",", devices.Select(d => $"'{d.DeviceId}'"));
        await Eventually.AssertAsync(async () =>
                await Database.ScalarAsync<long>($"SELECT count(*) FROM known_devices WHERE school_id = '{schoolId}' AND device_id IN ({ids})") == devices.Count,
            $"Funding knows the {devices.Count} devices");
    }

    /// <summary>A parent-financed pupil tablet on the typical contract (36 x 10.90 EUR with GfdB), bought on <paramref name="purchasedOn"/>.</summary>
    public static RegisteredDevice PupilTablet(SubsidyCategory subsidy, DateOnly purchasedOn, decimal monthlyRate = 10.90m, int months = 36,
        DeviceStatus status = DeviceStatus.InService) =>
        new(Guid.NewGuid(), null, $"P-{Guid.NewGuid():N}"[..14],
            new DeviceClassification(DeviceKind.Tablet, TabletOwnership.ParentFinancedPupil, subsidy, null, null, FundingSource.ParentFinanced, status),
            new DeviceFinancials(purchasedOn, null, null, new ParentContract(monthlyRate, months, "GfdB")));

    /// <summary>A school-owned device bought from a programme, for invoices that link devices.</summary>
    public static RegisteredDevice OwnedDevice(DeviceKind kind, decimal price, DateOnly purchasedOn, FundingSource source = FundingSource.DigitalPaktBase,
        TabletOwnership? ownership = null) =>
        new(Guid.NewGuid(), null, $"D-{Guid.NewGuid():N}"[..14],
            new DeviceClassification(kind, kind == DeviceKind.Tablet ? ownership ?? TabletOwnership.Teacher : null, null, null,
                kind == DeviceKind.BoardSystemComponent ? BoardComponentKind.MiniPc : null, source, DeviceStatus.InService),
            new DeviceFinancials(purchasedOn, price, 60, null));

    public static async Task<JsonElement> GetOkAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<JsonElement> SendOkAsync(HttpClient client, HttpMethod method, string path, object body, string? ifMatch = null,
        string? idempotencyKey = null)
    {
        var response = await SendAsync(client, method, path, body, ifMatch, idempotencyKey);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement;
    }

    public static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object? body, string? ifMatch = null,
        string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Json.Body(body) };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request);
    }
}
