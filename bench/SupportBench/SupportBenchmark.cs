using System.Diagnostics;
using System.Globalization;
using System.Net;
using Mep.ServiceDefaults.Auth;
using Mep.TestKit;

namespace Mep.Bench.Support;

/// <param name="TicketsPerClient">Measured tickets each client opens (after its warm-up).</param>
/// <param name="Clients">Concurrent clients, for the API and for pgbench alike.</param>
internal sealed record BenchOptions(int TicketsPerClient, int Clients)
{
    /// <summary>The target concurrency.</summary>
    public const int DefaultClients = 16;

    /// <summary>Schools the tickets are spread over (a city's schools, roughly).</summary>
    public const int Schools = 100;

    /// <summary>
    /// Tickets per client in one warm-up round. The API is warmed up in rounds until the service's JIT has finished: its tiered
    /// recompilation of the hot paths took one to two minutes and some 15 s of CPU (some 9,000 tickets) on two busy cores, and
    /// after a fixed 1,600 tickets the measured phase ran half as fast in its first half as in its second.
    /// </summary>
    public const int WarmUpRoundTicketsPerClient = 100;

    /// <summary>
    /// The JIT counts as finished when its background thread (".NET Tiered Compilation") used less than this share of a
    /// round's time; where that thread cannot be seen (no /proc), when the rate has not risen by 5 % for two rounds.
    /// </summary>
    public const double JitQuietShare = 0.01;

    /// <summary>The warm-up ends after this many rounds even if the JIT is still busy (the output then says so).</summary>
    public const int MaxWarmUpRounds = 15;

    /// <summary>pgbench needs no JIT: a short run fills the caches and extends the tables once.</summary>
    public const int PgBenchWarmUpTransactionsPerClient = 20;

    /// <summary>Requests sent a second time with their Idempotency-Key after the measured phase.</summary>
    public const int ReplaySamples = 50;

    public int Tickets => TicketsPerClient * Clients;

    public int PgBenchTransactionsWithWarmUp => (TicketsPerClient + PgBenchWarmUpTransactionsPerClient) * Clients;
}

/// <summary>The API phase: its time, every answer, and the rate in its first and second half (equal rates: the warm-up was enough).</summary>
internal sealed record ApiPhase(TimeSpan Elapsed, Answer[][] Answers, double FirstHalfRate, double SecondHalfRate);

/// <summary>
/// The target measurement, in one run against one PostgreSQL server: tickets opened through the API (Idempotency-Key, concurrent
/// clients) against pgbench writing the same rows, one phase after the other so that neither takes the other's CPU.
/// </summary>
internal static class SupportBenchmark
{
    public static async Task<BenchResults> RunAsync(BenchOptions options)
    {
        var results = new BenchResults(options);
        var schools = Enumerable.Range(0, BenchOptions.Schools).Select(i => new BenchSchool(Guid.CreateVersion7(), i)).ToList();
        var reports = new TicketReports(schools, seed: 20_260_601);
        var measured = Requests(reports, options.Clients, options.TicketsPerClient);

        await using var apiDatabase = await PostgresDatabase.CreateAsync("bench-support-api", create: false);
        await using var pgBenchDatabase = await PostgresDatabase.CreateAsync("bench-support-pgbench", create: false);
        await using var broker = await RabbitMqVirtualHost.CreateAsync("bench-support");

        // pgbench's tables come from the same migrations (same indexes, checks and starting data): the service migrates its database at start-up.
        Step("migrating the pgbench database (the service starts once against it)");
        await using (await ServiceProcess.StartForBenchmarkAsync("Support", pgBenchDatabase, broker))
        {
        }

        Step("starting the service under test");
        await using (var service = await ServiceProcess.StartForBenchmarkAsync("Support", apiDatabase, broker))
        {
            await SupportTables.AddKnownSchoolsAsync(apiDatabase.ConnectionString, schools);
            // One service desk agent per client: idempotency keys and rate limits are per caller, as with real agents.
            var clients = Enumerable.Range(0, options.Clients)
                .Select(i => new SupportClient(service.BaseAddress, TestTokens.For(PlatformRoles.Agent, $"bench-agent-{i:00}"))).ToList();
            try
            {
                var servicePid = CpuMeter.FindChildProcess("Mep.Support.dll");
                results.ApiWarmUpTickets = await WarmUpAsync(clients, reports, options, servicePid);
                Step($"API: {options.Clients} clients x {options.TicketsPerClient:N0} tickets = {options.Tickets:N0}, " +
                     "POST /api/support/tickets with a fresh Idempotency-Key each");
                var (phase, cpu) = await MeasureAsync(apiDatabase, servicePid,
                    () => OpenTicketsAsync(clients, measured, results.ApiLatencies));
                (results.ApiTime, results.ApiHalfRates, results.ApiCpu) = (phase.Elapsed, (phase.FirstHalfRate, phase.SecondHalfRate), cpu);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {phase.Elapsed.TotalSeconds:0.00} s, {results.ApiLatencies.Describe()}; ") +
                                  string.Create(CultureInfo.InvariantCulture, $"{phase.FirstHalfRate:N0}/s in the first half, {phase.SecondHalfRate:N0}/s in the second"));
                await CheckApiRowsAsync(apiDatabase, results.ApiWarmUpTickets + options.Tickets, results);
                await CheckReplaysAsync(clients, measured, phase.Answers, apiDatabase, results);
            }
            finally
            {
                clients.ForEach(client => client.Dispose());
            }

            // The relay publishes the TicketOpened events after the answers: part of the service's work, but not in pgbench's phase.
            results.RelayCatchUp = await WaitForRelayAsync(apiDatabase);
        }

