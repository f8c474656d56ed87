using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mep.Deploy.Tests;

/// <summary>
/// The edge of ./mep up --replicas N (./mep edge-config with several addresses per service): a request an instance could not take
/// goes to another, but never a POST an instance may have received; that one the client repeats with its Idempotency-Key.
/// </summary>
public sealed class EdgeInstancesTests
{
    [Fact]
    public async Task A_GET_the_edge_cannot_deliver_to_a_stopped_instance_is_answered_by_another()
    {
        await using var live = LiveInstance.Start();
        var stopped = new Uri($"http://127.0.0.1:{EdgeProxy.FreePort()}/");
        await using var edge = await EdgeProxy.StartWithInstancesAsync(new Dictionary<string, IReadOnlyList<Uri>> { ["probe"] = [stopped, live.Address] });
        using var client = new HttpClient { BaseAddress = edge.Address };

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await client.GetAsync($"/api/probe/read-{i}");
            answers.Add(response.StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 4), answers);
        Assert.Equal(["/api/probe/read-0", "/api/probe/read-1", "/api/probe/read-2", "/api/probe/read-3"], live.Received);
    }

    [Fact]
    public async Task A_POST_an_instance_received_and_dropped_is_not_sent_to_another()
    {
        await using var live = LiveInstance.Start();
        await using var dropping = DroppingInstance.Start();
        await using var edge = await EdgeProxy.StartWithInstancesAsync(new Dictionary<string, IReadOnlyList<Uri>> { ["probe"] = [dropping.Address, live.Address] });
        using var client = new HttpClient { BaseAddress = edge.Address };

        // Round robin sends one of the first two to the instance that drops it.
        var dropped = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var response = await client.PostAsync($"/api/probe/write-{i}", new StringContent("{}", Encoding.UTF8, "application/json"));
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                dropped.Add($"/api/probe/write-{i}");
            }
        }

        Assert.Single(dropped);
        Assert.Equal(dropped, dropping.Received);
        Assert.DoesNotContain(dropped[0], live.Received);
    }

    /// <summary>An instance that answers every request (200), recording each path; on loopback, whatever Host the edge sends.</summary>
    private sealed class LiveInstance : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly ConcurrentQueue<string> _received = new();
        private readonly ConcurrentQueue<Socket> _connections = new();
        private Task _serving = Task.CompletedTask;

        public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        public IReadOnlyList<string> Received => [.. _received];

        public static LiveInstance Start()
        {
            var instance = new LiveInstance();
            instance._listener.Start();
            instance._serving = instance.ServeAsync();
            return instance;
        }

        private async Task ServeAsync()
        {
            var connections = new List<Task>();
            while (true)
            {
                try
                {
                    var socket = await _listener.AcceptSocketAsync();
                    _connections.Enqueue(socket);
                    connections.Add(AnswerAsync(socket));
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    await Task.WhenAll(connections);
                    return;
                }
            }
        }

        /// <summary>The edge keeps connections open: one request after another, each read to the end of its body.</summary>
        private async Task AnswerAsync(Socket socket)
        {
            try
            {
                await AnswerEachAsync(socket);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Closed by the edge, or by DisposeAsync.
            }
        }

        private async Task AnswerEachAsync(Socket socket)
        {
            using (socket)
            {
                var pending = string.Empty;
                var buffer = new byte[4096];
                while (true)
                {
                    int headerEnd;
                    while ((headerEnd = pending.IndexOf("\r\n\r\n", StringComparison.Ordinal)) < 0)
                    {
                        var read = await socket.ReceiveAsync(buffer);
                        if (read == 0)
                        {
                            return;
                        }

                        pending += Encoding.ASCII.GetString(buffer, 0, read);
                    }

                    var head = pending[..headerEnd];
                    var length = head.Split("\r\n").Where(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                        .Select(h => int.Parse(h["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
                    while (pending.Length < headerEnd + 4 + length)
                    {
                        var read = await socket.ReceiveAsync(buffer);
                        if (read == 0)
                        {
                            return;
                        }

                        pending += Encoding.ASCII.GetString(buffer, 0, read);
                    }

                    pending = pending[(headerEnd + 4 + length)..];
                    _received.Enqueue(head.Split(' ')[1]);
                    await socket.SendAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"u8.ToArray());
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }

            await _serving;
        }
    }

    /// <summary>An instance killed under a request: it reads the request whole, then resets the connection without an answer.</summary>
    private sealed class DroppingInstance : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly ConcurrentQueue<string> _received = new();
        private Task _serving = Task.CompletedTask;

        public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        public IReadOnlyList<string> Received => [.. _received];

        public static DroppingInstance Start()
        {
            var instance = new DroppingInstance();
            instance._listener.Start();
            instance._serving = instance.ServeAsync();
            return instance;
        }

        private async Task ServeAsync()
        {
            while (true)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync();
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return;
                }

                using (socket)
                {
                    var request = new StringBuilder();
                    var buffer = new byte[4096];
                    // Headers and the two-byte body ("{}") the test sends.
                    while (!request.ToString().Contains("\r\n\r\n{}", StringComparison.Ordinal))
                    {
                        var read = await socket.ReceiveAsync(buffer);
                        if (read == 0)
                        {
                            break;
                        }

                        request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    }

                    _received.Enqueue(request.ToString().Split(' ')[1]);
                    socket.LingerState = new LingerOption(true, 0);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await _serving;
        }
    }
}
