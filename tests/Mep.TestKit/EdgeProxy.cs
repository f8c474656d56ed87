using System.Net;
using System.Net.Sockets;

namespace Mep.TestKit;

/// <summary>
/// The edge of <c>./mep up</c> for a test: nginx configured by <c>./mep edge-config</c> (the template and routes <c>./mep up</c> uses),
/// in front of services the test runs. What a browser sees through it is what it sees through the real edge.
/// </summary>
public sealed class EdgeProxy : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string _nginx;

    private EdgeProxy(string directory, string nginx, Uri address) => (_directory, _nginx, Address) = (directory, nginx, address);

    public Uri Address { get; }

    /// <param name="services">Service name (its path is /api/{name}/; "console" and "identity" as ./mep up routes them) and where it listens.</param>
    /// <param name="port">The port, when something started before the edge must know it (see <see cref="FreePort"/>).</param>
    public static Task<EdgeProxy> StartAsync(IReadOnlyDictionary<string, Uri> services, int? port = null) =>
        StartWithInstancesAsync(services.ToDictionary(s => s.Key, s => (IReadOnlyList<Uri>)[s.Value]), port);

    /// <param name="instances">Service name and where each of its instances listens (./mep up --replicas N): the edge balances over them.</param>
    /// <param name="port">The port, when something started before the edge must know it (see <see cref="FreePort"/>).</param>
    public static async Task<EdgeProxy> StartWithInstancesAsync(IReadOnlyDictionary<string, IReadOnlyList<Uri>> instances, int? port = null)
    {
        var nginx = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx is not installed (./mep installs it).");
        var directory = Path.Combine(TestInfrastructure.RepositoryRoot(), ".mep", "test-edge", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(directory, "logs"));
        Directory.CreateDirectory(Path.Combine(directory, "temp"));
        port ??= FreePort();
        var root = TestInfrastructure.RepositoryRoot();
        // ./mep writes the configuration, as for ./mep up: the routes, body limits and error pages under test are the real ones.
        await RunAsync("bash", [Path.Combine(root, "mep"), "edge-config", directory, port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            .. instances.Select(s => $"{s.Key}={string.Join(',', s.Value.Select(i => $"{i.Host}:{i.Port}"))}")]);
        var configPath = Path.Combine(directory, "nginx.conf");
        await RunAsync(nginx, "-p", directory, "-c", configPath);
        var edge = new EdgeProxy(directory, nginx, new Uri($"http://127.0.0.1:{port}/"));
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = edge.Address };
        await Eventually.AssertAsync(async () =>
        {
            try
            {
                // Any answer of its own: with the console behind it, / is a sign-in redirect rather than the description.
                return (int)(await client.GetAsync("/")).StatusCode < 500;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the edge answers");
        return edge;
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync(_nginx, "-p", _directory, "-c", Path.Combine(_directory, "nginx.conf"), "-s", "quit");
    }

    /// <summary>A port free now; the edge started on it soon after is very likely to get it.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, params string[] arguments) => await Tools.RunToSuccessAsync(program, arguments, TimeSpan.FromMinutes(1));
}
