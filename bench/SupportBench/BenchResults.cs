using System.Globalization;

namespace Mep.Bench.Support;

/// <summary>The figures of one run and the verdict against the acceptance targets.</summary>
internal sealed class BenchResults(BenchOptions options)
{
    /// <summary>Target 1: the API opens at least this share of pgbench's transactions per second.</summary>
    public const double MinThroughputRatio = 0.5;

    /// <summary>Target 2: p95 of one ticket's round trip at the target concurrency.</summary>
    public const double MaxApiP95Milliseconds = 50;

    /// <summary>Tickets the warm-up opened before the measured phase (its rounds ran until the rate stopped rising).</summary>
    public int ApiWarmUpTickets { get; set; }

    public TimeSpan ApiTime { get; set; }
    public Latencies ApiLatencies { get; } = new();

    /// <summary>Tickets per second in the first and the second half of the API phase: a steady service answers both alike.</summary>
    public (double First, double Second) ApiHalfRates { get; set; }

    /// <summary>Rows per ticket opened through the API, per table (warm-up included).</summary>
    public Dictionary<string, double> ApiRowsPerTicket { get; set; } = [];

    public int ReplaysMatched { get; set; }
    public bool ReplaysCreatedNothing { get; set; }
    public Latencies ReplayLatencies { get; } = new();

    /// <summary>How long the relay still needed, after the replays, to publish the API phase's events.</summary>
    public TimeSpan RelayCatchUp { get; set; }

    public PgBenchRun? PgBench { get; set; }

    /// <summary>CPU of each measured phase; null where /proc cannot be read.</summary>
    public CpuUse? ApiCpu { get; set; }

    public CpuUse? PgBenchCpu { get; set; }

    /// <summary>pgbench writing every row the API writes: a yardstick, not a target.</summary>
    public PgBenchRun? PgBenchEveryRow { get; set; }

    public CpuUse? PgBenchEveryRowCpu { get; set; }

    /// <summary>Anything wrong seen on the way that did not stop the run (a wrong count, a replay that was not one).</summary>
    public List<string> Remarks { get; } = [];

    private double ApiRate => options.Tickets / ApiTime.TotalSeconds;
    private double Ratio => ApiRate / PgBench!.TransactionsPerSecond;
    private bool ThroughputPassed => Ratio >= MinThroughputRatio;
    private bool LatencyPassed => ApiLatencies.Percentile(0.95) < MaxApiP95Milliseconds;
    private bool CorrectnessPassed => Remarks.Count == 0 && ReplaysMatched == Math.Min(BenchOptions.ReplaySamples, options.Tickets) && ReplaysCreatedNothing;

    public bool AllPassed => ThroughputPassed && LatencyPassed && CorrectnessPassed;

