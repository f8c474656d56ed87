namespace Mep.Bench.Assets;

/// <summary>The figures of one run and the verdict against the acceptance targets.</summary>
internal sealed class BenchResults(BenchOptions options)
{
    /// <summary>Target 1: the API imports at least this share of raw COPY's rows per second.</summary>
    public const double MinImportRatio = 0.5;

    /// <summary>Target 3: p95 of one school's list query, with 1,000,000 devices stored.</summary>
    public const double MaxListP95Milliseconds = 20;

    public List<TimeSpan> BatchTimes { get; } = [];
    public TimeSpan ImportTime { get; set; }
    public TimeSpan CopyTime { get; set; }
    public long OutboxPendingAfterImport { get; set; }

    /// <summary>How long the relay still needed after the last answer to publish the import's events.</summary>
    public TimeSpan RelayCatchUp { get; set; }

    /// <summary>The import's CPU (the service's includes its relay until the outbox was drained); null without /proc.</summary>
    public CpuUse? ImportCpu { get; set; }

    /// <summary>The raw COPY's CPU (no service).</summary>
    public CpuUse? CopyCpu { get; set; }

    public long HistoryRows { get; set; }
    public bool SameDevices { get; set; }
    public double ParseOnly { get; set; }
    public double ParseAndCheck { get; set; }
    public Dictionary<string, Latencies> ListLatencies { get; } = [];

    /// <summary>The OData feed: its p95 is at most twice the hand-written query's plus 5 ms.</summary>
    public const double MaxODataFactor = 2;
    public const double ODataAllowanceMilliseconds = 5;

    /// <summary>OData $apply: its p95 is at most twice the hand-written GROUP BY's plus 10 ms.</summary>
    public const double ApplyAllowanceMilliseconds = 10;

    public Latencies ApplyLatencies { get; } = new();
    public Latencies RawGroupByLatencies { get; } = new();

    public Latencies ODataLatencies { get; } = new();
    public Latencies RawSqlLatencies { get; } = new();

    /// <summary>The loans phase: one call handing out <see cref="LoanRounds.Devices"/> loan devices, and one taking them back, per measured round.</summary>
    public Latencies LoanHandOuts { get; } = new();
    public Latencies LoanReturns { get; } = new();

    /// <summary>Anything odd seen on the way that did not stop the run.</summary>
    public List<string> Remarks { get; } = [];

    /// <summary>The city's inventory and the loans phase's tablets (<see cref="LoanRounds"/>), which stay stored for the queries.</summary>
    private int StoredDevices => options.StoredDevices + LoanRounds.Devices;

    private double ApiRate => options.ImportDevices / ImportTime.TotalSeconds;
    private double CopyRate => options.ImportDevices / CopyTime.TotalSeconds;
    private double Ratio => ApiRate / CopyRate;
    private bool ImportPassed => Ratio >= MinImportRatio;
    private bool ListPassed => ListLatencies.Values.All(l => l.Percentile(0.95) < MaxListP95Milliseconds);
    private double ODataLimit => (MaxODataFactor * RawSqlLatencies.Percentile(0.95)) + ODataAllowanceMilliseconds;
    private bool ODataPassed => ODataLatencies.Percentile(0.95) <= ODataLimit;

    private double ApplyLimit => (MaxODataFactor * RawGroupByLatencies.Percentile(0.95)) + ApplyAllowanceMilliseconds;
    private bool ApplyPassed => ApplyLatencies.Percentile(0.95) <= ApplyLimit;

    public bool AllPassed => ImportPassed && ListPassed && ODataPassed && ApplyPassed && Remarks.Count == 0;

