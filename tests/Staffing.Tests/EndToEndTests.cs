using System.Net.Http.Headers;
using System.Text.Json;
using Mep.ServiceDefaults.Auth;

namespace Mep.Staffing.Tests;

/// <summary>
/// Staffing's acceptance across services: the demo city seeded by Schools, devices registered and retired through the Assets API,
/// a school accepted into the MEP standard through the Schools API, and Staffing following all of it through RabbitMQ. Schools and
/// Assets run as their own processes (their built dlls, as ./mep runs them) on databases of their own and Staffing's broker.
/// </summary>
public sealed class EndToEndTests(StaffingApi staffing) : IClassFixture<StaffingApi>, IAsyncLifetime
{
    private PostgresDatabase _schoolsDb = null!;
    private PostgresDatabase _assetsDb = null!;
    private ServiceProcess _assets = null!;
    private ServiceProcess _schools = null!;
    private string _demoKey = string.Empty;

    private Dictionary<string, string> Settings(PostgresDatabase database) => new()
    {
        ["ConnectionStrings:Database"] = database.ConnectionString,
        ["ConnectionStrings:Broker"] = staffing.Broker.AmqpUrl,
        ["Auth:SigningKey"] = TestTokens.SigningKey,
        ["Auth:Issuer"] = TestTokens.Issuer,
        ["Auth:Audience"] = TestTokens.Audience,
        ["RateLimits:StaffRequestsPerMinute"] = "100000",
    };

    public async Task InitializeAsync()
    {
        _schoolsDb = await PostgresDatabase.CreateAsync("e2e-schools", create: false);
        _assetsDb = await PostgresDatabase.CreateAsync("e2e-assets", create: false);
        // Consumers first: the broker drops events published before their queues are bound.
        _assets = await ServiceProcess.StartAsync(ServiceProcess.BuiltService("Assets"), Settings(_assetsDb));
        var schools = ServiceProcess.BuiltService("Schools");
        var seeded = await ServiceProcess.RunCommandAsync(schools, "seed-demo", new Dictionary<string, string>(Settings(_schoolsDb)) { ["MEP_DEMO_SCHOOL_KEY"] = "" });
        Assert.True(seeded.ExitCode == 0, seeded.Output);
        _demoKey = seeded.Output.Split('\n').Single(line => line.StartsWith("demo-school-key=", StringComparison.Ordinal))["demo-school-key=".Length..].Trim();
        _schools = await ServiceProcess.StartAsync(schools, Settings(_schoolsDb));
    }

    public async Task DisposeAsync()
    {
        await _schools.DisposeAsync();
        await _assets.DisposeAsync();
        await _schoolsDb.DisposeAsync();
        await _assetsDb.DisposeAsync();
    }

