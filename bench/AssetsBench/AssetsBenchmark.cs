using System.Diagnostics;
using System.Globalization;
using System.Net;
using Mep.Contracts;
using Mep.ServiceDefaults.Auth;
using Mep.TestKit;
using Npgsql;

namespace Mep.Bench.Assets;

/// <param name="ImportDevices">Devices registered through the API (and copied raw for the baseline).</param>
/// <param name="StoredDevices">Devices stored in all when the list queries run.</param>
/// <param name="QueryRequests">Measured requests per list query (after a warm-up).</param>
internal sealed record BenchOptions(int ImportDevices, int StoredDevices, int QueryRequests)
{
    /// <summary>The endpoint's maximum; a school's inventory software sends full batches.</summary>
    public const int BatchRows = 5_000;

    /// <summary>About a large secondary school's inventory; 1,000,000 devices are then 100 schools.</summary>
    public const int DevicesPerSchool = 10_000;

    /// <summary>
    /// Stored batches before the measured import, so that it meets a warm service as the baseline meets a warm connection: in a
    /// fresh process the JIT recompiles hot code for some 10 s (dotnet-counters: 0.3-0.9 s of JIT per second during 20 batches).
    /// At least this many; then more until the JIT is done (<see cref="JitQuietShare"/>): after 10 batches on two busy cores the
    /// JIT thread still took a quarter to a third of the service's CPU samples during the measured import, and some 3,600 methods
    /// (the batch's own per-row code among them) were still being recompiled (perf with the runtime's perf map).
    /// </summary>
    public const int WarmUpBatches = 10;

    /// <summary>
    /// The JIT counts as finished when its background thread (".NET Tiered Compilation") used less than this share of a warm-up
    /// batch's time, as in the support bench; where that thread cannot be seen (no /proc), after <see cref="WarmUpBatches"/>.
    /// </summary>
    public const double JitQuietShare = 0.01;

    /// <summary>
    /// Quiet batches in a row that end the warm-up: the JIT works in bursts, and after a single quiet batch it still compiled
    /// some 550 methods (12 % of the service's and database's CPU samples) during the measured import.
    /// </summary>
    public const int QuietBatches = 2;

    /// <summary>The warm-up ends after this many batches even if the JIT is still busy (the output then says so).</summary>
    public const int MaxWarmUpBatches = 60;
}

/// <summary>A list request: the query string after schoolId, and the same filter in SQL to know the totals it must report.</summary>
/// <param name="SqlOrder">The order the service asks PostgreSQL for, to show the plans (<see cref="AssetsBenchmark"/>.ExplainAsync).</param>
internal sealed record ListQuery(string Parameters, string SqlFilter, string SqlOrder);

/// <summary>The measurements of the acceptance targets for import, list and the OData feed, in one run against one PostgreSQL server.</summary>
internal static class AssetsBenchmark
{
    private static readonly SchoolType[] SecondaryTypes = [SchoolType.GY, SchoolType.OBS, SchoolType.IGS, SchoolType.RS, SchoolType.KGS];

    /// <summary>The target query first (the filters a planner uses most), then one on another index and one without filters.</summary>
    private static readonly ListQuery[] Queries =
    [
        new("kind=tablet&status=inService&sort=serialNumber", "kind = 'Tablet' AND status = 'InService'", "serial_number"),
        new("status=inService,inRepair&sort=-createdAt", "status IN ('InService', 'InRepair')", "created_at DESC, id DESC"),
        new("sort=serialNumber", "true", "serial_number"),
    ];