    public void Print()
    {
        var batches = new Latencies();
        BatchTimes.ForEach(batches.Add);
        var medianBatch = batches.Percentile(0.5);
        Console.WriteLine();
        Console.WriteLine("== Assets bench: summary ==");
        Console.WriteLine($"machine: {Environment.ProcessorCount} CPUs, load average now {AssetsBenchmark.LoadAverage()}; " +
                          "client, service and PostgreSQL (test instance: fsync off) on the same machine");
        Console.WriteLine($"1. API import: {options.ImportDevices:N0} devices in {BatchTimes.Count} sequential batches of {BenchOptions.BatchRows:N0} over HTTP: " +
                          $"{ImportTime.TotalSeconds:0.00} s = {ApiRate:N0} devices/s");
        Console.WriteLine($"   per batch: {batches.Describe()}; first {BatchTimes[0].TotalMilliseconds:0} ms");
        Console.WriteLine($"   also written: a history line per device ({HistoryRows:N0} in all) and a DevicesRegistered event per batch " +
                          $"({OutboxPendingAfterImport:N0} not yet relayed when the last batch was answered, all {RelayCatchUp.TotalSeconds:0.0} s later)");
        Console.WriteLine($"2. raw binary COPY of the same rows into an identical empty devices table: {CopyTime.TotalSeconds:0.00} s = {CopyRate:N0} rows/s " +
                          $"(same stored values as via the API: {(SameDevices ? "yes" : "NO")})");
        Console.WriteLine($"   API / COPY = {Ratio:0.00} (target >= {MinImportRatio:0.0}): {Verdict(ImportPassed)}");
        if (ImportCpu is { } import && CopyCpu is { } copy)
        {
            var batchCount = (double)options.ImportDevices / BenchOptions.BatchRows;
            Console.WriteLine($"   CPU per {BenchOptions.BatchRows:N0} devices: API import service {PerBatch(import.Service ?? TimeSpan.Zero)}, " +
                              $"PostgreSQL {PerBatch(import.Database)}, bench client {PerBatch(import.Clients)}; " +
                              $"raw COPY PostgreSQL {PerBatch(copy.Database)}, bench client {PerBatch(copy.Clients)}");

            string PerBatch(TimeSpan cpu) => $"{cpu.TotalMilliseconds / batchCount:0} ms";
        }

        Console.WriteLine($"   where a batch's time goes (medians; the refused requests ran after the warm-up and stored nothing): upload + JSON parse {ParseOnly:0} ms; " +
                          $"+ row rules, school context and serial lookup {ParseAndCheck - ParseOnly:0} ms; " +
                          $"+ COPY of devices and history, the event, commit and answer {medianBatch - ParseAndCheck:0} ms (of a median batch of {medianBatch:0} ms)");
        Console.WriteLine($"3. list query on {StoredDevices:N0} stored devices ({options.StoredDevices / BenchOptions.DevicesPerSchool} schools and the loan tablets' one), " +
                          "page of 50 with total count, client round trip:");
        foreach (var (query, latencies) in ListLatencies)
        {
            Console.WriteLine($"   {query}: {latencies.Describe()} (target p95 < {MaxListP95Milliseconds:0} ms): " +
                              Verdict(latencies.Percentile(0.95) < MaxListP95Milliseconds));
        }

        Console.WriteLine($"4. OData feed, one school's tablets, $orderby=Serial, $top=50, $count=true, on {StoredDevices:N0} devices: " +
                          $"feed {ODataLatencies.Describe()}; the same query hand-written through Npgsql {RawSqlLatencies.Describe()}");
        Console.WriteLine($"   feed p95 {ODataLatencies.Percentile(0.95):0.0} ms (target <= {MaxODataFactor:0} x {RawSqlLatencies.Percentile(0.95):0.0} + {ODataAllowanceMilliseconds:0} = {ODataLimit:0.0} ms): " +
                          Verdict(ODataPassed));
        Console.WriteLine($"5. OData $apply, device counts per school and kind (groupby + aggregate $count) over {StoredDevices:N0} devices, first page of 500 groups: " +
                          $"$apply {ApplyLatencies.Describe()}; the same GROUP BY hand-written through Npgsql {RawGroupByLatencies.Describe()}");
        Console.WriteLine($"   $apply p95 {ApplyLatencies.Percentile(0.95):0.0} ms (target <= {MaxODataFactor:0} x {RawGroupByLatencies.Percentile(0.95):0.0} + {ApplyAllowanceMilliseconds:0} = {ApplyLimit:0.0} ms): " +
                          Verdict(ApplyPassed));
        Console.WriteLine($"6. loans: {LoanRounds.Devices:N0} loan tablets of one school handed out in one call (POST /api/assets/loans/batch) " +
                          $"and returned in one call (POST /api/assets/loans/returns), {LoanHandOuts.Count} rounds after {LoanRounds.WarmUpRounds} to warm up:");
        Console.WriteLine($"   hand-out: {LoanCall(LoanHandOuts)}");
        Console.WriteLine($"   return:   {LoanCall(LoanReturns)}");
        Console.WriteLine($"   (the API import of step 1 in this run: {ApiRate:N0} devices/s; a ratio is the call's devices/s at p50 over that)");
        foreach (var remark in Remarks)
        {
            Console.WriteLine($"remark: {remark}");
        }

        Console.WriteLine($"overall: {Verdict(AllPassed)}");
    }

    private string LoanCall(Latencies calls)
    {
        var rate = LoanRounds.Devices / (calls.Percentile(0.5) / 1000);
        return $"p50 {calls.Percentile(0.5):0} ms = {rate:N0} devices/s, max {calls.Max:0} ms = {LoanRounds.Devices / (calls.Max / 1000):N0} devices/s; " +
               $"ratio to the API import {rate / ApiRate:0.00}";
    }

    private static string Verdict(bool passed) => passed ? "PASS" : "FAIL";
}
