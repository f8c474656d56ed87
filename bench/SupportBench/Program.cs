using System.Globalization;
using Mep.Bench.Support;

// Support benchmark, the acceptance targets of ticket creation: on one machine and one PostgreSQL server,
//   1. tickets opened through POST /api/support/tickets with an Idempotency-Key by 16 concurrent clients (real HTTP to the service's own process),
//   2. against pgbench writing the same rows (ticket, history line, outbox row, one transaction) with 16 clients: API rate / pgbench rate >= 0.5 (0.3 before),
//   3. the API's p95 < 50 ms; and on the way: the rows are all there, and a retried request is a replay that creates nothing.
// Also shown, not targets: pgbench writing every row the API writes, and the CPU each phase costs its clients, the service and PostgreSQL.
// Run: ./mep bench support [tickets per client, default 500] [clients, default 16]
// Exit code: 0 all targets met, 1 a target missed, 2 the run broke off (a refused request, pgbench failing).
var options = new BenchOptions(Argument(0, 500), Argument(1, BenchOptions.DefaultClients));
if (options.TicketsPerClient <= 0 || options.Clients <= 0)
{
    Console.Error.WriteLine("usage: ./mep bench support [tickets per client] [clients]; both positive");
    return 2;
}

try
{
    var results = await SupportBenchmark.RunAsync(options);
    results.Print();
    return results.AllPassed ? 0 : 1;
}
catch (Exception failure) when (failure is BenchFailure or FileNotFoundException)
{
    Console.Error.WriteLine($"support bench broke off: {failure.Message}");
    return 2;
}

int Argument(int index, int fallback) => args.Length > index ? int.Parse(args[index], NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : fallback;
