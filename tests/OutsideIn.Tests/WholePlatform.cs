namespace Mep.OutsideIn.Tests;

/// <summary>
/// The five services in this process, each on Kestrel with a database of its own, on one broker virtual host, behind the edge of
/// <c>./mep up</c> (nginx): what a caller of the real platform meets, for tests that follow one thing across services.
/// </summary>
public sealed class WholePlatform : IAsyncDisposable
{
    private readonly RabbitMqVirtualHost _broker;
    private readonly IReadOnlyList<PostgresDatabase> _databases;
    private readonly EdgeProxy _edge;

    private WholePlatform(RabbitMqVirtualHost broker, IReadOnlyList<PostgresDatabase> databases, IReadOnlyList<IServiceHost> hosts, EdgeProxy edge,
        HttpClient client) => (_broker, _databases, Hosts, _edge, Edge) = (broker, databases, hosts, edge, client);

    public IReadOnlyList<IServiceHost> Hosts { get; }

    /// <summary>A client whose base address is the edge.</summary>
    public HttpClient Edge { get; }

    /// <param name="purpose">Names the databases and the virtual host, so a leftover is traced to its test.</param>
    /// <param name="client">The handler the edge client uses (an attacker's sends header bytes no ordinary client does).</param>
    /// <param name="frontEnds">What else the edge serves (the console, the identity provider), started once the services are ready.</param>
    /// <param name="services">Services each of the five gets beyond its own (e.g. an exporter that keeps its spans for the test).</param>
    public static async Task<WholePlatform> StartAsync(string purpose, HttpMessageHandler? client = null, FrontEnds? frontEnds = null,
        Action<IServiceCollection>? services = null)
    {
        var broker = await RabbitMqVirtualHost.CreateAsync(purpose);
        var databases = new Dictionary<string, PostgresDatabase>(StringComparer.Ordinal);
        foreach (var name in PlatformServices.Names)
        {
            databases[name] = await PostgresDatabase.CreateAsync(purpose + name, create: false);
        }

        var hosts = PlatformServices.Create(databases, broker, frontEnds?.ServiceSettings, services);
        // Schools first: the others consume its events, and its exchanges should exist before they bind to them.
        hosts[0].Start();
        await Task.WhenAll(hosts.Skip(1).Select(host => Task.Run(host.Start)));
        await Task.WhenAll(hosts.Select(ReadyAsync));
        var upstreams = hosts.ToDictionary(h => h.Name.ToLowerInvariant(), h => h.Address, StringComparer.Ordinal);
        if (frontEnds is not null)
        {
            foreach (var (name, address) in await frontEnds.StartAsync(hosts))
            {
                upstreams[name] = address;
            }
        }

        var edge = await EdgeProxy.StartAsync(upstreams, frontEnds?.EdgePort);
        var edgeClient = new HttpClient(client ?? new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = edge.Address,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        return new WholePlatform(broker, [.. databases.Values], hosts, edge, edgeClient);
    }

    /// <summary>
    /// Parts served beside the APIs whose configuration names the edge's address (the identity provider's issuer, the console's
    /// public address), so the edge's port is chosen before anything starts.
    /// </summary>
    /// <param name="ServiceSettings">Settings every service gets (e.g. the identity provider they trust).</param>
    /// <param name="StartAsync">Starts the parts once the services are ready; their edge upstreams by name ("console", "identity").</param>
    public sealed record FrontEnds(int EdgePort, IReadOnlyDictionary<string, string?> ServiceSettings,
        Func<IReadOnlyList<IServiceHost>, Task<IReadOnlyDictionary<string, Uri>>> StartAsync);

    private static async Task ReadyAsync(IServiceHost host)
    {
        using var client = new HttpClient { BaseAddress = host.Address };
        await Eventually.AssertAsync(async () => (await client.GetAsync("/health/ready")).IsSuccessStatusCode, $"{host.Name} is ready",
            TimeSpan.FromSeconds(90));
    }

    public async ValueTask DisposeAsync()
    {
        Edge.Dispose();
        await _edge.DisposeAsync();
        foreach (var host in Hosts)
        {
            await host.DisposeAsync();
        }

        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }

        await _broker.DisposeAsync();
    }
}
