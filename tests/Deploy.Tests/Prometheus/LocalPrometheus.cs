using System.Globalization;
using System.Net;
using System.Text;

namespace Mep.Deploy.Tests.Prometheus;

/// <summary>
/// The Prometheus of <c>./mep up</c> for a test: started by <c>./mep prometheus-instance</c> (the configuration and start ./mep up
/// uses) on a port and directory of its own, scraping the instances the test names. One instance, Schools' first, is a stand-in
/// that answers /metrics with one gauge of the catalogue; the others do not listen.
/// </summary>
public sealed class LocalPrometheus : IAsyncLifetime
{
    public const string StandInMetric = "mep_outbox_oldest_pending_age_seconds";

    private readonly string _directory = Path.Combine(TestInfrastructure.RepositoryRoot(), ".mep", "test-prometheus", Guid.NewGuid().ToString("N")[..8]);
    private readonly HttpListener _standIn = new();
    private Task? _serving;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Job (the service) and host:port of every scraped instance, in the order given to ./mep.</summary>
    public IReadOnlyList<(string Job, string Instance)> Instances { get; private set; } = [];

    public string StandInInstance => Instances[0].Instance;

    public async Task InitializeAsync()
    {
        var ports = Enumerable.Range(0, 4).Select(_ => FreePort()).ToArray();
        Instances = [("schools", $"127.0.0.1:{ports[0]}"), ("schools", $"127.0.0.1:{ports[1]}"), ("assets", $"127.0.0.1:{ports[2]}")];
        _standIn.Prefixes.Add($"http://{StandInInstance}/");
        _standIn.Start();
        _serving = ServeAsync();

        await RunMepAsync(["prometheus-instance", "start", _directory, ports[3].ToString(CultureInfo.InvariantCulture),
            .. Instances.Select(i => $"{i.Job}={i.Instance}")]);
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports[3]}/") };
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        await RunMepAsync(["prometheus-instance", "stop", _directory]);
        _standIn.Stop();
        if (_serving is not null)
        {
            await _serving;
        }

        _standIn.Close();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task ServeAsync()
    {
        var body = Encoding.UTF8.GetBytes($"# TYPE {StandInMetric} gauge\n{StandInMetric} 42\n");
        while (_standIn.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _standIn.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            context.Response.ContentType = "text/plain; version=0.0.4";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    private static int FreePort() => EdgeProxy.FreePort();

    private static async Task RunMepAsync(string[] arguments) => await Tools.RunToSuccessAsync("bash", [Tools.Script("mep"), .. arguments], TimeSpan.FromMinutes(2));
}