    public void Print()
    {
        var pgBench = PgBench!;
        Console.WriteLine();
        Console.WriteLine("== Support bench: ticket creation ==");
        Console.WriteLine($"machine: {Environment.ProcessorCount} CPUs, load average now {SupportBenchmark.LoadAverage()}; " +
                          "clients, service and PostgreSQL (test instance: fsync off) on the same machine; API phase first, then pgbench");
        Console.WriteLine();
        Console.WriteLine("| writer | clients | transactions | per second | mean ms | p50 ms | p95 ms | p99 ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        Row("API: POST /api/support/tickets, Idempotency-Key, keep-alive", options.Tickets, ApiRate, ApiLatencies);
        Row("pgbench: ticket + history + outbox row, one transaction (the target's baseline)", pgBench.Transactions, pgBench.TransactionsPerSecond, pgBench.Latencies);
        Row("pgbench: every row the API writes, one statement per table (yardstick)", PgBenchEveryRow!.Transactions, PgBenchEveryRow.TransactionsPerSecond,
            PgBenchEveryRow.Latencies);
        Console.WriteLine();
        Console.WriteLine("| target | measured | verdict |");
        Console.WriteLine("|---|---:|---|");
        Console.WriteLine(Invariant($"| API / pgbench throughput >= {MinThroughputRatio:0.0} | {Ratio:0.00} | {Verdict(ThroughputPassed)} |"));
        Console.WriteLine(Invariant($"| API p95 < {MaxApiP95Milliseconds:0} ms | {ApiLatencies.Percentile(0.95):0.0} ms | {Verdict(LatencyPassed)} |"));
        Console.WriteLine(Invariant($"| rows as expected; {BenchOptions.ReplaySamples} replays answered as replays, nothing created | ") +
                          Invariant($"{ReplaysMatched}/{Math.Min(BenchOptions.ReplaySamples, options.Tickets)} replays, rows unchanged: {(ReplaysCreatedNothing ? "yes" : "NO")}, ") +
                          Invariant($"{Remarks.Count} remarks | {Verdict(CorrectnessPassed)} |"));
        if (ApiCpu is not null && PgBenchCpu is not null)
        {
            Console.WriteLine();
            Console.WriteLine("| CPU ms per transaction | clients | service | PostgreSQL backends | all | CPU-bound ceiling on this machine |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            CpuRow("API phase (clients: the bench's HttpClients; service incl. its outbox relay)", ApiCpu, options.Tickets);
            CpuRow("pgbench, target's baseline (clients: pgbench)", PgBenchCpu, pgBench.Transactions);
            if (PgBenchEveryRowCpu is not null)
            {
                CpuRow("pgbench, every row (clients: pgbench)", PgBenchEveryRowCpu, PgBenchEveryRow.Transactions);
            }
        }

        Console.WriteLine();
        Console.WriteLine("rows per ticket through the API (the target's baseline writes the first two and the outbox row): " +
                          string.Join(", ", ApiRowsPerTicket.Select(r => Invariant($"{r.Key} {r.Value:0.##}"))));
        Console.WriteLine(Invariant($"API warm-up before the measured phase: {ApiWarmUpTickets:N0} tickets; rate in the first and second half of the measured phase: ") +
                          Invariant($"{ApiHalfRates.First:N0}/s and {ApiHalfRates.Second:N0}/s"));
        Console.WriteLine(Invariant($"replays: {ReplayLatencies.Describe()}; relay drained {RelayCatchUp.TotalSeconds:0.0} s after them"));
        foreach (var remark in Remarks)
        {
            Console.WriteLine($"remark: {remark}");
        }

        Console.WriteLine($"overall: {Verdict(AllPassed)}");
    }

    private void Row(string writer, long transactions, double perSecond, Latencies latencies) =>
        Console.WriteLine(Invariant($"| {writer} | {options.Clients} | {transactions:N0} | {perSecond:N0} | {latencies.Mean:0.0} | {latencies.Percentile(0.50):0.0} | ") +
                          Invariant($"{latencies.Percentile(0.95):0.0} | {latencies.Percentile(0.99):0.0} | {latencies.Max:0.0} |"));

    /// <summary>A phase's CPU per transaction; the ceiling is the rate all CPUs could give if nothing but this phase ran and nothing waited.</summary>
    private static void CpuRow(string phase, CpuUse cpu, long transactions)
    {
        var all = cpu.Clients + (cpu.Service ?? TimeSpan.Zero) + cpu.Database;
        Console.WriteLine(Invariant($"| {phase} | {PerTransaction(cpu.Clients):0.00} | {(cpu.Service is { } s ? PerTransaction(s).ToString("0.00", CultureInfo.InvariantCulture) : "-")} | ") +
                          Invariant($"{PerTransaction(cpu.Database):0.00} | {PerTransaction(all):0.00} | {Environment.ProcessorCount * 1_000 / PerTransaction(all):N0}/s |"));

        double PerTransaction(TimeSpan time) => time.TotalMilliseconds / transactions;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Verdict(bool passed) => passed ? "PASS" : "FAIL";
}
