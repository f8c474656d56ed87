using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Mep.Bench.Soak;

public enum WriteKind { Device, Ticket, Draw }

/// <summary>One request as the client sent it: to which service, when it ended, and whether it failed (before any retry).</summary>
public sealed record Attempt(string Service, DateTimeOffset EndedAt, bool Failed);

/// <summary>A write the platform answered with 2xx: its key, the id it answered with, and what the checks look for it by.</summary>
public sealed record Acknowledged(WriteKind Kind, string Key, Guid Id, string Marker);

/// <summary>A write the client gave up on (its retries spent) or that was refused (4xx): reported, and its marker checked for stray rows.</summary>
public sealed record Unacknowledged(WriteKind Kind, string Key, string Marker, string Reason);

/// <summary>What the draws are made against: an approved application that pays out today, and the day to date them.</summary>
public sealed record DrawTarget(Guid ApplicationId, DateOnly Today);

/// <summary>
/// The bounded load: per kind of write a few clients, each sending one write after another, each with a key of its own, and
/// repeating it with the same key after a failure (a 5xx, a timeout, a broken connection) until answered or its attempts are spent;
/// beside them one client reading from Schools and one from Staffing, which take no writes here, so their kills are felt too.
/// </summary>
public sealed class SoakLoad(SoakPlatform platform, string run, string financeToken, string plannerToken, DrawTarget drawTarget) : IDisposable
{
    private const int MaxAttempts = 12;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan PauseBetweenWrites = TimeSpan.FromMilliseconds(150);

    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        BaseAddress = platform.Edge, Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly string _schoolKey = platform.SchoolKey;
    private int _sequence;

    public ConcurrentQueue<Attempt> Attempts { get; } = new();
    public ConcurrentQueue<Acknowledged> Acknowledged { get; } = new();
    public ConcurrentQueue<Unacknowledged> Unacknowledged { get; } = new();

    /// <summary>Writes whose first attempt failed and a repeat with the same key was acknowledged.</summary>
    public int AcknowledgedAfterRetry => _acknowledgedAfterRetry;

    private int _acknowledgedAfterRetry;

    public Task RunAsync(int clientsPerKind, CancellationToken stop)
    {
        var clients = new List<Task>();
        foreach (var kind in Enum.GetValues<WriteKind>())
        {
            for (var c = 0; c < clientsPerKind; c++)
            {
                clients.Add(Task.Run(() => WriterAsync(kind, stop), CancellationToken.None));
            }
        }

        clients.Add(Task.Run(() => ReaderAsync("schools", "/api/schools/mine", school: true, stop), CancellationToken.None));
        clients.Add(Task.Run(() => ReaderAsync("staffing", "/api/staffing/counts?pageSize=5", school: false, stop), CancellationToken.None));
        return Task.WhenAll(clients);
    }

    public static string ServiceOf(WriteKind kind) => kind switch
    {
        WriteKind.Device => "assets",
        WriteKind.Ticket => "support",
        _ => "funding",
    };

    private async Task WriterAsync(WriteKind kind, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _sequence);
            var key = $"soak-{run}-{kind.ToString().ToLowerInvariant()}-{n}";
            // What the checks find the write's rows by: a serial number, a ticket title, a draw reference.
            var marker = kind switch
            {
                WriteKind.Device => $"SOAK{run}N{n:D6}".ToUpperInvariant(),
                WriteKind.Ticket => $"Soak {key}",
                _ => key,
            };
            await WriteAsync(kind, key, marker);
            try
            {
                await Task.Delay(PauseBetweenWrites, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One write to its end: acknowledged, refused or given up. A started write is finished even after the load stops.</summary>
    private async Task WriteAsync(WriteKind kind, string key, string marker)
    {
        var service = ServiceOf(kind);
        string reason = "no attempt";
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            using var request = Request(kind, key, marker);
            using var timeout = new CancellationTokenSource(RequestTimeout);
            try
            {
                using var response = await _http.SendAsync(request, timeout.Token);
                var body = await response.Content.ReadAsStringAsync(timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    Attempts.Enqueue(new Attempt(service, DateTimeOffset.UtcNow, Failed: false));
                    Acknowledged.Enqueue(new Acknowledged(kind, key, IdOf(kind, body), marker));
                    if (attempt > 1)
                    {
                        Interlocked.Increment(ref _acknowledgedAfterRetry);
                    }

                    return;
                }

                if ((int)response.StatusCode < 500)
                {
                    Attempts.Enqueue(new Attempt(service, DateTimeOffset.UtcNow, Failed: false));
                    Unacknowledged.Enqueue(new Unacknowledged(kind, key, marker, $"refused {(int)response.StatusCode}: {Shorten(body)}"));
                    return;
                }

                reason = $"{(int)response.StatusCode}: {Shorten(body)}";
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                reason = e is OperationCanceledException ? "timeout" : e.Message;
            }

            Attempts.Enqueue(new Attempt(service, DateTimeOffset.UtcNow, Failed: true));
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(3000, 250 * attempt)), CancellationToken.None);
        }

        Unacknowledged.Enqueue(new Unacknowledged(kind, key, marker, $"gave up after {MaxAttempts} attempts, last {reason}"));
    }

    private HttpRequestMessage Request(WriteKind kind, string key, string marker)
    {
        var (path, body, asSchool) = kind switch
        {
            WriteKind.Device => ("/api/assets/devices", (object)new
            {
                serialNumber = marker, kind = "tablet", manufacturer = "Soak", model = "Soak Tablet 1", ownership = "teacher",
            }, true),
            WriteKind.Ticket => ("/api/support/tickets", new
            {
                reporterName = "Soak", reporterEmail = "soak@schule.example", category = "portal", title = marker,
                description = "Opened by the soak (bench/SoakBench).", impact = "low", urgency = "low",
            }, true),
            _ => ($"/api/funding/applications/{drawTarget.ApplicationId}/draws", new
            {
                amount = 0.01m, drawnOn = drawTarget.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), reference = marker,
            }, false),
        };
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        if (asSchool)
        {
            request.Headers.Add("X-Api-Key", _schoolKey);
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", financeToken);
        }

        return request;
    }

    private async Task ReaderAsync(string service, string path, bool school, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (school)
            {
                request.Headers.Add("X-Api-Key", _schoolKey);
            }
            else
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", plannerToken);
            }

            var failed = true;
            try
            {
                using var timeout = new CancellationTokenSource(RequestTimeout);
                using var response = await _http.SendAsync(request, timeout.Token);
                failed = (int)response.StatusCode >= 500;
                if (!failed && !response.IsSuccessStatusCode)
                {
                    throw new BenchFailure($"GET {path} answered {(int)response.StatusCode}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
            }

            Attempts.Enqueue(new Attempt(service, DateTimeOffset.UtcNow, failed));
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static Guid IdOf(WriteKind kind, string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        // A draw answers with the draw and the application's totals; the others with the created row.
        var row = kind == WriteKind.Draw ? root.GetProperty("draw") : root;
        return row.GetProperty("id").GetGuid();
    }

    public void Dispose() => _http.Dispose();

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200];
}
