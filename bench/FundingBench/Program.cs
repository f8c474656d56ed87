using System.Globalization;
using Mep.Bench.Funding;

// Funding benchmark, its acceptance target: the per-school report for 3,000 schools with 200,000 expenditures, p95 < 200 ms.
// Measured: the whole report of one programme (GET /reports/schools, one row per school with allocated, applied, approved, spent,
// drawn and risks), its CSV, and one school's report over every programme (GET /reports/schools/{id}).
// The service runs as its own process on its own database; allocations, applications, invoices and draws are seeded with SQL.
// Run: ./mep bench funding [schools, default 3000] [expenditures, default 200000] [requests per measurement, default 30]
// Exit code: 0 the target met, 1 missed, 2 the run broke off.
var options = new BenchOptions(Argument(0, 3_000), Argument(1, 200_000), Argument(2, 30));
if (options.Schools <= 0 || options.Expenditures < options.Schools || options.Requests <= 0)
{
    Console.Error.WriteLine("usage: ./mep bench funding [schools] [expenditures >= schools] [requests]");
    return 2;
}

try
{
    var results = await FundingBenchmark.RunAsync(options);
    results.Print();
    return results.AllPassed ? 0 : 1;
}
catch (Exception failure) when (failure is BenchFailure or FileNotFoundException)
{
    Console.Error.WriteLine($"funding bench broke off: {failure.Message}");
    return 2;
}

int Argument(int index, int fallback) => args.Length > index ? int.Parse(args[index], NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : fallback;
