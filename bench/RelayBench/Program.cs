using System.Diagnostics;
using System.Globalization;
using Mep.Bench.Relay;
using Mep.TestKit;

// Outbox relay benchmark (issue "Reliable integration events"): relay throughput and commit-to-consumed
// latency on real PostgreSQL and RabbitMQ. Run: ./mep bench relay   (or dotnet run -c Release --project bench/RelayBench)
// Arguments: [backlog events, default 20000] [seconds per latency phase, default 20]
var backlog = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
var phaseSeconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;

await using var database = await PostgresDatabase.CreateAsync("bench-relay", create: false);
await using var broker = await RabbitMqVirtualHost.CreateAsync("bench-relay");
var latencies = new LatencyLog();

// 1. Throughput: a backlog written while no relay runs, then one relay drains it.
await using (var writer = await BenchHost.StartAsync(database, broker, latencies, relay: false))
{
    await writer.WriteBacklogAsync(backlog);
}

await using (var relay = await BenchHost.StartAsync(database, broker, latencies, relay: true))
{
    var started = Stopwatch.StartNew();
    await relay.WaitUntilDrainedAsync(TimeSpan.FromMinutes(10));
    var published = started.Elapsed;
    await latencies.WaitForAsync(backlog, TimeSpan.FromMinutes(5));
    var consumed = started.Elapsed;
    Console.WriteLine($"relay throughput: {backlog} events published in {published.TotalSeconds:0.00} s = {backlog / published.TotalSeconds:0} events/s " +
        $"(all consumed after {consumed.TotalSeconds:0.00} s = {backlog / consumed.TotalSeconds:0} events/s end to end)");

    // 2. Latency at a steady 100 events/s, one transaction per event, as an API would write them.
    latencies.Reset();
    var steady = await relay.WriteAtRateAsync(100, TimeSpan.FromSeconds(phaseSeconds));
    await latencies.WaitForAsync(steady, TimeSpan.FromMinutes(2));
    Console.WriteLine($"latency at 100 events/s: {latencies.Describe()}");

    // 3. Latency at the maximum rate four concurrent writers reach.
    latencies.Reset();
    var (written, rate) = await relay.WriteFlatOutAsync(writers: 4, TimeSpan.FromSeconds(phaseSeconds));
    await latencies.WaitForAsync(written, TimeSpan.FromMinutes(5));
    Console.WriteLine($"latency at max rate ({rate:0} events/s written by 4 writers): {latencies.Describe()}");
}
