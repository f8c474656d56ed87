using System.Net;
using System.Text.Json;
using Mep.ServiceDefaults.Auth;

namespace Mep.Schools.Tests;

/// <summary>The Schools service on a database of its own, with helpers to arrange data through the API itself.</summary>
public sealed class SchoolsApi : ServiceFactory<Program>
{
    private readonly Dictionary<string, string> _settings = [];
    private TimeProvider? _clock;

    public SchoolsApi()
    {
    }

    private SchoolsApi(PostgresDatabase database, RabbitMqVirtualHost? broker) : base(database, broker)
    {
    }

    /// <summary>The service with extra configuration (an OIDC authority, tighter limits, ...).</summary>
    public static SchoolsApi WithSettings(Dictionary<string, string> settings)
    {
        var api = new SchoolsApi();
        foreach (var (key, value) in settings)
        {
            api._settings[key] = value;
        }

        return api;
    }

    /// <summary>The service on a clock the test sets.</summary>
    public static SchoolsApi WithClock(TimeProvider clock) => new() { _clock = clock };

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
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

    /// <summary>A replica on a shared database and broker, with extra configuration.</summary>
    /// <summary>The readiness answer: its status code and what it says about serving ("fresh", "stale", "cannot").</summary>
    public async Task<(HttpStatusCode Status, string? Serving)> ReadinessAsync()
    {
        var response = await CreateClient().GetAsync("/health/ready");
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, body.TryGetProperty("serving", out var serving) ? serving.GetString() : null);
    }

    public static SchoolsApi WithSettingsOn(PostgresDatabase database, RabbitMqVirtualHost broker, Dictionary<string, string> settings)
    {
        var api = new SchoolsApi(database, broker);
        foreach (var (key, value) in settings)
        {
            api._settings[key] = value;
        }

        return api;
    }

    /// <summary>A second (third, ...) replica of the service on a database another host also uses.</summary>
    public static SchoolsApi OnSharedDatabase(PostgresDatabase database, RabbitMqVirtualHost? broker = null) => new(database, broker);

    /// <summary>Waits until the service is ready, its queues bound: a request published before that would find no queue and be dropped.</summary>
    public Task ReadyAsync() =>
        Eventually.AssertAsync(async () => (await CreateClient().GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, "Schools is ready");

    public HttpClient Planner => ClientAs(PlatformRoles.Planner);
    public HttpClient Admin => ClientAs(PlatformRoles.Admin);

    public static JsonElement Programmes(object? pilot = null, object? standard = null, object? portal = null, object? mobile = null) =>
        JsonSerializer.SerializeToElement(new
        {
            mepPilot = pilot ?? new { participates = false, since = (string?)null },
            mepStandard = standard ?? new { status = "none", wave = (int?)null, targetYear = (int?)null, joinedOn = (string?)null },
            portal = portal ?? new { participates = false, onboardedOn = (string?)null },
            mobileLearning = mobile ?? new { participates = false, mdmEnrolledOn = (string?)null },
        });

    public async Task<JsonElement> RolloutAsync(Guid school) => await (await Planner.GetAsync($"/api/schools/{school}/rollout")).ReadJsonAsync();

    /// <summary>A PUT that must succeed; the answer's body.</summary>
    public async Task<JsonElement> PutOkAsync(string path, object body)
    {
        var response = await Planner.PutAsync(path, Json.Body(body));
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.ReadJsonAsync();
    }

    public Task PlanIntoMepStandardAsync(Guid school, int wave = 3, int targetYear = 2027) =>
        PutOkAsync($"/api/schools/{school}/programmes", Programmes(standard: new { status = "planned", wave, targetYear, joinedOn = (string?)null }));

    public async Task<Guid> AddBuildingAsync(Guid school, string name)
    {
        var response = await Planner.PostAsync($"/api/schools/{school}/buildings", Json.Body(new { name }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("id").GetGuid();
    }

    public async Task<Guid> AddRoomAsync(Guid school, Guid building, string number, string kind)
    {
        var response = await Planner.PostAsync($"/api/schools/{school}/buildings/{building}/rooms", Json.Body(new { number, kind }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("id").GetGuid();
    }

    public static object Broadband(string status) =>
        new { kind = "ownFibre", status, bandwidthMbits = 1000, provider = "Stadt Hannover", monthlyCost = 180.00m, connectionCost = 42500.00m, backboneNode = "KN-MITTE" };

    public static object Network(string all) => new { technicalRooms = all, distributors = all, cabling = all, cablingMetres = 800 };

    public static object RoomState(string wlan, int accessPoints = 1, bool boardSystemPlanned = false, string computerRoomReplacement = "notStarted") =>
        new { wlan, accessPointsPlanned = accessPoints, accessPointsInstalled = wlan == "planned" ? 0 : accessPoints, boardSystemPlanned, computerRoomReplacement };

    /// <summary>A school in the plan with one building and one staff room, surveyed, built and equipped: ready for acceptance.</summary>
    public async Task<Guid> ReadyForAcceptanceAsync()
    {
        var school = await Planner.RegisterSchoolAsync();
        await PlanIntoMepStandardAsync(school);
        var building = await AddBuildingAsync(school, "Hauptgebäude");
        var room = await AddRoomAsync(school, building, "0.L", "staffRoom");
        await PutOkAsync($"/api/schools/{school}/rollout/milestones/surveyed", new { plannedOn = "2024-03-01", reachedOn = "2024-03-01" });
        await PutOkAsync($"/api/schools/{school}/rollout/broadband", Broadband("connected"));
        await PutOkAsync($"/api/schools/{school}/buildings/{building}/network", Network("done"));
        await PutOkAsync($"/api/schools/{school}/rooms/{room}/rollout", RoomState("accepted"));
        return school;
    }
}
