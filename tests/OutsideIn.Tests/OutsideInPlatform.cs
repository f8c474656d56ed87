using System.Diagnostics;

namespace Mep.OutsideIn.Tests;

/// <summary>
/// The whole platform in this process (each service on Kestrel) behind the edge of ./mep up (nginx), a small city arranged through
/// its APIs, and the suite's run against it through the edge, as every caller meets the platform: every operation of every
/// service's OpenAPI document attacked, then the ordinary reads. The run happens once, here; each test then judges its slice
/// (one service, one kind of attack), collecting every offending request rather than stopping at the first.
/// </summary>
public sealed class OutsideInPlatform : IAsyncLifetime
{
    private WholePlatform? _platform;

    public const string DumpVariable = "MEP_NEGATIVE_DUMP";

    public int Seed { get; } = Seeds.OfThisRun();

    public Dictionary<string, ServiceCampaign> Campaigns { get; } = new(StringComparer.Ordinal);

    public TimeSpan StartTime { get; private set; }

    public TimeSpan RunTime { get; private set; }

    /// <summary>How to run the same requests again.</summary>
    public string Replay => $"seed {Seed}; replay with {Seeds.Variable}={Seed}";

    public async Task InitializeAsync()
    {
        System.Console.Error.WriteLine($"[outside-in] {Replay}");
        var clock = Stopwatch.StartNew();
        _platform = await WholePlatform.StartAsync("outsidein", new SocketsHttpHandler
        {
            AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = System.Net.DecompressionMethods.None,
            // Header values go on the wire as Latin-1 bytes, as any attacker's client can send them (the default refuses non-ASCII).
            RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.Latin1,
        });
        var client = _platform.Edge;
        var hosts = _platform.Hosts.ToDictionary(h => h.Name, StringComparer.Ordinal);
        var world = await World.ArrangeAsync(client);
        StartTime = clock.Elapsed;

        clock.Restart();
        var campaigns = _platform.Hosts.Select(host => new Campaign(host, client, world, Seed)).ToList();
        await Task.WhenAll(campaigns.Select(async campaign =>
        {
            var host = hosts[campaign.Result.Service];
            var document = await client.GetStringAsync(ApiDocument.AddressAtTheEdge(host.Name));
            await campaign.AttackAsync(ApiDocument.Operations(host.Name, document));
        }));
        // Reads only once every service was attacked: what an attack leaves behind (a poisoned pooled connection, a stored value a
        // calculation chokes on) shows in the next ordinary requests, wherever they go.
        await Task.WhenAll(campaigns.Select(campaign => campaign.ReadAsync()));
        RunTime = clock.Elapsed;
        foreach (var campaign in campaigns)
        {
            Campaigns[campaign.Result.Service] = campaign.Result;
        }

        foreach (var campaign in campaigns.Select(c => c.Result))
        {
            var statuses = campaign.Attacks.GroupBy(o => o.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none")
                .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}");
            System.Console.Error.WriteLine($"[outside-in] {campaign.Service}: {campaign.Operations.Count} operations, {campaign.Requests:N0} requests "
                + $"({campaign.Attacks.Count:N0} attacks in {campaign.AttackTime.TotalSeconds:0} s; answers {string.Join(", ", statuses)}), "
                + $"{campaign.Reads.Count} reads of {campaign.ReadBaselines.Count} operations in {campaign.ReadTime.TotalSeconds:0.0} s");
        }

        // Every request and its answer, for whoever wants to see what the suite sent (MEP_NEGATIVE_DUMP=path).
        if (Environment.GetEnvironmentVariable(DumpVariable) is { Length: > 0 } dump)
        {
            await File.WriteAllLinesAsync(dump, campaigns.SelectMany(c => c.Result.Preparation.Concat(c.Result.Attacks).Concat(c.Result.Reads))
                .Select(o => $"[{o.Request.Class?.ToString() ?? "preparation"}] {o.Describe()}"));
        }

        var requests = campaigns.Sum(c => c.Result.Requests);
        System.Console.Error.WriteLine($"[outside-in] {requests:N0} requests ({campaigns.Sum(c => c.Result.Attacks.Count):N0} attacks) in {RunTime.TotalSeconds:0} s "
            + $"after {StartTime.TotalSeconds:0} s to start the platform and arrange its city; {Replay}");
    }

    public async Task DisposeAsync()
    {
        if (_platform is not null)
        {
            await _platform.DisposeAsync();
        }
    }
}
