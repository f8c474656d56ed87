using System.Globalization;
using Mep.Bench.Staffing;

// Staffing benchmark, its acceptance targets, for a whole Land on one machine:
//   1. full recalculation of the need for 3,000 schools with 3,000,000 devices (city, 13 districts, posts; GET /calculation): p95 < 1 s;
//      also shown against the same 1 s: recounting every school's counts from the 3,000,000-device replica, and four models side by side;
//   2. a scenario over 10 years for the 3,000 schools under three models (POST /scenarios/projection): p95 < 2 s.
// Also shown, not a target: how fast counts follow Assets' events (batches of 5,000 devices through RabbitMQ).
// The service runs as its own process on its own database; the replica is filled with SQL (what Assets' events would have built).
// Run: ./mep bench staffing [schools, default 3000] [devices, default 3000000] [requests per measurement, default 20]
// Exit code: 0 all targets met, 1 a target missed, 2 the run broke off.
var options = new BenchOptions(Argument(0, 3_000), Argument(1, 3_000_000), Argument(2, 20));
if (options.Schools <= 0 || options.Devices < options.Schools || options.Requests <= 0)
{
    Console.Error.WriteLine("usage: ./mep bench staffing [schools] [devices >= schools] [requests]");
    return 2;
}

try
{
    var results = await StaffingBenchmark.RunAsync(options);
    results.Print();
    return results.AllPassed ? 0 : 1;
}
catch (Exception failure) when (failure is BenchFailure or FileNotFoundException)
{
    Console.Error.WriteLine($"staffing bench broke off: {failure.Message}");
    return 2;
}

int Argument(int index, int fallback) => args.Length > index ? int.Parse(args[index], NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : fallback;
