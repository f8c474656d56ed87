using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mep.Bench.Support;

/// <summary>A school of the bench city; it must be in the service's known_schools before a ticket can be opened for it.</summary>
internal sealed record BenchSchool(Guid Id, int Index)
{
    public string Number => $"{80_000 + Index}";

    public string Name => $"Bench school {Index:000}";

    public string District => $"Bezirk {(Index % 10) + 1}";
}

/// <summary>The body of POST /api/support/tickets as the service desk sends it for a school that called (the service's OpenTicketRequest, camelCase).</summary>
internal sealed record OpenTicketBody(
    Guid SchoolId, string ReporterName, string ReporterEmail, string? ReporterPhone, string Category, string Title, string Description,
    string Impact, string Urgency, bool NeedsOnSite);

/// <summary>One ticket request of the run: which client sends it, with which key and body (serialised before any clock runs).</summary>
internal sealed record TicketRequest(int Client, string IdempotencyKey, byte[] Body);

/// <summary>An answer of the service: status, body, the replay marker and Location, and the client-side round trip (request sent to body read).</summary>
internal sealed record Answer(HttpStatusCode Status, string Body, bool Replayed, string? Location, TimeSpan Elapsed)
{
    /// <summary>For reports: the status and the start of the body (problem details name the cause).</summary>
    public string Describe() => $"{(int)Status} {Status}: {(Body.Length > 2_000 ? Body[..2_000] + " ..." : Body)}";
}

/// <summary>
/// A seeded generator of tickets a service desk records: categories that need neither a device nor a room (so every
/// request is valid without Assets' or Schools' inventory), impact and urgency of every kind (so all four priorities and their
/// SLA policies are used), and a title and description that differ in every request.
/// </summary>
internal sealed class TicketReports(IReadOnlyList<BenchSchool> schools, int seed)
{
    /// <summary>Categories routed to the service desk (level 1) by the default rules, with a typical complaint each.</summary>
    private static readonly (string Category, string Fault)[] Faults =
    [
        ("portal", "The school portal refuses the login of a whole class"),
        ("accounts", "New pupils' accounts are missing after the class change"),
        ("mail", "Teachers' mail to parents bounces since this morning"),
    ];

    private static readonly string[] Severities = ["low", "medium", "high"];

    private static readonly JsonSerializerOptions BodyJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

#pragma warning disable CA5394 // Reproducible test data, not security: a seeded Random is the point.
    private readonly Random _random = new(seed);

    /// <summary>Runs through all requests made, so that no two bodies are alike.</summary>
    private int _sequence;

    public TicketRequest Next(int client)
    {
        var sequence = ++_sequence;
        var school = schools[_random.Next(schools.Count)];
        var (category, fault) = Faults[_random.Next(Faults.Length)];
        var body = new OpenTicketBody(
            school.Id,
            ReporterName: $"Schulleitung {school.Name}",
            ReporterEmail: $"it{school.Index:000}@schule{school.Number}.example",
            ReporterPhone: $"0511 {_random.Next(100_000, 999_999)}",
            category,
            Title: $"{fault} (call {client:00}-{sequence:000000})",
            Description: string.Create(CultureInfo.InvariantCulture,
                $"Called in by the school's IT coordinator, call {client:00}-{sequence:000000}. {fault}; it was still so after a restart " +
                $"of the affected devices, and the school's own checklist (level 0) did not help. About {_random.Next(2, 300)} people are affected."),
            Impact: Severities[_random.Next(Severities.Length)],
            Urgency: Severities[_random.Next(Severities.Length)],
            NeedsOnSite: false);
#pragma warning restore CA5394
        return new TicketRequest(client, Guid.NewGuid().ToString(), JsonSerializer.SerializeToUtf8Bytes(body, BodyJson));
    }
}

/// <summary>
/// One client of the Support API over real HTTP: one service desk agent on one kept-alive connection, as a desk
/// application holds it. Idempotency keys belong to the caller, so a replay must come from the same client.
/// </summary>
internal sealed class SupportClient(Uri baseAddress, string token) : IDisposable
{
    private const string IdempotencyKeyHeader = "Idempotency-Key";
    private const string ReplayedHeader = "Idempotent-Replayed";

    private readonly HttpClient _client = CreateClient(baseAddress, token);

    public async Task<Answer> OpenTicketAsync(TicketRequest ticket)
    {
        using var content = new ByteArrayContent(ticket.Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/support/tickets") { Content = content };
        request.Headers.Add(IdempotencyKeyHeader, ticket.IdempotencyKey);
        var clock = Stopwatch.StartNew();
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        var body = await response.Content.ReadAsStringAsync();
        var elapsed = clock.Elapsed;
        var replayed = response.Headers.TryGetValues(ReplayedHeader, out var values) && values.Contains("true", StringComparer.OrdinalIgnoreCase);
        return new Answer(response.StatusCode, body, replayed, response.Headers.Location?.OriginalString, elapsed);
    }

    private static HttpClient CreateClient(Uri baseAddress, string token)
    {
        // Loopback straight to Kestrel (no proxy from the environment), one connection per client, kept alive between requests.
        var handler = new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 1, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) };
        var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public void Dispose() => _client.Dispose();
}