    public static async Task<BenchResults> RunAsync(BenchOptions options)
    {
        var results = new BenchResults(options);
        // Imported schools are secondary schools (pupil devices with subsidies and contracts); every third other school is a primary school.
        var schools = Enumerable.Range(0, options.StoredDevices / BenchOptions.DevicesPerSchool)
            .Select(i => new BenchSchool(Guid.CreateVersion7(), i,
                i >= options.ImportDevices / BenchOptions.DevicesPerSchool && i % 3 == 0 ? SchoolType.GS : SecondaryTypes[i % SecondaryTypes.Length]))
            .ToList();
        var importSchools = schools.Take(options.ImportDevices / BenchOptions.DevicesPerSchool).ToList();
        var mix = new DeviceMix(seed: 20_260_501);
        var imported = importSchools.SelectMany(school => Enumerable.Range(0, BenchOptions.DevicesPerSchool).Select(_ => mix.Next(school, established: false))).ToList();

        await using var apiDatabase = await PostgresDatabase.CreateAsync("bench-assets-api", create: false);
        await using var copyDatabase = await PostgresDatabase.CreateAsync("bench-assets-copy", create: false);
        await using var broker = await RabbitMqVirtualHost.CreateAsync("bench-assets");

        // The baseline's table comes from the same migrations (same indexes and checks): the service migrates its database at start-up.
        Step("migrating the baseline database (the service starts once against it)");
        await using (await ServiceProcess.StartForBenchmarkAsync("Assets", copyDatabase, broker))
        {
        }

        Step("starting the service under test");
        await using var service = await ServiceProcess.StartForBenchmarkAsync("Assets", apiDatabase, broker);
        var warmUpSchool = new BenchSchool(Guid.CreateVersion7(), schools.Count, SchoolType.GY);
        var loanSchool = new BenchSchool(Guid.CreateVersion7(), schools.Count + 1, SchoolType.IGS);
        await DevicesTable.AddKnownSchoolsAsync(apiDatabase.ConnectionString, [.. schools, warmUpSchool, loanSchool]);
        using var api = new AssetsApi(service.BaseAddress, TestTokens.For(PlatformRoles.Planner, "bench-planner"));

        var servicePid = CpuMeter.FindChildProcess("Mep.Assets.dll");
        await WarmUpImportAsync(api, apiDatabase, warmUpSchool, new DeviceMix(seed: 7), servicePid);
        // After the warm-up, so that its figures are the warm service's; refused batches store nothing.
        await ProbeImportStagesAsync(api, importSchools[0], mix, results);
        // The service's CPU includes its relay publishing the import's events, during the import and after the last answer.
        results.ImportCpu = await MeasureCpuAsync(apiDatabase, servicePid, async () =>
        {
            await ImportThroughApiAsync(api, apiDatabase, imported, results);
            // The relay publishes the import's events after the answers; the baseline gets the machine to itself, as the API had at its start.
            results.RelayCatchUp = await WaitForRelayAsync(apiDatabase);
        });
        await CopyRawAsync(copyDatabase, imported, results);
        await CheckSameDevicesAsync(apiDatabase, copyDatabase, results);
        // Loans next, while the stored inventory is the import's: the hand-out finds its devices among as many as the import checked against.
        await LoanRounds.RunAsync(api, apiDatabase, loanSchool, mix, results);

        await FillAsync(apiDatabase, [.. schools.Skip(importSchools.Count)], mix, options);
        foreach (var query in Queries)
        {
            await MeasureListAsync(api, apiDatabase, query, options.QueryRequests, results);
        }

        await MeasureODataAsync(api, apiDatabase, options.QueryRequests, results);
        await MeasureApplyAsync(api, apiDatabase, Math.Max(20, options.QueryRequests / 10), results);
        return results;
    }

