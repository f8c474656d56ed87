using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Auth;
using Mep.TestKit;
using Npgsql;

namespace Mep.Bench.Staffing;

internal sealed record BenchOptions(int Schools, int Devices, int Requests)
{
    /// <summary>Devices registered per event in the ingestion phase: Assets' largest batch.</summary>
    public const int DevicesPerEvent = 5_000;

    public const int IngestedEvents = 40;

    /// <summary>Requests of each kind before measuring, so the JIT and PostgreSQL's caches are warm.</summary>
    public const int WarmUpRequests = 3;
}

internal sealed class BenchResults(BenchOptions options)
{
    public const double MaxRecalculationMilliseconds = 1_000;
    public const double MaxScenarioMilliseconds = 2_000;

    public TimeSpan Seeding { get; set; }
    public long DevicesCounted { get; set; }
    public Latencies Recalculation { get; } = new();
    public Latencies Comparison { get; } = new();
    public Latencies Recount { get; } = new();
    public Latencies Scenario { get; } = new();
    public TimeSpan Ingestion { get; set; }

    public bool AllPassed => Recalculation.Percentile(0.95) < MaxRecalculationMilliseconds && Scenario.Percentile(0.95) < MaxScenarioMilliseconds;

    public void Print()
    {
        var ingested = BenchOptions.IngestedEvents * BenchOptions.DevicesPerEvent;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

            Staffing benchmark: {options.Schools:N0} schools, {options.Devices:N0} devices in the replica ({DevicesCounted:N0} in use), {options.Requests} requests each
              seeding the replica with SQL          {Seeding.TotalSeconds:0.0} s
              1. full recalculation (GET /calculation, city + districts + posts)   {Recalculation.Describe()}   target p95 < {MaxRecalculationMilliseconds:0} ms: {Verdict(Recalculation, MaxRecalculationMilliseconds)}
                 four models side by side (GET /calculation/comparison)            {Comparison.Describe()}
                 recount of every school from the device replica (admin/recount)  {Recount.Describe()}   (same 1 s yardstick: {Verdict(Recount, MaxRecalculationMilliseconds)})
              2. scenario, 10 years x {options.Schools:N0} schools x 3 models (POST /scenarios/projection)   {Scenario.Describe()}   target p95 < {MaxScenarioMilliseconds:0} ms: {Verdict(Scenario, MaxScenarioMilliseconds)}
              counts following Assets' events: {ingested:N0} devices in {BenchOptions.IngestedEvents} events through RabbitMQ applied in {Ingestion.TotalSeconds:0.0} s ({ingested / Ingestion.TotalSeconds:N0} devices/s)
            {(AllPassed ? "ALL TARGETS MET" : "A TARGET WAS MISSED")}
            """));
    }

    private static string Verdict(Latencies latencies, double limit) => latencies.Percentile(0.95) < limit ? "met" : "MISSED";
}

/// <summary>Fills a Staffing database as a Land's worth of events would have, then measures what planners ask of it.</summary>
internal static class StaffingBenchmark
{
    private static readonly string[] Types = ["GS", "GS", "GS", "GS", "GS", "GY", "GY", "IGS", "OBS", "RS", "HS", "KGS", "BBS", "FoeS"];

    public static async Task<BenchResults> RunAsync(BenchOptions options)
    {
        var results = new BenchResults(options);
        await using var database = await PostgresDatabase.CreateAsync("bench-staffing", create: false);
        await using var broker = await RabbitMqVirtualHost.CreateAsync("bench-staffing");
        Console.WriteLine("starting the Staffing service (it creates and migrates its database)");
        await using var service = await ServiceProcess.StartForBenchmarkAsync("Staffing", database, broker);
        using var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(PlatformRoles.Admin, "bench"));

        Console.WriteLine($"seeding {options.Schools:N0} schools and {options.Devices:N0} devices");
        var seeding = Stopwatch.StartNew();
        await SeedAsync(database, options);
        results.Seeding = seeding.Elapsed;
        await MeasureAsync(client, HttpMethod.Post, "/api/staffing/admin/replica/recount", null, 1, 0, new Latencies());
        var state = await GetAsync(client, "/api/staffing/admin/replica");
        results.DevicesCounted = state.GetProperty("devicesCounted").GetInt64();

        Console.WriteLine("measuring");
        await MeasureAsync(client, HttpMethod.Get, "/api/staffing/calculation", null, options.Requests, BenchOptions.WarmUpRequests, results.Recalculation);
        await MeasureAsync(client, HttpMethod.Get, "/api/staffing/calculation/comparison", null, options.Requests, BenchOptions.WarmUpRequests,
            results.Comparison);
        await MeasureAsync(client, HttpMethod.Post, "/api/staffing/admin/replica/recount", null, Math.Min(options.Requests, 5), 1, results.Recount);
        await MeasureAsync(client, HttpMethod.Post, "/api/staffing/scenarios/projection", Scenario(), options.Requests, BenchOptions.WarmUpRequests,
            results.Scenario);

        Console.WriteLine("measuring how counts follow events");
        results.Ingestion = await IngestAsync(client, database, broker);
        return results;
    }

    /// <summary>Schools of a Land (60 % at MEP standard), their school year, devices spread over the categories, 30 board systems each.</summary>
    private static async Task SeedAsync(PostgresDatabase database, BenchOptions options)
    {
        var perSchool = options.Devices / options.Schools;
        var types = string.Join(",", Types.Select(t => $"'{t}'"));
        // Millions of rows take longer than a command's default 30 s.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { CommandTimeout = 0 }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""
            INSERT INTO known_schools (school_id, number, name, type, district, at_mep_standard, mep_standard_since, as_of)
            SELECT gen_random_uuid(), lpad(n::text, 5, '0'), 'Schule ' || n, (ARRAY[{types}])[1 + n % {Types.Length}], 'Kreis ' || (1 + n % 13),
                n % 5 < 3, CASE WHEN n % 5 < 3 THEN DATE '2022-08-01' END, now()
            FROM generate_series(1, {options.Schools}) AS n;
            INSERT INTO known_school_years (school_id, start_year, pupils, teachers, classes, as_of)
            SELECT school_id, 2025, 150 + (hashtext(number) & 1023), 12 + (hashtext(name) & 63), 6 + (hashtext(number) & 31), now() FROM known_schools;
            INSERT INTO tracked_devices (device_id, school_id, school_as_of, category, classification_as_of, status, status_as_of)
            SELECT gen_random_uuid(), s.school_id, now(),
                (ARRAY['PupilTablets','PupilTablets','PupilTablets','PupilTablets','PupilTablets','PupilTablets','PupilTablets','PupilTablets',
                       'PupilTablets','TeacherTablets','TeacherTablets','TeacherTablets','LoanTablets','ClassSetTablets','ClassSetTablets',
                       'ComputerRoomDevices','ComputerRoomDevices','BoardSystemComponents','BoardSystemComponents','NetworkDevices'])[1 + g % 20],
                now(), CASE WHEN g % 50 = 0 THEN 'Retired' WHEN g % 97 = 0 THEN 'Lost' ELSE 'InService' END, now()
            FROM known_schools s CROSS JOIN generate_series(1, {perSchool}) AS g;
            INSERT INTO tracked_board_systems (board_system_id, school_id, set_up, dismantled)
            SELECT gen_random_uuid(), s.school_id, true, g % 29 = 0 FROM known_schools s CROSS JOIN generate_series(1, 30) AS g;
            """, connection);
        await command.ExecuteNonQueryAsync();
        await using var vacuum = new NpgsqlCommand("VACUUM ANALYZE", connection);
        await vacuum.ExecuteNonQueryAsync();
    }

    /// <summary>Every school at MEP standard by 2030, devices per pupil, teacher and class for every type, under three models.</summary>
    private static object Scenario()
    {
        var ratios = Types.Distinct().Select(type => new
        {
            schoolType = type == "FoeS" ? "FöS" : type,
            pupilTabletsPerPupil = type == "GS" ? 0m : 0.6m,
            teacherTabletsPerTeacher = 1m,
            classSets = type == "GS" ? 3 : 0,
            tabletsPerClassSet = 16,
            boardSystemsPerClass = 1m,
            computerRoomDevices = type == "GS" ? 0 : 30,
        }).ToArray();
        return new
        {
            definition = new
            {
                firstYear = 2026, lastYear = 2035, allSchoolsByYear = 2030, schools = Array.Empty<object>(), ratios, devices = Array.Empty<object>(),
            },
            models = new[] { "hannover-mep-2020", "ifib-bertelsmann-2017", "stuttgart" },
        };
    }

    private static async Task MeasureAsync(HttpClient client, HttpMethod method, string path, object? body, int requests, int warmUp, Latencies latencies)
    {
        for (var i = 0; i < warmUp + requests; i++)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            var watch = Stopwatch.StartNew();
            using var response = await client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            watch.Stop();
            if (!response.IsSuccessStatusCode)
            {
                throw new BenchFailure($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            if (i >= warmUp)
            {
                latencies.Add(watch.Elapsed);
            }
        }
    }

    /// <summary>Publishes Assets' registrations of 5,000 devices each to different schools and waits until every device is in the replica.</summary>
    private static async Task<TimeSpan> IngestAsync(HttpClient client, PostgresDatabase database, RabbitMqVirtualHost broker)
    {
        var before = (await GetAsync(client, "/api/staffing/admin/replica")).GetProperty("devices").GetInt64();
        var schools = (await database.ScalarAsync<string>($"SELECT string_agg(school_id::text, ',') FROM (SELECT school_id FROM known_schools LIMIT {BenchOptions.IngestedEvents}) s"))!
            .Split(',').Select(Guid.Parse).ToList();
        var bus = broker.CreateBus();
        await bus.StartAsync();
        try
        {
            var now = DateTimeOffset.UtcNow;
            var watch = Stopwatch.StartNew();
            foreach (var school in schools)
            {
                await bus.Publish(new DevicesRegistered(school, [.. Enumerable.Range(0, BenchOptions.DevicesPerEvent).Select(i => new RegisteredDevice(Guid.CreateVersion7(),
                    null, $"BENCH-{school:N}-{i}", new DeviceClassification(DeviceKind.Tablet, TabletOwnership.Teacher, null, null, null, null,
                        DeviceStatus.InService)))], now));
            }

            var expected = before + (long)BenchOptions.IngestedEvents * BenchOptions.DevicesPerEvent;
            while ((await GetAsync(client, "/api/staffing/admin/replica")).GetProperty("devices").GetInt64() < expected)
            {
                if (watch.Elapsed > TimeSpan.FromMinutes(10))
                {
                    throw new BenchFailure("the replica did not take in the published devices within 10 minutes");
                }

                await Task.Delay(100);
            }

            return watch.Elapsed;
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonDocument.Parse(text).RootElement.Clone() : throw new BenchFailure($"GET {path}: {(int)response.StatusCode} {text}");
    }
}
