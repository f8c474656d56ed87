using System.Net.Sockets;

namespace Mep.TestKit;

/// <summary>
/// Whether a Docker engine answers, found the way the Docker CLI finds it (DOCKER_HOST, else the default socket) and asked
/// with one ping that gives up after two seconds: a machine without an engine (these, CI) pays nothing noticeable, and a
/// stale socket file or an unreachable host never hangs a test run.
/// </summary>
public sealed record DockerEngine(string? Endpoint, bool Answers, string Reason)
{
    private const string DefaultSocket = "/var/run/docker.sock";
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);

    public static DockerEngine Find() => Find(Environment.GetEnvironmentVariable("DOCKER_HOST"));

    public static DockerEngine Find(string? dockerHost)
    {
        var endpoint = string.IsNullOrWhiteSpace(dockerHost) ? $"unix://{DefaultSocket}" : dockerHost;
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            return new DockerEngine(endpoint, false, $"DOCKER_HOST '{endpoint}' is not a URI");
        }

        if (uri.Scheme == "unix" && !File.Exists(uri.AbsolutePath))
        {
            return new DockerEngine(endpoint, false, $"no Docker engine: {uri.AbsolutePath} does not exist");
        }

        if (uri.Scheme is not ("unix" or "tcp"))
        {
            return new DockerEngine(endpoint, false, $"DOCKER_HOST scheme '{uri.Scheme}' is not one this check speaks");
        }

        try
        {
            using var client = Client(uri);
            using var timeout = new CancellationTokenSource(PingTimeout);
            var answer = client.GetStringAsync(new Uri(client.BaseAddress!, "_ping"), timeout.Token).GetAwaiter().GetResult();
            return answer == "OK"
                ? new DockerEngine(endpoint, true, "the engine answered its ping")
                : new DockerEngine(endpoint, false, $"no Docker engine: {endpoint} answered '{answer}' to a ping");
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or OperationCanceledException or IOException)
        {
            return new DockerEngine(endpoint, false, $"no Docker engine answers at {endpoint} ({e.GetType().Name})");
        }
    }

    private static HttpClient Client(Uri endpoint)
    {
        if (endpoint.Scheme == "tcp")
        {
            return new HttpClient { BaseAddress = new Uri($"http://{endpoint.Host}:{endpoint.Port}/") };
        }

        var socketPath = endpoint.AbsolutePath;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://docker/") };
    }
}