    private static HttpClient Client(ServiceProcess service, string role) => new()
    {
        BaseAddress = service.BaseAddress,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(role, $"e2e-{role}")) },
    };

    private sealed record Counted(Guid School, bool AtMep, int Tablets, int ClassSets, int Computers, int Boards);

    private async Task<List<Counted>> CountsAsync()
    {
        var body = await StaffingApi.GetOkAsync(staffing.Planner, "/api/staffing/counts?pageSize=200");
        return [.. body.GetProperty("items").EnumerateArray().Select(s =>
        {
            var c = s.GetProperty("counts");
            return new Counted(s.GetProperty("schoolId").GetGuid(), s.GetProperty("atMepStandard").GetBoolean(),
                c.GetProperty("pupilTablets").GetInt32() + c.GetProperty("teacherTablets").GetInt32() + c.GetProperty("loanTablets").GetInt32(),
                c.GetProperty("classSetTablets").GetInt32(), c.GetProperty("computerRoomDevices").GetInt32(), c.GetProperty("boardSystems").GetInt32());
        })];
    }

    /// <summary>The council paper's formula written out: tablets / 1,500 + (computer-room devices + class-set tablets + 3 × board systems) / 700.</summary>
    private static decimal HannoverByHand(List<Counted> counts)
    {
        var atMep = counts.Where(c => c.AtMep).ToList();
        var tablets = atMep.Sum(c => c.Tablets);
        var computerRoomDevices = atMep.Sum(c => c.Computers);
        var classSetTablets = atMep.Sum(c => c.ClassSets);
        var boardSystems = atMep.Sum(c => c.Boards);
        return tablets / 1500m + (computerRoomDevices + classSetTablets + 3 * boardSystems) / 700m;
    }

    private async Task<long> ReplicaDevices() =>
        (await StaffingApi.GetOkAsync(staffing.Admin, "/api/staffing/admin/replica")).GetProperty("devices").GetInt64();

    private async Task<decimal> CityFteAsync() =>
        (await StaffingApi.GetOkAsync(staffing.Planner, "/api/staffing/calculation")).GetProperty("city").GetProperty("fte").GetDecimal();

    private async Task AssertFteIsHandCalculationAsync(string when, Func<List<Counted>, bool> countsReady)
    {
        // Events may still be arriving (the demo's board systems come after its devices), so the calculation is compared with
        // counts read on both sides of it: equal reads mean the calculation saw those very counts.
        List<Counted> counts = [];
        var fte = 0m;
        await Eventually.AssertAsync(async () =>
        {
            var countsBefore = await CountsAsync();
            if (!countsReady(countsBefore))
            {
                return false;
            }

            fte = await CityFteAsync();
            counts = await CountsAsync();
            return counts.SequenceEqual(countsBefore);
        }, $"Staffing's counts {when}, unchanged across the calculation");
        Assert.Equal(HannoverByHand(counts), fte);
    }

    private static Dictionary<string, object?> Row(string serial, string kind, string? ownership = null)
    {
        var row = new Dictionary<string, object?> { ["serialNumber"] = serial, ["kind"] = kind, ["manufacturer"] = "Apple", ["model"] = "iPad" };
        if (ownership is not null)
        {
            row["ownership"] = ownership;
        }

        if (ownership == "parentFinancedPupil")
        {
            (row["pupilReference"], row["subsidyCategory"], row["contractMonthlyRate"], row["contractMonths"], row["contractProvider"]) =
                ($"P-{serial}", "none", 10.90m, 36, "GfdB");
        }

        return row;
    }

    private static async Task<JsonElement> RegisterAsync(HttpClient client, string query, IEnumerable<Dictionary<string, object?>> devices)
    {
        var response = await client.PostAsync($"/api/assets/devices/batch{query}", Json.Body(new { devices }));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"batch registration: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task The_demo_citys_hannover_fte_is_the_hand_calculation_through_registrations_retirements_an_acceptance_and_a_full_rebuild()
    {
        using var assets = Client(_assets, PlatformRoles.Planner);
        using var schools = Client(_schools, PlatformRoles.Planner);
        await Eventually.AssertAsync(async () =>
            {
                var counts = await CountsAsync();
                var inAssets = (await StaffingApi.GetOkAsync(assets, "/api/assets/counts?pageSize=1")).GetProperty("totalItems").GetInt32();
                return counts.Count == 99 && counts.Count(c => c.AtMep) == 6 && inAssets == 99;
            }, "Staffing and Assets know the demo city's 99 schools, 6 of them at MEP standard", TimeSpan.FromSeconds(60));

        // The demo inventory, as ./mep up seeds it once the services run: Staffing ends with every device Assets has.
        var inventory = await ServiceProcess.RunCommandAsync(ServiceProcess.BuiltService("Assets"), "seed-demo", Settings(_assetsDb));
        Assert.True(inventory.ExitCode == 0, inventory.Output);
        using var admin = Client(_assets, PlatformRoles.Admin);
        var assetsDevices = (await StaffingApi.GetOkAsync(admin, "/api/assets/devices?pageSize=1")).GetProperty("totalItems").GetInt64();
        Assert.True(assetsDevices > 4_000, $"the demo inventory has {assetsDevices} devices");
        await Eventually.AssertAsync(async () => await ReplicaDevices() == assetsDevices, "Staffing tracks every device of the demo inventory");
        await AssertFteIsHandCalculationAsync("with the demo inventory", _ => true);
        Assert.True(await CityFteAsync() > 0);

        // A pilot school (at MEP standard) registers tablets and computer-room devices, and sets up two more board systems.
        var pilotBefore = (await CountsAsync()).First(c => c.AtMep);
        var pilot = pilotBefore.School;
        var rooms = await StaffingApi.GetOkAsync(schools, $"/api/schools/{pilot}/rooms?pageSize=200");
        var classrooms = rooms.GetProperty("items").EnumerateArray().Where(r => r.GetProperty("kind").GetString() == "classroom")
            .Select(r => r.GetProperty("id").GetGuid()).Take(2).ToList();
        var registered = await RegisterAsync(assets, $"?schoolId={pilot}", [
            .. Enumerable.Range(1, 300).Select(i => Row($"E2E-P{i:0000}", "tablet", "parentFinancedPupil")),
            .. Enumerable.Range(1, 40).Select(i => Row($"E2E-T{i:0000}", "tablet", "teacher")),
            .. Enumerable.Range(1, 25).Select(i => Row($"E2E-C{i:0000}", "computerRoomDevice")),
        ]);
        foreach (var room in classrooms)
        {
            (await assets.PostAsync("/api/assets/board-systems", Json.Body(new { schoolId = pilot, roomId = room }))).EnsureSuccessStatusCode();
        }

        var pilotAfter = pilotBefore with
        {
            Tablets = pilotBefore.Tablets + 340, Computers = pilotBefore.Computers + 25, Boards = pilotBefore.Boards + classrooms.Count,
        };
        await AssertFteIsHandCalculationAsync("after the pilot's registration", counts => counts.Single(c => c.School == pilot) == pilotAfter);

        // A hundred of those parent-financed tablets are retired in one bulk change.
        var retired = registered.GetProperty("devices").EnumerateArray().Take(100).Select(d => d.GetProperty("deviceId").GetGuid()).ToArray();
        var bulk = await assets.PostAsync("/api/assets/devices/status-changes", Json.Body(new { deviceIds = retired, status = "retired", note = "returned" }));
        Assert.True(bulk.IsSuccessStatusCode, await bulk.Content.ReadAsStringAsync());
        await AssertFteIsHandCalculationAsync("after the retirement",
            counts => counts.Single(c => c.School == pilot).Tablets == pilotAfter.Tablets - 100);

        // The demo school (not at MEP standard) registers with its own key: the Hannover need does not change.
        var fteBeforeDemoSchool = await CityFteAsync();
        var demoSchoolBefore = (await CountsAsync()).Where(c => !c.AtMep).Sum(c => c.Tablets);
        using var demoSchool = new HttpClient { BaseAddress = _assets.BaseAddress };
        demoSchool.DefaultRequestHeaders.Add(SchoolApiKeyHandler.HeaderName, _demoKey);
        await RegisterAsync(demoSchool, "", Enumerable.Range(1, 50).Select(i => Row($"E2E-D{i:0000}", "tablet", "teacher")));
        await AssertFteIsHandCalculationAsync("after the demo school's registration",
            counts => counts.Where(c => !c.AtMep).Sum(c => c.Tablets) == demoSchoolBefore + 50);
        Assert.Equal(fteBeforeDemoSchool, await CityFteAsync());

        // A school is built out and accepted into the MEP standard through the Schools API: its devices count from then on.
        var joining = await ReadyForAcceptanceAsync(schools);
        await Eventually.AssertAsync(async () => (await StaffingApi.GetOkAsync(assets, $"/api/assets/counts?schoolId={joining}")).GetProperty("totalItems").GetInt32() == 1,
            "Assets knows the new school");
        await RegisterAsync(assets, $"?schoolId={joining}", Enumerable.Range(1, 70).Select(i => Row($"E2E-J{i:0000}", "computerRoomDevice")));
        await AssertFteIsHandCalculationAsync("with the new school's devices", counts => counts.Any(c => c.School == joining && c.Computers == 70));
        var fteBeforeAcceptance = await CityFteAsync();
        (await schools.PostAsync($"/api/schools/{joining}/rollout/acceptance", Json.Body(new { acceptedOn = "2026-08-01" }))).EnsureSuccessStatusCode();
        await AssertFteIsHandCalculationAsync("after the acceptance", counts => counts.Single(c => c.School == joining).AtMep);
        Assert.True(await CityFteAsync() > fteBeforeAcceptance);
        var before = await CountsAsync();
        var schoolYearsBefore = await staffing.Database.ScalarAsync<long>("SELECT count(*) FROM known_school_years");
        Assert.True(schoolYearsBefore >= 99, $"the demo city's school years reached Staffing ({schoolYearsBefore})");

        // A full rebuild: Staffing empties its replica, Assets and Schools publish their state again, and the counts come back the same.
        (await staffing.Admin.PostAsync("/api/staffing/admin/replica/rebuild", null)).EnsureSuccessStatusCode();
        await Eventually.AssertAsync(async () => (await CountsAsync()).OrderBy(c => c.School).SequenceEqual(before.OrderBy(c => c.School)),
            "the rebuilt counts equal the counts before", TimeSpan.FromSeconds(60));
        Assert.Equal(HannoverByHand(before), await CityFteAsync());
        await Eventually.AssertAsync(async () =>
                await staffing.Database.ScalarAsync<long>("SELECT count(*) FROM known_school_years") == schoolYearsBefore,
            "Schools' republished school years are all back");
    }

    /// <summary>A new school in the plan with one building and one staff room, surveyed, connected, cabled and equipped.</summary>
    private static async Task<Guid> ReadyForAcceptanceAsync(HttpClient schools)
    {
        async Task<JsonElement> Send(HttpMethod method, string path, object body) => await StaffingApi.SendOkAsync(schools, method, path, body);
        var school = (await Send(HttpMethod.Post, "/api/schools", new
        {
            number = "99901", name = "IGS Beispiel", type = "IGS", district = "Mitte",
            address = new { street = "Schulstraße 1", postalCode = "30159", city = "Hannover" },
        })).GetProperty("id").GetGuid();
        await Send(HttpMethod.Put, $"/api/schools/{school}/programmes", new
        {
            mepPilot = new { participates = false, since = (string?)null },
            mepStandard = new { status = "planned", wave = 3, targetYear = 2026, joinedOn = (string?)null },
            portal = new { participates = false, onboardedOn = (string?)null },
            mobileLearning = new { participates = false, mdmEnrolledOn = (string?)null },
        });
        var building = (await Send(HttpMethod.Post, $"/api/schools/{school}/buildings", new { name = "Hauptgebäude" })).GetProperty("id").GetGuid();
        var room = (await Send(HttpMethod.Post, $"/api/schools/{school}/buildings/{building}/rooms", new { number = "0.L", kind = "staffRoom" }))
            .GetProperty("id").GetGuid();
        await Send(HttpMethod.Put, $"/api/schools/{school}/rollout/milestones/surveyed", new { plannedOn = "2026-03-01", reachedOn = "2026-03-01" });
        await Send(HttpMethod.Put, $"/api/schools/{school}/rollout/broadband", new
        {
            kind = "ownFibre", status = "connected", bandwidthMbits = 1000, provider = "Stadt Hannover", monthlyCost = 180.00m, connectionCost = 42500.00m,
            backboneNode = "KN-MITTE",
        });
        await Send(HttpMethod.Put, $"/api/schools/{school}/buildings/{building}/network",
            new { technicalRooms = "done", distributors = "done", cabling = "done", cablingMetres = 800 });
        await Send(HttpMethod.Put, $"/api/schools/{school}/rooms/{room}/rollout", new
        {
            wlan = "accepted", accessPointsPlanned = 1, accessPointsInstalled = 1, boardSystemPlanned = false, computerRoomReplacement = "notStarted",
        });
        return school;
    }
}
