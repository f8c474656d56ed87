using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Mep.TestKit;

namespace Mep.Bench.ConsoleQueue;

/// <param name="Tickets">Open tickets in Support before the queue is measured.</param>
/// <param name="Requests">Measured requests of the queue page (after the warm-up).</param>
internal sealed record BenchOptions(int Tickets, int Requests)
{
    /// <summary>The target: the queue page answers in under this (p95 of the measured requests).</summary>
    public static readonly TimeSpan Target = TimeSpan.FromSeconds(1);

    /// <summary>Schools the tickets are spread over.</summary>
    public const int Schools = 20;

    /// <summary>Concurrent clients opening tickets (the service desk's agents on the phone).</summary>
    public const int Openers = 8;

    /// <summary>Requests before measuring: the console's and Support's first requests compile their queries and views.</summary>
    public const int WarmUp = 10;
}

internal static class ConsoleBenchmark
{
    private static readonly string[] Categories = ["mail", "portal", "accounts", "licensed-software", "other"];
    private static readonly string[] Severities = ["low", "medium", "high"];

    public static async Task<bool> RunAsync(BenchOptions options)
    {
        var total = Stopwatch.StartNew();
        await using var platform = await BenchPlatform.StartAsync(Step);
        Step($"platform up after {total.Elapsed.TotalSeconds:0} s; edge {platform.Edge}");

        // Signed in first: a sign-in that fails says so before minutes of opening tickets.
        Step($"signing in as {BenchPlatform.AgentUserName} through the identity provider's login form");
        var signIn = Stopwatch.StartNew();
        using var agent = await BrowserlessSignIn.SignInAsync(platform.Edge, "/servicedesk", BenchPlatform.AgentUserName, BenchPlatform.AgentPassword);
        Step($"signed in after {signIn.Elapsed.TotalSeconds:0.0} s");

        using var planner = Client(platform.Edge, "planner", "bench-planner");
        var schools = await RegisterSchoolsAsync(planner);
        var opened = await OpenTicketsAsync(platform.Edge, schools, options.Tickets);

        var open = options.Tickets.ToString("N0", CultureInfo.GetCultureInfo("de-DE"));
        var expected = $"{open} offene Tickets";
        Step($"warming up: {BenchOptions.WarmUp} requests of /servicedesk");
        for (var i = 0; i < BenchOptions.WarmUp; i++)
        {
            await QueueAsync(agent, expected);
        }

        Step($"measuring: {options.Requests} requests of /servicedesk, one after another (first page by SLA due time, counts per status and group)");
        var page = new Latencies();
        for (var i = 0; i < options.Requests; i++)
        {
            page.Add(await QueueAsync(agent, expected));
        }

        // The API calls behind the page, alone: what the console adds is the difference.
        using var api = Client(platform.Edge, "agent", "bench-api-agent");
        var list = new Latencies();
        var counts = new Latencies();
        for (var i = 0; i < options.Requests; i++)
        {
            list.Add(await TimedOkAsync(api, "/api/support/tickets?sort=due&open=true&page=1&pageSize=25"));
            counts.Add(await TimedOkAsync(api, "/api/support/tickets/counts"));
        }

        var met = page.Percentile(0.95) < BenchOptions.Target.TotalMilliseconds;
        Console.WriteLine();
        Console.WriteLine($"console bench: {opened:N0} open tickets in Support (opened through POST /api/support/tickets), {options.Requests} measured requests each");
        Console.WriteLine($"  queue page  GET /servicedesk (through the edge, signed in)   {page.Describe()}");
        Console.WriteLine($"  behind it   GET /api/support/tickets?sort=due&open=true (25)  {list.Describe()}");
        Console.WriteLine($"  behind it   GET /api/support/tickets/counts                   {counts.Describe()}");
        Console.WriteLine($"  target: the queue page's p95 under {BenchOptions.Target.TotalMilliseconds:0} ms: {(met ? "met" : "MISSED")} (p95 {page.Percentile(0.95):0.0} ms, max {page.Max:0.0} ms)");
        Console.WriteLine($"  whole run {total.Elapsed.TotalMinutes:0.0} min");
        return met;
    }

