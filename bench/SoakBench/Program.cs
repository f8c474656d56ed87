using System.Globalization;
using Mep.Bench.Soak;

// Soak of the platform as ./mep up --replicas N runs it (N >= 2): a bounded load of device registrations (Assets), tickets
// (Support) and draws (Funding) through the edge, each write with its own Idempotency-Key and retried with it until answered;
// meanwhile one instance of each service is killed (SIGKILL) and started again, in two rounds. Then the load stops, the outboxes
// drain, and the databases are checked: every acknowledged write stored once, every event consumed once by each of its consumers
// (and counted once in their figures), every recurring job's occurrence run once.
// Run: ./mep up --replicas 2, then ./mep bench soak [minutes of load, default 8] [clients per kind of write, default 2]
// Exit code: 0 nothing lost or doubled, 1 a loss or a duplicate found, 2 the run broke off.
if (args.Length > 2 || !TryArgument(0, 8, out var minutes) || !TryArgument(1, 2, out var clients) || minutes < 3 || clients < 1)
{
    Console.Error.WriteLine("usage: ./mep bench soak [minutes of load, at least 3] [clients per kind of write]");
    return 2;
}

try
{
    var platform = SoakPlatform.Find();
    return await SoakRun.RunAsync(platform, TimeSpan.FromMinutes(minutes), clients) ? 0 : 1;
}
catch (BenchFailure failure)
{
    Console.Error.WriteLine($"soak broke off: {failure.Message}");
    return 2;
}

bool TryArgument(int index, int fallback, out int value)
{
    value = fallback;
    return args.Length <= index || int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
