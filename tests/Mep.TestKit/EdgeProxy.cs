using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Mep.TestKit;

/// <summary>
/// The edge of <c>./mep up</c> for a test: nginx from deploy/nginx/local.conf.template, with the routes <c>edge_start</c> writes,
/// in front of services the test runs. What a browser sees through it is what it sees through the real edge.
/// </summary>
public sealed class EdgeProxy : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string _nginx;

    private EdgeProxy(string directory, string nginx, Uri address) => (_directory, _nginx, Address) = (directory, nginx, address);

    public Uri Address { get; }

    /// <param name="services">Service name (its path is /api/{name}/) and where it listens.</param>
    public static async Task<EdgeProxy> StartAsync(IReadOnlyDictionary<string, Uri> services)
    {
        var nginx = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx is not installed (./mep installs it).");
        var directory = Path.Combine(TestInfrastructure.RepositoryRoot(), ".mep", "test-edge", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(directory, "logs"));
        Directory.CreateDirectory(Path.Combine(directory, "temp"));
        var port = FreePort();
        var upstreams = string.Concat(services.Select(s => $"  upstream {s.Key} {{ server {s.Value.Host}:{s.Value.Port}; keepalive 16; }}\n"));
        var routes = string.Concat(services.Select(s => $"    location = /api/{s.Key} {{ proxy_pass http://{s.Key}; }}\n"
            + $"    location /api/{s.Key}/ {{ proxy_pass http://{s.Key}; }}\n"));
        var template = await File.ReadAllTextAsync(Path.Combine(TestInfrastructure.RepositoryRoot(), "deploy", "nginx", "local.conf.template"));
        var config = string.Join('\n', template
            .Replace("@USER@", Environment.UserName == "root" ? "user root;" : string.Empty, StringComparison.Ordinal)
            .Replace("@DIR@", directory, StringComparison.Ordinal)
            .Replace("@PORT@", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Split('\n')
            .Select(line => line.Contains("@UPSTREAMS@", StringComparison.Ordinal) ? upstreams.TrimEnd('\n')
                : line.Contains("@ROUTES@", StringComparison.Ordinal) ? routes.TrimEnd('\n') : line));
        var configPath = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(configPath, config);
        await RunAsync(nginx, "-p", directory, "-c", configPath);
        var edge = new EdgeProxy(directory, nginx, new Uri($"http://127.0.0.1:{port}/"));
        using var client = new HttpClient { BaseAddress = edge.Address };
        await Eventually.AssertAsync(async () =>
        {
            try
            {
                return (await client.GetAsync("/")).StatusCode == HttpStatusCode.OK;
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })
            ?? throw new InvalidOperationException($"Could not run {program}.");
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {errors}");
        }
    }
}