    /// <summary>Target 1: the batches one after the other, as a school's inventory software sends them, timed from the first request to the last answer.</summary>
    private static async Task ImportThroughApiAsync(AssetsApi api, PostgresDatabase database, List<BenchDevice> devices, BenchResults results)
    {
        var batches = devices.Chunk(BenchOptions.BatchRows).Select(batch => (School: batch[0].SchoolId, Body: AssetsApi.BatchBody(batch))).ToList();
        Step($"API import: {devices.Count:N0} devices in {batches.Count} batches of {BenchOptions.BatchRows:N0} " +
             $"({batches.Average(b => b.Body.Length) / 1024 / 1024:0.0} MB of JSON each)");

        var clock = Stopwatch.StartNew();
        foreach (var (school, body) in batches)
        {
            var answer = await api.PostBatchAsync(school, body);
            Expect(answer, HttpStatusCode.OK, $"batch {results.BatchTimes.Count + 1}");
            var created = answer.Json.GetProperty("created").GetInt32();
            if (created != BenchOptions.BatchRows)
            {
                throw new BenchFailure($"batch {results.BatchTimes.Count + 1}: {created} devices created, expected {BenchOptions.BatchRows}.");
            }

            results.BatchTimes.Add(answer.Elapsed);
            Console.WriteLine($"  batch {results.BatchTimes.Count,2}: {answer.Elapsed.TotalMilliseconds,6:0} ms ({answer.Body.Length / 1024} KiB answer)");
        }

        results.ImportTime = clock.Elapsed;
        var stored = await database.ScalarAsync<long>("SELECT count(*) FROM devices");
        if (stored != devices.Count)
        {
            throw new BenchFailure($"{stored:N0} devices stored after the import, expected {devices.Count:N0}.");
        }

        results.OutboxPendingAfterImport = await database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE published_at IS NULL");
        results.HistoryRows = await database.ScalarAsync<long>("SELECT count(*) FROM device_history");
    }

    /// <summary>Target 1's baseline: the same rows (same columns and values) in one binary COPY into an identical empty table.</summary>
    private static async Task CopyRawAsync(PostgresDatabase database, List<BenchDevice> devices, BenchResults results)
    {
        Step($"raw binary COPY of the same {devices.Count:N0} devices into the baseline database");
        await using var connection = await DevicesTable.OpenAsync(database.ConnectionString);
        // The API was warmed up; so is the baseline, on a scratch copy of the table: the devices table itself stays untouched and empty.
        await using (var scratch = new NpgsqlCommand("CREATE TEMP TABLE devices (LIKE public.devices INCLUDING ALL)", connection))
        {
            await scratch.ExecuteNonQueryAsync();
        }

        await DevicesTable.CopyAsync(connection, devices.Take(BenchOptions.BatchRows), _ => DateTimeOffset.UtcNow);
        await using (var drop = new NpgsqlCommand("DROP TABLE pg_temp.devices", connection))
        {
            await drop.ExecuteNonQueryAsync();
        }

        var now = DateTimeOffset.UtcNow;
        results.CopyCpu = await MeasureCpuAsync(database, servicePid: null, async () =>
        {
            var clock = Stopwatch.StartNew();
            await DevicesTable.CopyAsync(connection, devices, _ => now);
            results.CopyTime = clock.Elapsed;
        });
    }

    /// <summary>
    /// The CPU a phase cost the bench (the client), the service and PostgreSQL's backends of its database, read from /proc: on a
    /// shared machine the wall clock also counts others' work, CPU time counts only this phase's. Null where /proc is missing.
    /// </summary>
    private static async Task<CpuUse?> MeasureCpuAsync(PostgresDatabase database, int? servicePid, Func<Task> phase)
    {
        if (!CpuMeter.Available)
        {
            await phase();
            return null;
        }

        await using var meter = await CpuMeter.StartAsync(database.ConnectionString, servicePid);
        await phase();
        return await meter.StopAsync();
    }

    private static async Task CheckSameDevicesAsync(PostgresDatabase apiDatabase, PostgresDatabase copyDatabase, BenchResults results)
    {
        var viaApi = await DevicesTable.FingerprintAsync(apiDatabase.ConnectionString);
        var viaCopy = await DevicesTable.FingerprintAsync(copyDatabase.ConnectionString);
        results.SameDevices = viaApi == viaCopy;
        if (!results.SameDevices)
        {
            results.Remarks.Add($"the API and the raw COPY stored different devices: {viaApi.Count:N0} rows md5 {viaApi.Hash} vs {viaCopy.Count:N0} rows md5 {viaCopy.Hash}");
        }
    }

