using System.Globalization;
using Mep.Bench.Assets;

// Assets benchmark, the acceptance targets of device registration and the device list: on one machine and one PostgreSQL server,
//   1. 100,000 devices registered through the batch API (JSON, 5,000 per request, sequential, real HTTP to the service's own process),
//   2. against a raw binary COPY of the same rows into an identical empty table: API rate / COPY rate >= 0.5,
//   3. with 1,000,000 devices stored: one school's list query (filter, sort, page of 50, total count) p95 < 20 ms.
// Beside the import, in the same run (reported without a target): 5,000 loan tablets of one school handed out in one call
// and returned in one call, rounds of both, their p50/max and devices/s against the import's rate.
// Run: ./mep bench assets [imported devices, default 100000] [stored devices, default 1000000] [requests per list query, default 300]
// Exit code: 0 all targets met, 1 a target missed, 2 the run broke off (a refused request, a wrong count).
var options = new BenchOptions(Argument(0, 100_000), Argument(1, 1_000_000), Argument(2, 300));
if (options.ImportDevices <= 0 || options.ImportDevices % BenchOptions.DevicesPerSchool != 0
    || options.StoredDevices < options.ImportDevices || options.StoredDevices % BenchOptions.DevicesPerSchool != 0 || options.QueryRequests <= 0)
{
    Console.Error.WriteLine($"usage: ./mep bench assets [imported devices] [stored devices] [requests per list query]; device counts are multiples of " +
                            $"{BenchOptions.DevicesPerSchool:N0} (one school's inventory), stored >= imported");
    return 2;
}

try
{
    var results = await AssetsBenchmark.RunAsync(options);
    results.Print();
    return results.AllPassed ? 0 : 1;
}
catch (Exception failure) when (failure is BenchFailure or FileNotFoundException)
{
    Console.Error.WriteLine($"assets bench broke off: {failure.Message}");
    return 2;
}

int Argument(int index, int fallback) => args.Length > index ? int.Parse(args[index], NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : fallback;
