using System.Globalization;
using System.Net;
using Mep.TestKit;

namespace Mep.Bench.Assets;

/// <summary>
/// The loans bench: a whole school's loan pool handed out in one call and taken back in one call, measured in the same run and
/// against the same service as the device import, so the two rates stand side by side. The same 5,000 devices go out and come back
/// round after round (a school year's hand-out and return, repeated); the first rounds warm the service's JIT up and are not counted.
/// </summary>
internal static class LoanRounds
{
    /// <summary>The endpoints' maximum per call: a large school's whole pool (Hannover lent 7,577 tablets in 2020, all schools together).</summary>
    public const int Devices = BenchOptions.BatchRows;

    public const int WarmUpRounds = 2;
    public const int MeasuredRounds = 5;

    public static async Task RunAsync(AssetsApi api, PostgresDatabase database, BenchSchool school, DeviceMix mix, BenchResults results)
    {
        AssetsBenchmark.Step($"loans: registering {Devices:N0} loan tablets (ownership loan, immediate-equipment programme) of one school in one batch");
        var tablets = Enumerable.Range(0, Devices).Select(_ => mix.LoanTablet(school)).ToList();
        AssetsBenchmark.Expect(await api.PostBatchAsync(school.Id, AssetsApi.BatchBody(tablets)), HttpStatusCode.OK, "registering the loan tablets");
        await AssetsBenchmark.WaitForRelayAsync(database);

        var rounds = WarmUpRounds + MeasuredRounds;
        AssetsBenchmark.Step($"loans: {rounds} rounds of one hand-out call ({Devices:N0} rows) and one return call ({Devices:N0} rows), the first {WarmUpRounds} " +
             "to warm up; the relay publishes each call's one event before the next call starts, so each call has the machine to itself");
        // Every round in the past, one after the other: a device goes out again only after it came back, and nothing is dated ahead.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        for (var round = 0; round < rounds; round++)
        {
            var lentOn = today.AddDays(-2 * (rounds - round));
            var handOut = AssetsApi.JsonBody(HandOutBody(school, tablets, lentOn));
            await AssetsBenchmark.WaitForRelayAsync(database);
            var lent = AssetsBenchmark.Expect(await api.PostJsonAsync("/api/assets/loans/batch", handOut), HttpStatusCode.Created, $"hand-out of round {round + 1}");
            var loanIds = lent.Json.GetProperty("loans").EnumerateArray().Select(loan => loan.GetProperty("loanId").GetGuid()).ToList();
            if (loanIds.Count != Devices)
            {
                throw new BenchFailure($"hand-out of round {round + 1}: {loanIds.Count} loans answered, expected {Devices}.");
            }

            var giveBack = AssetsApi.JsonBody(new
            {
                returnedOn = Day(lentOn.AddDays(1)),
                returns = loanIds.Select(loanId => new { loanId }).ToList(),
            });
            await AssetsBenchmark.WaitForRelayAsync(database);
            var returned = AssetsBenchmark.Expect(await api.PostJsonAsync("/api/assets/loans/returns", giveBack), HttpStatusCode.OK, $"return of round {round + 1}");
            if (returned.Json.GetProperty("returned").GetInt32() != Devices)
            {
                throw new BenchFailure($"return of round {round + 1}: {returned.Json.GetProperty("returned")} returned, expected {Devices}.");
            }

            var measured = round >= WarmUpRounds;
            if (measured)
            {
                results.LoanHandOuts.Add(lent.Elapsed);
                results.LoanReturns.Add(returned.Elapsed);
            }

            Console.WriteLine($"  round {round + 1}{(measured ? "" : " (warm-up)")}: hand-out {lent.Elapsed.TotalMilliseconds,6:0} ms, " +
                              $"return {returned.Elapsed.TotalMilliseconds,6:0} ms");
        }

        await AssetsBenchmark.WaitForRelayAsync(database);
    }

    /// <summary>A class set's hand-out as the loans API takes it: one agreement and accessories for all, a pseudonymous pupil and guardian per row.</summary>
    private static object HandOutBody(BenchSchool school, List<BenchDevice> tablets, DateOnly lentOn) => new
    {
        schoolId = school.Id,
        lentOn = Day(lentOn),
        dueBack = Day(lentOn.AddDays(180)),
        className = "Sofortausstattung",
        agreement = new { template = "Leihvertrag Sofortausstattung", version = "2", signedOn = Day(lentOn.AddDays(-3)) },
        accessories = new[] { "charger", "case" },
        condition = "new",
        loans = tablets.Select((tablet, i) => new
        {
            serialNumber = tablet.SerialNumber,
            borrowerKind = "pupil",
            borrowerReference = $"P-{i:00000}",
            guardianReference = $"G-{i:00000}",
        }).ToList(),
    };

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
