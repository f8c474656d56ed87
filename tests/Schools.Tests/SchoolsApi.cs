using System.Net;
using System.Text.Json;
using Mep.ServiceDefaults.Auth;

namespace Mep.Schools.Tests;

/// <summary>The Schools service on a database of its own, with helpers to arrange data through the API itself.</summary>
public sealed class SchoolsApi : ServiceFactory<Program>
{
    private readonly Dictionary<string, string> _settings = [];
    private int _nextNumber = 10_000;

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

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A replica on a shared database and broker, with extra configuration.</summary>
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

    public HttpClient Planner => ClientAs(PlatformRoles.Planner);
    public HttpClient Admin => ClientAs(PlatformRoles.Admin);

    public string NextNumber() => Interlocked.Increment(ref _nextNumber).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static object SchoolBody(string number, string name = "GY Testschule", string type = "GY", string district = "Mitte") => new
    {
        number,
        name,
        type,
        address = new { street = "Schulstraße 1", postalCode = "30159", city = "Hannover" },
        district,
    };

    public async Task<Guid> RegisterSchoolAsync(string? name = null, string type = "GY", string district = "Mitte")
    {
        var response = await Planner.PostAsync("/api/schools", Json.Body(SchoolBody(NextNumber(), name ?? $"GY Test {Guid.NewGuid():N}", type, district)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("id").GetGuid();
    }

    public async Task<(string KeyId, string Key)> IssueKeyAsync(Guid schoolId, string label = "inventory software")
    {
        var response = await Admin.PostAsync($"/api/schools/{schoolId}/api-keys", Json.Body(new { label }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var issued = await response.ReadJsonAsync();
        return (issued.GetProperty("keyId").GetString()!, issued.GetProperty("key").GetString()!);
    }

    public static JsonElement Programmes(object? pilot = null, object? standard = null, object? portal = null, object? mobile = null) =>
        JsonSerializer.SerializeToElement(new
        {
            mepPilot = pilot ?? new { participates = false, since = (string?)null },
            mepStandard = standard ?? new { status = "none", wave = (int?)null, targetYear = (int?)null, joinedOn = (string?)null },
            portal = portal ?? new { participates = false, onboardedOn = (string?)null },
            mobileLearning = mobile ?? new { participates = false, mdmEnrolledOn = (string?)null },
        });
}
