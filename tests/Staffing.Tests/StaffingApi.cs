using System.Text.Json;
using Mep.Contracts;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Auth;

namespace Mep.Staffing.Tests;

/// <summary>
/// The Staffing service on a database and broker virtual host of its own. Schools and devices arrive the way production brings
/// them: as Schools' and Assets' events on the broker, published here by a test bus.
/// </summary>
public sealed class StaffingApi : ConsumingServiceFactory<Program>
{
    private readonly Dictionary<string, string> _settings = [];

    public HttpClient Planner => ClientAs(PlatformRoles.Planner, "planner-paula");
    public HttpClient Admin => ClientAs(PlatformRoles.Admin, "admin-udo");

    /// <summary>The service with extra settings (e.g. the snapshot job's cron).</summary>
    public static StaffingApi With(params (string Key, string Value)[] settings)
    {
        var api = new StaffingApi();
        foreach (var (key, value) in settings)
        {
            api._settings[key] = value;
        }

        return api;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A school as Schools announces it, registered and then updated with its MEP-standard state; Staffing knows it on return.</summary>
    public Task<TestSchool> SchoolAsync(SchoolType type = SchoolType.GY, string district = "Mitte", bool atMepStandard = true) =>
        SeedSchoolAsync(new SchoolSeed { Type = type, District = district, AtMepStandard = atMepStandard });

    /// <summary>How many messages Staffing's consumers have applied (its inbox): a test waits for its events to be through.</summary>
    public async Task<long> AppliedAsync() => (await Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages"))!;

    public async Task WaitUntilAppliedAsync(long count, string what) =>
        await Eventually.AssertAsync(async () => await AppliedAsync() >= count, what);

    public async Task<JsonElement> CountsAsync(Guid schoolId) => await GetOkAsync(Planner, $"/api/staffing/counts/{schoolId}");

    public static RegisteredDevice Device(DeviceKind kind, TabletOwnership? ownership = null, DeviceStatus status = DeviceStatus.InService,
        Guid? boardSystem = null) =>
        new(Guid.NewGuid(), null, $"S-{Guid.NewGuid():N}"[..14], Classification(kind, ownership, status, boardSystem));

    public static DeviceClassification Classification(DeviceKind kind, TabletOwnership? ownership = null, DeviceStatus status = DeviceStatus.InService,
        Guid? boardSystem = null) =>
        new(kind, ownership, ownership == TabletOwnership.ParentFinancedPupil ? SubsidyCategory.None : null, boardSystem,
            kind == DeviceKind.BoardSystemComponent ? BoardComponentKind.MiniPc : null, null, status);

    public static IEnumerable<RegisteredDevice> Many(int count, DeviceKind kind, TabletOwnership? ownership = null) =>
        Enumerable.Range(0, count).Select(_ => Device(kind, ownership));

    public static async Task<JsonElement> GetOkAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<JsonElement> SendOkAsync(HttpClient client, HttpMethod method, string path, object body)
    {
        var response = await client.SendAsync(new HttpRequestMessage(method, path) { Content = Json.Body(body) });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }
}