    /// <summary>
    /// Where a batch's time goes, seen from outside (the service is not instrumented): a batch refused at its last row's JSON
    /// costs upload and parsing; one refused at its last row's kind adds every check and lookup; a stored batch adds the
    /// writes, the commit and the answer. Nothing is stored by these requests.
    /// </summary>
    private static async Task ProbeImportStagesAsync(AssetsApi api, BenchSchool school, DeviceMix mix, BenchResults results)
    {
        Step("probing the stages of a batch (requests refused at their last row)");
        var body = AssetsApi.BatchBody(Enumerable.Range(0, BenchOptions.BatchRows).Select(_ => mix.Next(school, established: false)));
        var unreadable = AssetsApi.WithLastRow(body, row => row["unexpectedField"] = 1);
        var unacceptable = AssetsApi.WithLastRow(body, row => row["kind"] = "bogus");
        var parsed = new Latencies();
        var checkedRows = new Latencies();
        for (var i = 0; i < 7; i++)
        {
            parsed.Add(Expect(await api.PostBatchAsync(school.Id, unreadable), HttpStatusCode.BadRequest, "batch with an unknown field").Elapsed);
            checkedRows.Add(Expect(await api.PostBatchAsync(school.Id, unacceptable), HttpStatusCode.UnprocessableEntity, "batch with a bad kind").Elapsed);
        }

        results.ParseOnly = parsed.Percentile(0.5);
        results.ParseAndCheck = checkedRows.Percentile(0.5);
    }

    /// <summary>
    /// Stored batches of a school outside the measured ones, until the JIT has compiled the whole path (copy, event, answer,
    /// relay) optimised; then the tables are emptied again, so the measured import starts where the baseline starts.
    /// </summary>
    private static async Task WarmUpImportAsync(AssetsApi api, PostgresDatabase database, BenchSchool school, DeviceMix mix, int? servicePid)
    {
        const string JitThread = ".NET Tiered Com";
        Step($"warming up: {BenchOptions.WarmUpBatches} to {BenchOptions.MaxWarmUpBatches} stored batches of a school outside the measurement " +
             $"(until the service's JIT used less than {BenchOptions.JitQuietShare:P0} of {BenchOptions.QuietBatches} batches' time in a row), then the tables emptied again");
        var clock = Stopwatch.StartNew();
        var shares = new List<string>();
        var (jitDone, quietBatches) = (false, 0);
        while (shares.Count < BenchOptions.MaxWarmUpBatches && (shares.Count < BenchOptions.WarmUpBatches || !jitDone))
        {
            var batch = Enumerable.Range(0, BenchOptions.BatchRows).Select(_ => mix.Next(school, established: false));
            var body = AssetsApi.BatchBody(batch);
            var jitBefore = servicePid is { } pid ? CpuMeter.ThreadCpu(pid, JitThread) : null;
            var answer = Expect(await api.PostBatchAsync(school.Id, body), HttpStatusCode.OK, $"warm-up batch {shares.Count + 1}");
            var jitAfter = servicePid is { } same ? CpuMeter.ThreadCpu(same, JitThread) : null;
            if (jitBefore is { } before && jitAfter is { } after)
            {
                var jitShare = CpuMeter.ThreadCpuBetween(before, after) / answer.Elapsed;
                quietBatches = jitShare < BenchOptions.JitQuietShare ? quietBatches + 1 : 0;
                jitDone = quietBatches >= BenchOptions.QuietBatches;
                shares.Add(string.Create(CultureInfo.InvariantCulture, $"{jitShare:P0}"));
            }
            else
            {
                jitDone = true;
                shares.Add("?");
            }
        }

        await WaitForRelayAsync(database);
        // Loans refer to devices (a foreign key): emptied together, though the warm-up lends nothing.
        await database.ExecuteAsync("TRUNCATE devices, device_history, outbox_messages, loans");
        Console.WriteLine($"  warmed up in {clock.Elapsed.TotalSeconds:0.0} s, {shares.Count} batches; JIT share of each: {string.Join(", ", shares)}" +
                          (jitDone ? "" : " (not settled: stopped at the most batches allowed)"));
    }

