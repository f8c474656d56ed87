using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Mep.ServiceDefaults.Auth;
using Mep.TestKit;
using Npgsql;

namespace Mep.Bench.Funding;

internal sealed record BenchOptions(int Schools, int Expenditures, int Requests)
{
    /// <summary>Requests of each kind before measuring, so the JIT and PostgreSQL's caches are warm.</summary>
    public const int WarmUpRequests = 3;

    /// <summary>Applications per school in the DigitalPakt programme (networking, WLAN, boards, tablets).</summary>
    public const int ApplicationsPerSchool = 4;

    public const string Programme = "digitalpakt-2019-ni";
}

internal sealed class BenchResults(BenchOptions options)
{
    public const double MaxReportMilliseconds = 200;

    public TimeSpan Seeding { get; set; }
    public int ReportRows { get; set; }
    public Latencies Report { get; } = new();
    public Latencies Csv { get; } = new();
    public Latencies OneSchool { get; } = new();

    public bool AllPassed => Report.Percentile(0.95) < MaxReportMilliseconds && OneSchool.Percentile(0.95) < MaxReportMilliseconds;

    public void Print() => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

        Funding benchmark: {options.Schools:N0} schools, {options.Schools * BenchOptions.ApplicationsPerSchool:N0} applications, {options.Expenditures:N0} expenditures, {options.Requests} requests each
          seeding with SQL                     {Seeding.TotalSeconds:0.0} s
          per-school report, one programme, {ReportRows:N0} rows (GET /reports/schools)   {Report.Describe()}   target p95 < {MaxReportMilliseconds:0} ms: {Verdict(Report)}
          the same as CSV (GET /reports/schools.csv)                                  {Csv.Describe()}
          one school over every programme (GET /reports/schools/:id)                    {OneSchool.Describe()}   target p95 < {MaxReportMilliseconds:0} ms: {Verdict(OneSchool)}
        {(AllPassed ? "ALL TARGETS MET" : "A TARGET WAS MISSED")}
        """));

    private static string Verdict(Latencies latencies) => latencies.Percentile(0.95) < MaxReportMilliseconds ? "met" : "MISSED";
}

/// <summary>Fills a Funding database as a Land's finance department would have, then measures the per-school report.</summary>
internal static class FundingBenchmark
{
    public static async Task<BenchResults> RunAsync(BenchOptions options)
    {
        var results = new BenchResults(options);
        await using var database = await PostgresDatabase.CreateAsync("bench-funding", create: false);
        await using var broker = await RabbitMqVirtualHost.CreateAsync("bench-funding");
        Console.WriteLine("starting the Funding service (it creates and migrates its database)");
        await using var service = await ServiceProcess.StartForBenchmarkAsync("Funding", database, broker);
        using var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(PlatformRoles.Finance, "bench"));

        Console.WriteLine($"seeding {options.Schools:N0} schools and {options.Expenditures:N0} expenditures");
        var seeding = Stopwatch.StartNew();
        await SeedAsync(database, options);
        results.Seeding = seeding.Elapsed;

        Console.WriteLine("measuring");
        var report = $"/api/funding/reports/schools?programme={BenchOptions.Programme}";
        results.ReportRows = (await GetAsync(client, report)).GetProperty("schools").GetArrayLength();
        if (results.ReportRows != options.Schools)
        {
            throw new BenchFailure($"the report has {results.ReportRows} rows, not one per school ({options.Schools})");
        }

        await MeasureAsync(client, _ => report, options.Requests, results.Report);
        await MeasureAsync(client, _ => $"/api/funding/reports/schools.csv?programme={BenchOptions.Programme}", options.Requests, results.Csv);
        var schools = (await database.ScalarAsync<string>("SELECT string_agg(school_id::text, ',') FROM (SELECT school_id FROM known_schools ORDER BY random() LIMIT 100) s"))!
            .Split(',');
        await MeasureAsync(client, i => $"/api/funding/reports/schools/{schools[i % schools.Length]}", options.Requests, results.OneSchool);
        return results;
    }

    /// <summary>
    /// Schools of a Land with pupils, base and per-pupil allocations, four applications each in every state, the expenditures spread over
    /// them and a draw for each approved one: the rows the report sums.
    /// </summary>
    private static async Task SeedAsync(PostgresDatabase database, BenchOptions options)
    {
        var perApplication = Math.Max(1, options.Expenditures / (options.Schools * BenchOptions.ApplicationsPerSchool));
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { CommandTimeout = 0 }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""
            INSERT INTO known_schools (school_id, number, name, type, district, at_mep_standard, mep_standard_since, as_of)
            SELECT gen_random_uuid(), lpad(n::text, 5, '0'), 'Schule ' || n, (ARRAY['GS','GS','GS','GY','IGS','OBS','RS','BBS'])[1 + n % 8],
                'Kreis ' || (1 + n % 40), false, NULL, now()
            FROM generate_series(1, {options.Schools}) AS n;
            INSERT INTO known_school_years (school_id, start_year, pupils, teachers, as_of)
            SELECT school_id, 2019, 40 + (hashtext(number) & 1023), 20, now() FROM known_schools;
            INSERT INTO allocations (programme_code, school_id, base_amount, base_pupils, per_pupil_share, updated_at, updated_by)
            SELECT '{BenchOptions.Programme}', s.school_id, CASE WHEN y.pupils >= 60 THEN 30000 ELSE 500 * y.pupils END, y.pupils,
                round(y.pupils * 170.37, 2), now(), 'bench'
            FROM known_schools s JOIN known_school_years y USING (school_id);
            INSERT INTO applications (id, programme_code, school_id, category, title, planned_amount, surcharge_amount, approved_amount, drawn_amount,
                measure_start, status, submitted_on, approved_on, created_at, created_by, updated_at)
            SELECT gen_random_uuid(), '{BenchOptions.Programme}', s.school_id, (ARRAY['Networking','SchoolWlan','DisplayDevices','MobileDevices'])[g],
                'Maßnahme ' || g, 20000 * g, 4000 * g, CASE WHEN g < 4 THEN 20000 * g END, CASE WHEN g < 3 THEN 10000 * g ELSE 0 END,
                DATE '2020-02-01', (ARRAY['InProgress','Completed','Approved','Submitted'])[g], DATE '2020-03-01',
                CASE WHEN g < 4 THEN DATE '2020-04-01' END, now(), 'bench', now()
            FROM known_schools s CROSS JOIN generate_series(1, {BenchOptions.ApplicationsPerSchool}) AS g;
            INSERT INTO expenditures (id, application_id, school_id, programme_code, vendor, invoice_number, invoice_date, amount, category, device_ids,
                rollout_item_ids, recorded_at, recorded_by)
            SELECT gen_random_uuid(), a.id, a.school_id, a.programme_code, 'Vendor ' || (hashtext(a.id::text) & 63),
                a.id::text || '-' || g, DATE '2020-05-01' + g, round((a.planned_amount / {perApplication}) * 0.9, 2), a.category, '[]'::jsonb, '[]'::jsonb, now(), 'bench'
            FROM applications a CROSS JOIN generate_series(1, {perApplication}) AS g;
            UPDATE applications a SET spent_amount = s.spent
            FROM (SELECT application_id, sum(amount) AS spent FROM expenditures GROUP BY application_id) s WHERE s.application_id = a.id;
            INSERT INTO draws (id, application_id, school_id, programme_code, amount, drawn_on, reference, drawn_at, drawn_by)
            SELECT gen_random_uuid(), a.id, a.school_id, a.programme_code, a.drawn_amount, DATE '2020-09-01', 'Abruf 1', now(), 'bench'
            FROM applications a WHERE a.drawn_amount > 0;
            """, connection);
        await command.ExecuteNonQueryAsync();
        await using var vacuum = new NpgsqlCommand("VACUUM ANALYZE", connection);
        await vacuum.ExecuteNonQueryAsync();
    }

    private static async Task MeasureAsync(HttpClient client, Func<int, string> path, int requests, Latencies latencies)
    {
        for (var i = 0; i < BenchOptions.WarmUpRequests + requests; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync(path(i));
            await response.Content.ReadAsByteArrayAsync();
            watch.Stop();
            if (!response.IsSuccessStatusCode)
            {
                throw new BenchFailure($"GET {path(i)}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            if (i >= BenchOptions.WarmUpRequests)
            {
                latencies.Add(watch.Elapsed);
            }
        }
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonDocument.Parse(text).RootElement.Clone() : throw new BenchFailure($"GET {path}: {(int)response.StatusCode} {text}");
    }
}