        Step($"pgbench warm-up: {options.Clients} clients x {BenchOptions.PgBenchWarmUpTransactionsPerClient} transactions");
        await PgBench.RunAsync(pgBenchDatabase.ConnectionString, PgBench.TicketScript, options.Clients, BenchOptions.PgBenchWarmUpTransactionsPerClient,
            logDirectory: null);
        Step($"pgbench ({PgBench.Locate()}): {options.Clients} clients x {options.TicketsPerClient:N0} transactions of ticket + history + outbox row");
        (results.PgBench, results.PgBenchCpu) = await RunPgBenchAsync(pgBenchDatabase, PgBench.TicketScript, options);
        await CheckPgBenchRowsAsync(pgBenchDatabase, results, new()
        {
            ["tickets"] = options.PgBenchTransactionsWithWarmUp,
            ["ticket_history"] = options.PgBenchTransactionsWithWarmUp,
            ["outbox_messages"] = options.PgBenchTransactionsWithWarmUp,
        });

        Step($"pgbench, every row the API writes: {options.Clients} clients x {options.TicketsPerClient:N0} transactions");
        (results.PgBenchEveryRow, results.PgBenchEveryRowCpu) = await RunPgBenchAsync(pgBenchDatabase, PgBench.EveryRowScript, options);
        var both = options.PgBenchTransactionsWithWarmUp + options.Tickets;
        await CheckPgBenchRowsAsync(pgBenchDatabase, results, new()
        {
            ["tickets"] = both,
            ["ticket_history"] = both,
            ["outbox_messages"] = both,
            ["ticket_clock_segments"] = options.Tickets,
            ["ticket_sla_timers"] = options.Tickets,
            ["idempotent_requests"] = options.Tickets,
        });
        return results;
    }

    /// <summary>Runs a measured phase with a <see cref="CpuMeter"/> on it (where /proc is there to read).</summary>
    private static async Task<(T Result, CpuUse? Cpu)> MeasureAsync<T>(PostgresDatabase database, int? servicePid, Func<Task<T>> phase)
    {
        if (!CpuMeter.Available)
        {
            return (await phase(), null);
        }

        await using var meter = await CpuMeter.StartAsync(database.ConnectionString, servicePid);
        var result = await phase();
        return (result, await meter.StopAsync());
    }

    /// <summary>Each client's requests, made (and serialised) before any clock runs: the client's JSON work is not the service's cost.</summary>
    private static List<TicketRequest>[] Requests(TicketReports reports, int clients, int perClient) =>
        [.. Enumerable.Range(0, clients).Select(client => Enumerable.Range(0, perClient).Select(_ => reports.Next(client)).ToList())];

    /// <summary>
    /// Rounds of tickets from all clients, through the same path as the measured phase, until the service's JIT is done
    /// (<see cref="BenchOptions.JitQuietShare"/>); returns how many tickets it opened (they are in the row counts).
    /// </summary>
    private static async Task<int> WarmUpAsync(List<SupportClient> clients, TicketReports reports, BenchOptions options, int? servicePid)
    {
        const string JitThread = ".NET Tiered Com";
        Step($"API warm-up: rounds of {options.Clients} clients x {BenchOptions.WarmUpRoundTicketsPerClient} tickets until the service's JIT is done");
        var (best, flatRounds, opened) = (0.0, 0, 0);
        var rounds = new List<string>();
        var done = false;
        while (!done && rounds.Count < BenchOptions.MaxWarmUpRounds)
        {
            var jitBefore = servicePid is { } pid ? CpuMeter.ThreadCpu(pid, JitThread) : null;
            var requests = Requests(reports, options.Clients, BenchOptions.WarmUpRoundTicketsPerClient);
            var phase = await OpenTicketsAsync(clients, requests, latencies: null);
            var jitAfter = servicePid is { } same ? CpuMeter.ThreadCpu(same, JitThread) : null;
            var rate = requests.Sum(r => r.Count) / phase.Elapsed.TotalSeconds;
            opened += requests.Sum(r => r.Count);
            (flatRounds, best) = rate > best * 1.05 ? (0, rate) : (flatRounds + 1, Math.Max(best, rate));
            if (jitBefore is { } before && jitAfter is { } after)
            {
                var jitShare = CpuMeter.ThreadCpuBetween(before, after) / phase.Elapsed;
                done = jitShare < BenchOptions.JitQuietShare;
                rounds.Add(string.Create(CultureInfo.InvariantCulture, $"{rate:N0}/s (JIT {jitShare:P1})"));
            }
            else
            {
                done = flatRounds >= 2;
                rounds.Add(string.Create(CultureInfo.InvariantCulture, $"{rate:N0}/s"));
            }
        }

        Console.WriteLine($"  {rounds.Count} rounds, {opened:N0} tickets: {string.Join(", ", rounds)}" +
                          (done ? "" : " (not settled: stopped at the most rounds allowed)"));
        return opened;
    }

    /// <summary>
    /// All clients at once, each sending its requests one after the other on its own connection; timed from the first request
    /// to the last answer. Every answer must be a new ticket (201, not a replay); the first other answer stops the run.
    /// </summary>
    private static async Task<ApiPhase> OpenTicketsAsync(List<SupportClient> clients, List<TicketRequest>[] requests, Latencies? latencies)
    {
        var answers = requests.Select(perClient => new Answer[perClient.Count]).ToArray();
        var answeredAt = requests.Select(perClient => new TimeSpan[perClient.Count]).ToArray();
        using var stop = new CancellationTokenSource();
        string? failure = null;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(async (client, c) =>
        {
            for (var i = 0; i < requests[c].Count && !stop.IsCancellationRequested; i++)
            {
                var answer = await client.OpenTicketAsync(requests[c][i]);
                if (answer.Status != HttpStatusCode.Created || answer.Replayed)
                {
                    Interlocked.CompareExchange(ref failure,
                        $"client {c}, request {i}: expected a new ticket (201), got {(answer.Replayed ? "a replay, " : "")}{answer.Describe()}", null);
                    await stop.CancelAsync();
                }

                answers[c][i] = answer;
                answeredAt[c][i] = clock.Elapsed;
                latencies?.Add(answer.Elapsed);
            }
        }));
        var elapsed = clock.Elapsed;
        if (failure is not null)
        {
            throw new BenchFailure(failure);
        }

        var half = elapsed / 2;
        var firstHalf = answeredAt.Sum(perClient => perClient.Count(at => at < half));
        var secondHalf = answeredAt.Sum(perClient => perClient.Length) - firstHalf;
        return new ApiPhase(elapsed, answers, firstHalf / half.TotalSeconds, secondHalf / half.TotalSeconds);
    }

    /// <summary>Every ticket, warm-up included, with its history line, idempotency record and outbox row: one of each per request.</summary>
    private static async Task CheckApiRowsAsync(PostgresDatabase database, int ticketsOpened, BenchResults results)
    {
        var rows = await SupportTables.CountWrittenRowsAsync(database.ConnectionString);
        results.ApiRowsPerTicket = rows.ToDictionary(r => r.Key, r => (double)r.Value / ticketsOpened);
        foreach (var table in new[] { "tickets", "ticket_history", "idempotent_requests", "outbox_messages" })
        {
            if (rows[table] != ticketsOpened)
            {
                results.Remarks.Add($"API database: {rows[table]:N0} rows in {table}, expected {ticketsOpened:N0} (one per ticket opened)");
            }
        }

        Console.WriteLine($"  rows written: {string.Join(", ", rows.Select(r => $"{r.Key} {r.Value:N0}"))}");
    }

    /// <summary>
    /// A sample of the measured requests sent again, same client, same key, same body: each must be answered as a replay of the
    /// first answer (same status, Location and body) and create nothing.
    /// </summary>
    private static async Task CheckReplaysAsync(List<SupportClient> clients, List<TicketRequest>[] requests, Answer[][] answers,
        PostgresDatabase database, BenchResults results)
    {
        // Spread over the whole phase and all clients: every n-th request in the order the clients sent them.
        var sent = requests.SelectMany((perClient, c) => perClient.Select((request, i) => (Request: request, First: answers[c][i]))).ToList();
        var samples = Math.Min(BenchOptions.ReplaySamples, sent.Count);
        var sample = Enumerable.Range(0, samples).Select(k => sent[k * sent.Count / samples]).ToList();
        Step($"replaying {sample.Count} of the measured requests with their Idempotency-Key");
        var before = await SupportTables.CountWrittenRowsAsync(database.ConnectionString);
        foreach (var (request, first) in sample)
        {
            var replay = await clients[request.Client].OpenTicketAsync(request);
            results.ReplayLatencies.Add(replay.Elapsed);
            if (replay.Status == first.Status && replay.Replayed && replay.Location == first.Location && replay.Body == first.Body)
            {
                results.ReplaysMatched++;
            }
            else
            {
                results.Remarks.Add($"replay of key {request.IdempotencyKey} (client {request.Client}): replayed header {replay.Replayed}, " +
                                    $"Location {replay.Location} (first {first.Location}), same body {replay.Body == first.Body}: {replay.Describe()}");
            }
        }

        var after = await SupportTables.CountWrittenRowsAsync(database.ConnectionString);
        results.ReplaysCreatedNothing = before.All(b => after[b.Key] == b.Value);
        if (!results.ReplaysCreatedNothing)
        {
            results.Remarks.Add("replays wrote rows: " + string.Join(", ", before.Where(b => after[b.Key] != b.Value).Select(b => $"{b.Key} {b.Value:N0} -> {after[b.Key]:N0}")));
        }

        Console.WriteLine($"  {results.ReplaysMatched}/{sample.Count} answered as replays of the first answer; rows unchanged: {results.ReplaysCreatedNothing}; " +
                          results.ReplayLatencies.Describe());
    }

    private static async Task<(PgBenchRun Run, CpuUse? Cpu)> RunPgBenchAsync(PostgresDatabase database, string script, BenchOptions options)
    {
        var logDirectory = Path.Combine(Path.GetTempPath(), $"mep-bench-support-{Guid.NewGuid():N}");
        try
        {
            var (run, cpu) = await MeasureAsync(database, servicePid: null,
                () => PgBench.RunAsync(database.ConnectionString, script, options.Clients, options.TicketsPerClient, logDirectory));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {run.TransactionsPerSecond:N0} tps, {run.Latencies.Describe()}"));
            return (run, cpu);
        }
        finally
        {
            if (Directory.Exists(logDirectory))
            {
                Directory.Delete(logDirectory, recursive: true);
            }
        }
    }

    private static async Task CheckPgBenchRowsAsync(PostgresDatabase database, BenchResults results, Dictionary<string, long> expected)
    {
        var rows = await SupportTables.CountWrittenRowsAsync(database.ConnectionString);
        foreach (var (table, count) in expected.Where(e => rows[e.Key] != e.Value))
        {
            results.Remarks.Add($"pgbench database: {rows[table]:N0} rows in {table}, expected {count:N0}");
        }
    }

    /// <summary>Until the relay has published every event the API phase recorded (it would otherwise compete with pgbench for the machine).</summary>
    private static async Task<TimeSpan> WaitForRelayAsync(PostgresDatabase database)
    {
        var clock = Stopwatch.StartNew();
        await Eventually.AssertAsync(async () => await database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE published_at IS NULL") == 0,
            "the TicketOpened events relayed", TimeSpan.FromMinutes(5));
        Console.WriteLine($"  outbox drained (waited {clock.Elapsed.TotalSeconds:0.0} s after the replays)");
        return clock.Elapsed;
    }

    /// <summary>With the load average: the machine may be shared, and a busy one shows in every figure.</summary>
    private static void Step(string what) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{DateTime.Now:HH:mm:ss} load {LoadAverage()}] {what}"));

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