    /// <summary>The rest of the city's inventory, written raw (the query target is about the stored volume, not how it got there), then statistics.</summary>
    private static async Task FillAsync(PostgresDatabase database, List<BenchSchool> schools, DeviceMix mix, BenchOptions options)
    {
        var count = options.StoredDevices - options.ImportDevices;
        Step($"filling up to {options.StoredDevices:N0} devices (and the loans phase's {LoanRounds.Devices:N0}): {count:N0} more by raw COPY, then VACUUM ANALYZE");
        var clock = Stopwatch.StartNew();
        await using (var connection = await DevicesTable.OpenAsync(database.ConnectionString))
        {
            // Schools register over the years, so one school's devices are spread over the table (not one block per school): a
            // registration batch of each school in turn. Registered some days after purchase, a batch at a time: many devices share a
            // creation instant, as with the batch API.
            const int RegistrationBatch = 500;
            var rounds = Enumerable.Range(0, BenchOptions.DevicesPerSchool / RegistrationBatch);
            await DevicesTable.CopyAsync(connection,
                rounds.SelectMany(_ => schools.SelectMany(school => Enumerable.Range(0, RegistrationBatch).Select(_ => mix.Next(school, established: true)))),
                device => new DateTimeOffset(device.PurchaseDate!.Value.AddDays(14).ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero));
            await using var vacuum = new NpgsqlCommand("VACUUM ANALYZE devices", connection) { CommandTimeout = 1_800 };
            await vacuum.ExecuteNonQueryAsync();
        }

        var stored = await database.ScalarAsync<long>("SELECT count(*) FROM devices");
        Console.WriteLine($"  {stored:N0} devices stored ({clock.Elapsed.TotalSeconds:0.0} s); devices table and indexes: " +
                          await database.ScalarAsync<string>("SELECT pg_size_pretty(pg_total_relation_size('devices'))"));
    }

    /// <summary>Until the relay has published every event the import recorded (it would otherwise compete for the machine).</summary>
    internal static async Task<TimeSpan> WaitForRelayAsync(PostgresDatabase database)
    {
        var clock = Stopwatch.StartNew();
        await Eventually.AssertAsync(async () => await database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE published_at IS NULL") == 0,
            "the events written so far relayed", TimeSpan.FromMinutes(10));
        Console.WriteLine($"  outbox drained (waited {clock.Elapsed.TotalSeconds:0.0} s)");
        return clock.Elapsed;
    }