    private static async Task<List<string>> RegisterSchoolsAsync(HttpClient planner)
    {
        Step($"registering {BenchOptions.Schools} schools through the Schools API");
        var numbers = new List<string>();
        for (var i = 0; i < BenchOptions.Schools; i++)
        {
            var number = TestSchoolNumbers.Next();
            var response = await planner.PostAsync("/api/schools", Json.Body(SchoolsHttp.SchoolBody(number, $"GS Benchschule {number}", "GS")));
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new BenchFailure($"registering school {number}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            numbers.Add(number);
        }

        return numbers;
    }

    /// <summary>
    /// Opens <paramref name="tickets"/> tickets through Support's API, spread over the schools: first one per school as soon as Support
    /// has heard of it (its event), then the rest from concurrent clients. Returns how many were opened.
    /// </summary>
    private static async Task<int> OpenTicketsAsync(Uri edge, List<string> schools, int tickets)
    {
        var clients = Enumerable.Range(0, BenchOptions.Openers).Select(i => Client(edge, "agent", $"bench-opener-{i}")).ToList();
        try
        {
            Step("waiting until Support knows every school (the first ticket of each)");
            var opened = 0;
            foreach (var school in schools.Take(Math.Min(tickets, schools.Count)))
            {
                await Eventually.AssertAsync(async () => (await OpenAsync(clients[0], school, opened)) == HttpStatusCode.Created,
                    $"Support knows school {school}", TimeSpan.FromSeconds(120));
                opened++;
            }

            Step($"opening {tickets - opened:N0} more tickets with {BenchOptions.Openers} concurrent clients");
            var watch = Stopwatch.StartNew();
            var next = opened - 1;
            await Task.WhenAll(clients.Select(client => Task.Run(async () =>
            {
                for (var n = Interlocked.Increment(ref next); n < tickets; n = Interlocked.Increment(ref next))
                {
                    var status = await OpenAsync(client, schools[n % schools.Count], n);
                    if (status != HttpStatusCode.Created)
                    {
                        throw new BenchFailure($"ticket {n}: {(int)status}");
                    }

                    if (n % 1000 == 0)
                    {
                        Step($"  {n:N0} opened ({n / watch.Elapsed.TotalSeconds:0} per second)");
                    }
                }
            })));
            Step($"  {tickets:N0} open tickets; the last {tickets - schools.Count:N0} took {watch.Elapsed.TotalSeconds:0} s");
            return tickets;
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    private static async Task<HttpStatusCode> OpenAsync(HttpClient client, string school, int n)
    {
        using var response = await client.PostAsync("/api/support/tickets", Json.Body(new
        {
            schoolNumber = school,
            category = Categories[n % Categories.Length],
            title = $"Störung {n.ToString(CultureInfo.InvariantCulture)}: Anmeldung am Portal schlägt fehl",
            description = "Seit heute Morgen meldet das Portal einen Fehler bei der Anmeldung.",
            impact = Severities[n % 3],
            urgency = Severities[n / 3 % 3],
            reporterName = "Frau Sekretariat",
            reporterEmail = "sekretariat@schule.example",
        }));
        return response.StatusCode;
    }

    private static async Task<double> QueueAsync(HttpClient agent, string expected)
    {
        var watch = Stopwatch.StartNew();
        using var response = await agent.GetAsync("/servicedesk");
        var html = await response.Content.ReadAsStringAsync();
        var elapsed = watch.Elapsed.TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK || !html.Contains(expected, StringComparison.Ordinal) || !html.Contains("data-ticket=", StringComparison.Ordinal))
        {
            throw new BenchFailure($"the queue page answered {(int)response.StatusCode} without \"{expected}\" and its table.");
        }

        return elapsed;
    }

    private static async Task<double> TimedOkAsync(HttpClient client, string path)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync(path);
        await response.Content.ReadAsByteArrayAsync();
        var elapsed = watch.Elapsed.TotalMilliseconds;
        return response.StatusCode == HttpStatusCode.OK ? elapsed : throw new BenchFailure($"GET {path}: {(int)response.StatusCode}");
    }

    private static HttpClient Client(Uri edge, string role, string subject)
    {
        var client = new HttpClient { BaseAddress = edge, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(role, subject));
        return client;
    }

    private static void Step(string what) => Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {what}");
}
