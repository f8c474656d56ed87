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
    private RabbitMqVirtualHost? _broker;
    private readonly List<PostgresDatabase> _databases = [];
    private IReadOnlyList<IServiceHost> _hosts = [];
    private EdgeProxy? _edge;
    private HttpClient? _client;

    public const string DumpVariable = "MEP_NEGATIVE_DUMP";

    public int Seed { get; } = Seeds.OfThisRun();

    public Dictionary<string, ServiceCampaign> Campaigns { get; } = new(StringComparer.Ordinal);

    public TimeSpan StartTime { get; private set; }

    public TimeSpan RunTime { get; private set; }

    /// <summary>How to run the same requests again.</summary>
    public string Replay => $"seed {Seed}; replay with {Seeds.Variable}={Seed}";

    public async Task InitializeAsync()
    {
        Console.Error.WriteLine($"[outside-in] {Replay}");
        var clock = Stopwatch.StartNew();
        _broker = await RabbitMqVirtualHost.CreateAsync("outsidein");
        var databases = new Dictionary<string, PostgresDatabase>(StringComparer.Ordinal);
        foreach (var name in PlatformServices.Names)
        {
            databases[name] = await PostgresDatabase.CreateAsync("outsidein" + name, create: false);
            _databases.Add(databases[name]);
        }

        _hosts = PlatformServices.Create(databases, _broker);
        // Schools first: the others consume its events, and its exchanges should exist before they bind to them.
        _hosts[0].Start();
        await Task.WhenAll(_hosts.Skip(1).Select(host => Task.Run(host.Start)));
        await Task.WhenAll(_hosts.Select(ReadyAsync));
        _edge = await EdgeProxy.StartAsync(_hosts.ToDictionary(h => h.Name.ToLowerInvariant(), h => h.Address, StringComparer.Ordinal));
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = System.Net.DecompressionMethods.None,
            // Header values go on the wire as Latin-1 bytes, as any attacker's client can send them (the default refuses non-ASCII).
            RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.Latin1,
        })
        {
            BaseAddress = _edge.Address,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var hosts = _hosts.ToDictionary(h => h.Name, StringComparer.Ordinal);
        var world = await World.ArrangeAsync(_client);
        StartTime = clock.Elapsed;

        clock.Restart();
        var campaigns = _hosts.Select(host => new Campaign(host, _client, world, Seed)).ToList();
        await Task.WhenAll(campaigns.Select(async campaign =>
        {
            var host = hosts[campaign.Result.Service];
            var document = await _client.GetStringAsync(ApiDocument.AddressAtTheEdge(host.Name));
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
            Console.Error.WriteLine($"[outside-in] {campaign.Service}: {campaign.Operations.Count} operations, {campaign.Requests:N0} requests "
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
        Console.Error.WriteLine($"[outside-in] {requests:N0} requests ({campaigns.Sum(c => c.Result.Attacks.Count):N0} attacks) in {RunTime.TotalSeconds:0} s "
            + $"after {StartTime.TotalSeconds:0} s to start the platform and arrange its city; {Replay}");
    }

    private static async Task ReadyAsync(IServiceHost host)
    {
        using var client = new HttpClient { BaseAddress = host.Address };
        await Eventually.AssertAsync(async () => (await client.GetAsync("/health/ready")).IsSuccessStatusCode, $"{host.Name} is ready",
            TimeSpan.FromSeconds(90));
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_edge is not null)
        {
            await _edge.DisposeAsync();
        }

        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }

        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }
}