    /// <summary>
    /// Target 3: one school's devices, filtered, sorted, a page of 50 with the total count, for random schools and pages, one
    /// request after the other; each answer is checked against the database (total and page length).
    /// </summary>
    private static async Task MeasureListAsync(AssetsApi api, PostgresDatabase database, ListQuery query, int requests, BenchResults results)
    {
        const int PageSize = 50;
        Step($"list query ?schoolId=…&{query.Parameters}&page=…&pageSize={PageSize}: {requests} requests after a warm-up");
        var totals = (await DevicesTable.CountPerSchoolAsync(database.ConnectionString, query.SqlFilter)).ToList();
#pragma warning disable CA5394 // Which school and page to ask for: reproducible, not security.
        var random = new Random(requests);
        var latencies = new Latencies();
        var wrongAnswers = new List<string>();
        for (var i = -requests / 5; i < requests; i++)
        {
            var (school, total) = totals[random.Next(totals.Count)];
            var pages = (total + PageSize - 1) / PageSize;
            var page = random.Next(1, pages + 1);
#pragma warning restore CA5394
            var answer = Expect(await api.GetAsync($"/api/assets/devices?schoolId={school}&{query.Parameters}&page={page}&pageSize={PageSize}"),
                HttpStatusCode.OK, "list request");
            var json = answer.Json;
            var expectedItems = Math.Min(PageSize, total - ((page - 1) * PageSize));
            if (json.GetProperty("totalItems").GetInt32() != total || json.GetProperty("items").GetArrayLength() != expectedItems)
            {
                wrongAnswers.Add($"page {page} of school {school}: totalItems {json.GetProperty("totalItems")} (expected {total}), " +
                                 $"{json.GetProperty("items").GetArrayLength()} items (expected {expectedItems})");
            }

            if (i >= 0)
            {
                latencies.Add(answer.Elapsed);
            }
        }

        if (wrongAnswers.Count > 0)
        {
            results.Remarks.Add($"{query.Parameters}: {wrongAnswers.Count} wrong answers, e.g. {wrongAnswers[0]}");
        }

        results.ListLatencies[query.Parameters] = latencies;
        Console.WriteLine($"  {latencies.Describe()} ({totals.Average(t => t.Value):N0} matching devices per school on average)");
        await ExplainAsync(database, query, totals.MaxBy(t => t.Value));
    }

