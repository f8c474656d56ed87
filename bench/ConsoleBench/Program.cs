using System.Globalization;
using Mep.Bench.ConsoleQueue;

// Console benchmark, the queue page's target: with 10,000 open tickets in Support, the service desk's queue (first page, sorted by
// SLA due time, with the counts per status and group) answers in under 1 s. The whole platform runs as ./mep runs it (each service,
// the identity provider and the console as a process of its own, behind the real nginx edge); the tickets are opened through
// Support's API; an agent signs in through the identity provider's login form (HTTP only, no browser); then the queue page is
// fetched through the edge, one request after another, as a person reloading it would.
// Run: ./mep bench console [open tickets, default 10000] [measured requests, default 50]
// Exit code: 0 the target met, 1 missed, 2 the run broke off.
var options = new BenchOptions(Argument(0, 10_000), Argument(1, 50));
if (options.Tickets <= 0 || options.Requests <= 0)
{
    Console.Error.WriteLine("usage: ./mep bench console [open tickets] [measured requests]; both positive");
    return 2;
}

try
{
    return await ConsoleBenchmark.RunAsync(options) ? 0 : 1;
}
catch (Exception failure) when (failure is BenchFailure or FileNotFoundException or InvalidOperationException || failure.GetType().Name == "XunitException")
{
    Console.Error.WriteLine($"console bench broke off: {failure.Message}");
    return 2;
}

int Argument(int index, int fallback) => args.Length > index ? int.Parse(args[index], NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : fallback;
