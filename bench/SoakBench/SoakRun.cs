using System.Diagnostics;
using System.Globalization;

namespace Mep.Bench.Soak;

/// <summary>One instance killed and started again: when, how long until it answered ready, and the window its failures are counted in.</summary>
public sealed record KillWindow(int Round, string Service, int Instance, DateTimeOffset KilledAt, DateTimeOffset ReadyAt, DateTimeOffset ClosedAt)
{
    /// <summary>After the instance is ready the edge may still hold it as failed for its fail_timeout (5 s): the window stays open that long.</summary>
    public static readonly TimeSpan Afterwards = TimeSpan.FromSeconds(5);

    public bool Covers(Attempt attempt) => attempt.Service == Service && attempt.EndedAt >= KilledAt && attempt.EndedAt <= ClosedAt;
}

public static class SoakRun
{
    public static async Task<bool> RunAsync(SoakPlatform platform, TimeSpan duration, int clients)
    {
        var run = DateTimeOffset.UtcNow.ToString("MMddHHmmss", CultureInfo.InvariantCulture);
        Console.WriteLine($"soak {run}: {duration.TotalMinutes:0} min of load, {clients} client(s) per kind of write, {platform.Replicas} instances of each service");
        var before = await SoakChecks.JobOccurrencesBeforeAsync(platform);
        var financeToken = await platform.TokenAsync("finance", "soak-finance");
        var drawTarget = await DrawTargetAsync(platform, run, financeToken);
        Console.WriteLine($"draws against application {drawTarget.ApplicationId}");
        using var load = new SoakLoad(platform, run, financeToken, await platform.TokenAsync("planner", "soak-planner"), drawTarget);
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var loadTask = load.RunAsync(clients, stop.Token);

        var windows = new List<KillWindow>();
        // Round 1 kills each service's second instance, round 2 its first (the one ./mep up started first, with the old file names).
        for (var round = 1; round <= 2; round++)
        {
            var at = duration * (round == 1 ? 0.2 : 0.55);
            if (clock.Elapsed < at)
            {
                await Task.Delay(at - clock.Elapsed);
            }

            // Every service's instance at once, each started again as soon as it is gone: the kills overlap, as when a machine fails.
            var instance = round == 1 ? 1 : 0;
            var kills = SoakPlatform.Services.Select(async service =>
            {
                var killedAt = DateTimeOffset.UtcNow;
                await platform.KillAsync(service, instance);
                Console.WriteLine($"{Elapsed(clock)} round {round}: killed {SoakPlatform.InstanceName(service, instance)} (SIGKILL), starting it again");
                await platform.RestartAsync(service, instance);
                var readyAt = DateTimeOffset.UtcNow;
                Console.WriteLine($"{Elapsed(clock)} round {round}: {SoakPlatform.InstanceName(service, instance)} ready after {(readyAt - killedAt).TotalSeconds:0.0} s");
                await Task.Delay(KillWindow.Afterwards);
                return new KillWindow(round, service, instance, killedAt, readyAt, readyAt + KillWindow.Afterwards);
            }).ToList();
            windows.AddRange(await Task.WhenAll(kills));
        }

        if (clock.Elapsed < duration)
        {
            await Task.Delay(duration - clock.Elapsed);
        }

        Console.WriteLine($"{Elapsed(clock)} stopping the load; every write under way is finished");
        await stop.CancelAsync();
        await loadTask;
        var loadEnded = DateTimeOffset.UtcNow;

        Console.WriteLine($"{Elapsed(clock)} waiting for the outboxes to drain and every consumer to catch up");
        var findings = await SoakChecks.RunAsync(platform, run, load, before);
        Console.WriteLine($"{Elapsed(clock)} checked ({(DateTimeOffset.UtcNow - loadEnded).TotalSeconds:0} s after the load stopped)");
        SoakReport.Print(platform, duration, clients, load, windows, findings);
        return findings.Duplicates == 0 && findings.Losses == 0;
    }

    /// <summary>
    /// The first approved application with money left that takes a draw today (its programme still pays out): found by drawing a
    /// cent from each candidate in turn, under a reference the checks do not count as the load's.
    /// </summary>
    private static async Task<DrawTarget> DrawTargetAsync(SoakPlatform platform, string run, string financeToken)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).DateTime);
        using var http = new HttpClient { BaseAddress = platform.Edge };
        var refusals = new List<string>();
        foreach (var candidate in await SoakChecks.DrawCandidatesAsync(platform))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/funding/applications/{candidate}/draws")
            {
                Content = System.Net.Http.Json.JsonContent.Create(new
                {
                    amount = 0.01m, drawnOn = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), reference = $"probe-{run}-{refusals.Count}",
                }),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", financeToken);
            using var response = await http.SendAsync(request);
            if (response.IsSuccessStatusCode)
            {
                return new DrawTarget(candidate, today);
            }

            refusals.Add($"{candidate}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        throw new BenchFailure("no approved application takes a draw today: " + string.Join("; ", refusals));
    }

    private static string Elapsed(Stopwatch clock) => $"[{clock.Elapsed:mm\\:ss}]";
}