    /// <summary>
    /// How PostgreSQL runs the list's two statements (the total, and the page's ids with their devices) for the largest school at
    /// the deepest page the service reads (half way: the back half is read from the end): the first lines of each plan.
    /// </summary>
    private static async Task ExplainAsync(PostgresDatabase database, ListQuery query, KeyValuePair<Guid, int> school)
    {
        var where = $"school_id = '{school.Key}' AND {query.SqlFilter}";
        var offset = school.Value / 2;
        string[] statements =
        [
            $"SELECT count(*) FROM devices WHERE {where}",
            $"SELECT d.* FROM devices d WHERE d.id IN (SELECT id FROM devices WHERE {where} ORDER BY {query.SqlOrder} LIMIT 50 OFFSET {offset}) ORDER BY {query.SqlOrder}",
        ];
        await using var connection = await DevicesTable.OpenAsync(database.ConnectionString);
        foreach (var statement in statements)
        {
            await using var explain = new NpgsqlCommand($"EXPLAIN (ANALYZE, BUFFERS) {statement}", connection);
            await using var reader = await explain.ExecuteReaderAsync();
            var lines = new List<string>();
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }

            Console.WriteLine($"  plan ({(statement.StartsWith("SELECT count", StringComparison.Ordinal) ? "total" : $"page at offset {offset:N0}")}): " +
                              string.Join(" | ", lines.Where(l => l.Contains("Scan", StringComparison.Ordinal) || l.Contains("Sort", StringComparison.Ordinal)
                                                                  || l.StartsWith("Execution", StringComparison.Ordinal)).Select(l => l.Trim())));
        }
    }

    /// <summary>
    /// The feed's target: the OData feed's query for one school's tablets (filter, order, top 50, count), against the same query
    /// written by hand and sent through Npgsql (both statements in one round trip, every column read). The two alternate, so
    /// both see the same machine; each feed answer is checked against the hand-written one.
    /// </summary>
    private static async Task MeasureODataAsync(AssetsApi api, PostgresDatabase database, int requests, BenchResults results)
    {
        Step($"OData feed vs hand-written SQL: Devices?$filter=SchoolId eq … and Kind eq 'Tablet'&$orderby=Serial&$top=50&$count=true, {requests} requests each after a warm-up");
        var schools = (await DevicesTable.CountPerSchoolAsync(database.ConnectionString, "kind = 'Tablet'")).ToList();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
#pragma warning disable CA5394 // Which school to ask for: reproducible, not security.
        var random = new Random(requests + 1);
        var wrongAnswers = new List<string>();
        for (var i = -requests / 5; i < requests; i++)
        {
            var (school, total) = schools[random.Next(schools.Count)];
#pragma warning restore CA5394
            var feed = Expect(await api.GetAsync($"/api/assets/odata/Devices?$filter=SchoolId eq {school} and Kind eq 'Tablet'&$orderby=Serial&$top=50&$count=true"),
                HttpStatusCode.OK, "feed request");
            var raw = await DevicesTable.TabletsPageAsync(dataSource, school);
            var json = feed.Json;
            var serials = json.GetProperty("value").EnumerateArray().Select(d => d.GetProperty("Serial").GetString()).ToList();
            if (json.GetProperty("@odata.count").GetInt64() != total || raw.Count != total || !serials.SequenceEqual(raw.Serials))
            {
                wrongAnswers.Add($"school {school}: feed count {json.GetProperty("@odata.count")}, SQL count {raw.Count}, expected {total}; first serials {serials.FirstOrDefault()} / {raw.Serials.FirstOrDefault()}");
            }

            if (i >= 0)
            {
                results.ODataLatencies.Add(feed.Elapsed);
                results.RawSqlLatencies.Add(raw.Elapsed);
            }
        }

        if (wrongAnswers.Count > 0)
        {
            results.Remarks.Add($"OData feed: {wrongAnswers.Count} answers differ from the hand-written SQL, e.g. {wrongAnswers[0]}");
        }

        Console.WriteLine($"  feed {results.ODataLatencies.Describe()}; hand-written SQL {results.RawSqlLatencies.Describe()}");
    }

    /// <summary>
    /// The aggregation target: device counts per school and kind over every stored device with $apply, against the same
    /// GROUP BY written by hand (the first page of 500 groups in the feed's order). They alternate, and each answer is checked.
    /// </summary>
    private static async Task MeasureApplyAsync(AssetsApi api, PostgresDatabase database, int requests, BenchResults results)
    {
        const string Query = "Devices?$apply=groupby((SchoolId,Kind),aggregate($count as Devices))";
        Step($"OData $apply vs hand-written GROUP BY: {Query}, {requests} requests each after a warm-up");
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var wrongAnswers = 0;
        for (var i = -requests / 5; i < requests; i++)
        {
            var feed = Expect(await api.GetAsync($"/api/assets/odata/{Query}"), HttpStatusCode.OK, "$apply request");
            var raw = await DevicesTable.CountsPerSchoolAndKindAsync(dataSource, 500);
            var groups = feed.Json.GetProperty("value").EnumerateArray()
                .Select(g => (g.GetProperty("SchoolId").GetGuid(), g.GetProperty("Kind").GetString()!, g.GetProperty("Devices").GetInt64())).ToList();
            if (!groups.SequenceEqual(raw.Groups))
            {
                wrongAnswers++;
            }

            if (i >= 0)
            {
                results.ApplyLatencies.Add(feed.Elapsed);
                results.RawGroupByLatencies.Add(raw.Elapsed);
            }
        }

        if (wrongAnswers > 0)
        {
            results.Remarks.Add($"OData $apply: {wrongAnswers} answers differ from the hand-written GROUP BY");
        }

        Console.WriteLine($"  $apply {results.ApplyLatencies.Describe()}; hand-written GROUP BY {results.RawGroupByLatencies.Describe()}");
    }

    internal static Answer Expect(Answer answer, HttpStatusCode status, string what) =>
        answer.Status == status ? answer : throw new BenchFailure($"{what}: expected {(int)status}, got {answer.Describe()}");

    /// <summary>With the load average: the machine may be shared, and a busy one shows in every figure.</summary>
    internal static void Step(string what) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{DateTime.Now:HH:mm:ss} load {LoadAverage()}] {what}"));

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
