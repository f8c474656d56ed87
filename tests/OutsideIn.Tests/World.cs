using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mep.ServiceDefaults.Auth;

namespace Mep.OutsideIn.Tests;

/// <summary>Who sends a request: a staff member with a role (a token), or a school's software (its API key).</summary>
public sealed record Caller(string Name, string? Role, string? SchoolKey)
{
    public static Caller Staff(string role) => new(role, role, null);

    public static Caller School(string key) => new("school key", null, key);

    public void Sign(HttpRequestMessage request)
    {
        if (Role is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(Role, $"outside-in-{Role}"));
        }
        else
        {
            request.Headers.Add(SchoolApiKeyHandler.HeaderName, SchoolKey);
        }
    }
}

/// <summary>
/// A small city arranged through the platform's own APIs, as its users would: a school with a building, a room, a school year, a media
/// concept and two keys (in Schools, reaching the others as events); a device and a board system; tickets, an article and a school
/// holiday; a scenario; an application. Attacks aim at things that exist, so that a refusal is about the input and not "not found".
/// </summary>
public sealed class World
{
    public string SchoolKey { get; private set; } = string.Empty;

    /// <summary>Identifiers by the name a body field or path parameter gives them (schoolId, roomId, keyId, ...).</summary>
    public Dictionary<string, string> Ids { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Bodies the platform accepted while arranging, by "METHOD /path/{template}": the best base for an attack on that operation.</summary>
    public Dictionary<string, JsonNode> GoodBodies { get; } = new(StringComparer.Ordinal);

    /// <summary>Text bodies (CSV) accepted while arranging, by "METHOD /path/{template}".</summary>
    public Dictionary<string, string> GoodTexts { get; } = new(StringComparer.Ordinal);

    public static async Task<World> ArrangeAsync(HttpClient edge)
    {
        var schools = edge;
        var planner = Caller.Staff(PlatformRoles.Planner);
        var admin = Caller.Staff(PlatformRoles.Admin);

        var world = new World();
        var school = await world.CreateAsync(schools, planner, "/api/schools", "/api/schools", new
        {
            number = "10001", name = "GY Außenprobe", type = "GY", district = "Mitte",
            address = new { street = "Schulstraße 1", postalCode = "30159", city = "Hannover" },
        });
        var schoolId = school.GetProperty("id").GetString()!;
        var building = await world.CreateAsync(schools, planner, $"/api/schools/{schoolId}/buildings", "/api/schools/{id}/buildings",
            new { name = "Hauptgebäude" });
        var buildingId = building.GetProperty("id").GetString()!;
        var room = await world.CreateAsync(schools, planner, $"/api/schools/{schoolId}/buildings/{buildingId}/rooms", "/api/schools/{id}/buildings/{buildingId}/rooms",
            new { number = "H 1.01", kind = "classroom" });
        var roomId = room.GetProperty("id").GetString()!;

        // The room's rollout state as a school's planner uploads it: the base of the attacks on the CSV import.
        const string RoomRollout = "building;room;wlan;accessPointsPlanned;accessPointsInstalled;boardSystemPlanned\nHauptgebäude;H 1.01;installed;2;2;\n";
        using (var upload = new HttpRequestMessage(HttpMethod.Post, $"/api/schools/{schoolId}/rollout/rooms") { Content = Json.Raw(RoomRollout, "text/csv") })
        {
            planner.Sign(upload);
            using var uploaded = await edge.SendAsync(upload);
            Assert.True(uploaded.IsSuccessStatusCode, $"Arranging the suite's city: the room rollout CSV answered {(int)uploaded.StatusCode}: {await uploaded.Content.ReadAsStringAsync()}");
            world.GoodTexts["POST /api/schools/{id}/rollout/rooms"] = RoomRollout;
        }

        var keys = edge;
        var key = await world.CreateAsync(keys, admin, $"/api/schools/{schoolId}/api-keys", "/api/schools/{id}/api-keys", new { label = "outside-in suite" });
        var spare = await world.CreateAsync(keys, admin, $"/api/schools/{schoolId}/api-keys", "/api/schools/{id}/api-keys", new { label = "spare" });

        world.SchoolKey = key.GetProperty("key").GetString()!;
        world.Ids["schoolId"] = schoolId;
        world.Ids["buildingId"] = buildingId;
        world.Ids["roomId"] = roomId;
        // Rotating or revoking the key every attack uses would lock the suite out: those operations get the spare key.
        world.Ids["keyId"] = spare.GetProperty("keyId").GetString()!;

        await world.SendOkAsync(schools, planner, HttpMethod.Put, $"/api/schools/{schoolId}/years/2025", "/api/schools/{id}/years/{startYear}",
            new { pupils = 600, teachers = 45, classes = 24 });
        await world.SendOkAsync(schools, planner, HttpMethod.Put, $"/api/schools/{schoolId}/media-concept", "/api/schools/{id}/media-concept",
            new { status = "fullConcept", dated = "2021-02-01" });

        var schoolKey = Caller.School(world.SchoolKey);
        await Task.WhenAll(
            KnownAsync(edge, schoolKey, "/api/assets/devices", "Assets knows the school's key"),
            KnownAsync(edge, schoolKey, "/api/support/tickets", "Support knows the school's key"),
            KnownAsync(edge, schoolKey, $"/api/funding/schools/{schoolId}/allocations", "Funding knows the school's key"),
            KnownAsync(edge, admin, $"/api/staffing/counts/{schoolId}", "Staffing knows the school"));

        var assets = edge;
        var device = await world.CreateAsync(assets, schoolKey, "/api/assets/devices", "/api/assets/devices", new
        {
            serialNumber = "OUTSIDEIN0001", kind = "tablet", manufacturer = "Apple", model = "iPad 10.2 (9th gen)", ownership = "teacher",
            purchaseDate = "2020-08-01", purchasePrice = 329.00m, fundingSource = "digitalPaktBase", usefulLifeMonths = 60,
        });
        world.Ids["deviceId"] = device.GetProperty("id").GetString()!;
        world.Ids["deviceSerial"] = "OUTSIDEIN0001";
        world.Ids["serialNumber"] = "OUTSIDEIN0002";
        JsonElement board = default;
        await Eventually.AssertAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/assets/board-systems") { Content = Json.Body(new { roomId }) };
            schoolKey.Sign(request);
            using var response = await assets.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                return false;
            }

            board = await response.ReadJsonAsync();
            return true;
        }, "Assets knows the room and sets up a board system in it");
        world.GoodBodies["POST /api/assets/board-systems"] = JsonNode.Parse(JsonSerializer.Serialize(new { roomId }))!;
        world.Ids["boardSystemId"] = board.GetProperty("id").GetString()!;

        // A loan tablet lent to a pupil: the base of the attacks on the loans (their ids come from the list, the good bodies from here).
        await world.CreateAsync(assets, schoolKey, "/api/assets/devices/batch", "/api/assets/devices/batch", new
        {
            devices = new[]
            {
                new
                {
                    serialNumber = "OUTSIDEINLOAN1", kind = "tablet", manufacturer = "Apple", model = "iPad 8th gen", ownership = "loan",
                    purchaseDate = "2020-09-15", purchasePrice = 329.00m, fundingSource = "immediateEquipmentLoan", usefulLifeMonths = 60,
                },
            },
        });
        await world.CreateAsync(assets, schoolKey, "/api/assets/loans/batch", "/api/assets/loans/batch", new
        {
            lentOn = "2026-09-01", dueBack = "2027-07-15", className = "5b",
            agreement = new { template = "Leihvertrag Sofortausstattung", version = "2", signedOn = "2026-08-28" },
            accessories = new[] { "charger", "case" }, condition = "good",
            loans = new[] { new { serialNumber = "OUTSIDEINLOAN1", borrowerKind = "pupil", borrowerReference = "P-0815", guardianReference = "G-0815" } },
        });

        var support = edge;
        var report = new
        {
            reporterName = "Frau Schulz", reporterEmail = "it@gy-aussenprobe.example", category = "mail", title = "Postfach voll",
            description = "Seit heute Morgen.", impact = "medium", urgency = "medium",
        };
        var ticket = await world.CreateAsync(support, schoolKey, "/api/support/tickets", "/api/support/tickets", report);
        var other = await world.CreateAsync(support, schoolKey, "/api/support/tickets", "/api/support/tickets", report);
        world.Ids["ticketId"] = ticket.GetProperty("id").GetString()!;
        world.Ids["targetTicketId"] = other.GetProperty("id").GetString()!;
        world.Ids["otherTicketId"] = other.GetProperty("id").GetString()!;
        world.Ids["parentTicketId"] = other.GetProperty("id").GetString()!;
        // The teacher's tablet is broken: a ticket naming it (once Support knows it) and a repair case with a cost, the base of the attacks on repairs.
        var agent = Caller.Staff(PlatformRoles.Agent);
        var broken = new
        {
            schoolId, reporterName = "Frau Schulz", reporterEmail = "it@gy-aussenprobe.example", category = "device-hardware", title = "Display gebrochen",
            description = "Das Tablet ist heruntergefallen.", impact = "low", urgency = "medium", deviceSerial = "OUTSIDEIN0001",
        };
        string? brokenTicket = null;
        await Eventually.AssertAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/support/tickets") { Content = Json.Body(broken) };
            agent.Sign(request);
            using var response = await support.SendAsync(request);
            brokenTicket = response.StatusCode == HttpStatusCode.Created ? (await response.ReadJsonAsync()).GetProperty("id").GetString() : null;
            return brokenTicket is not null;
        }, "Support knows the teacher's tablet and opens a ticket for it", TimeSpan.FromSeconds(60));
        var repair = await world.CreateAsync(support, agent, $"/api/support/tickets/{brokenTicket}/repair", "/api/support/tickets/{id}/repair",
            new { diagnosis = "Display gebrochen", openedOn = "2026-11-02" });
        await world.CreateAsync(support, agent, $"/api/support/repairs/{repair.GetProperty("id").GetString()}/costs", "/api/support/repairs/{id}/costs",
            new { amount = 89.90m, description = "Kostenvoranschlag", incurredOn = "2026-11-03" });
        var article = await world.CreateAsync(support, Caller.Staff(PlatformRoles.Agent), "/api/support/knowledge/articles", "/api/support/knowledge/articles",
            new { title = "Postfach voll", category = "mail", body = "Alte Nachrichten archivieren." });
        world.Ids["articleId"] = article.GetProperty("id").GetString()!;
        await world.CreateAsync(support, admin, "/api/support/sla/school-holidays", "/api/support/sla/school-holidays",
            new { name = "Sommerferien", firstDay = "2026-07-02", lastDay = "2026-08-12" });

        var scenario = await world.CreateAsync(edge, planner, "/api/staffing/scenarios", "/api/staffing/scenarios", new
        {
            name = "Alle bis 2026", description = "The suite's scenario.",
            definition = new
            {
                firstYear = 2025, lastYear = 2026, allSchoolsByYear = 2026,
                schools = new[] { new { schoolId, year = 2025 } },
                ratios = new[]
                {
                    new { schoolType = "GY", pupilTabletsPerPupil = 0.5, teacherTabletsPerTeacher = 1, classSets = 0, tabletsPerClassSet = 0,
                        boardSystemsPerClass = 1, computerRoomDevices = 30 },
                },
                devices = Array.Empty<object>(),
            },
        });
        world.Ids["scenarioId"] = scenario.GetProperty("id").GetString()!;

        var application = await world.CreateAsync(edge, planner, "/api/funding/applications", "/api/funding/applications", new
        {
            schoolId, programmeCode = "digitalpakt-2019-ni", category = "schoolWlan", title = "WLAN im Hauptgebäude",
            description = "Access points, switches, cabling", plannedAmount = 100_000.00m, measureStart = "2022-09-01", conceptReference = "MEK-2020-03",
        });
        world.Ids["applicationId"] = application.GetProperty("id").GetString()!;
        return world;
    }

    private async Task<JsonElement> CreateAsync(HttpClient client, Caller caller, string path, string template, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json.Body(body) };
        caller.Sign(request);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Arranging the suite's city: POST {path} as {caller.Name} answered {(int)response.StatusCode}: {text}");
        GoodBodies.TryAdd($"POST {template}", JsonNode.Parse(JsonSerializer.Serialize(body, JsonOptions))!);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task SendOkAsync(HttpClient client, Caller caller, HttpMethod method, string path, string template, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = Json.Body(body) };
        caller.Sign(request);
        using var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode,
            $"Arranging the suite's city: {method} {path} as {caller.Name} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        GoodBodies.TryAdd($"{method} {template}", JsonNode.Parse(JsonSerializer.Serialize(body, JsonOptions))!);
    }

    private static Task KnownAsync(HttpClient client, Caller caller, string path, string what) => Eventually.AssertAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            caller.Sign(request);
            using var response = await client.SendAsync(request);
            return response.StatusCode == HttpStatusCode.OK;
        }, what, TimeSpan.FromSeconds(60));

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
