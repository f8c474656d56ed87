using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.TestKit.Probe;

namespace Mep.ServiceDefaults.Tests;

/// <summary>
/// What every answer looks like from outside, through the edge of ./mep up (nginx configured by ./mep edge-config) in
/// front of a service built with the service defaults: problem documents from nginx too, protective headers, no
/// dependency details in public health, and a brake on guessing credentials.
/// </summary>
public sealed class HttpHygieneTests : IAsyncLifetime
{
    private PostgresDatabase _db = null!;
    private RabbitMqVirtualHost _broker = null!;
    private ProbeService _probe = null!;
    private EdgeProxy _edge = null!;

    public async Task InitializeAsync()
    {
        _db = await PostgresDatabase.CreateAsync("hygiene", create: false);
        _broker = await RabbitMqVirtualHost.CreateAsync("hygiene");
        _probe = await ProbeService.StartAsync(_db, _broker);
        _edge = await EdgeProxy.StartAsync(new Dictionary<string, Uri> { ["probe"] = _probe.BaseAddress });
    }

    public async Task DisposeAsync()
    {
        await _edge.DisposeAsync();
        await _probe.DisposeAsync();
        await _broker.DisposeAsync();
        await _db.DisposeAsync();
    }

    public static TheoryData<string, string, int, string> RefusedByTheEdge => new()
    {
        { "GET", "/api/probe/%2F..%2F..%2F..%2Fetc", 400, ProblemTypes.MalformedRequest },
        { "TRACE", "/api/probe/whoami", 405, ProblemTypes.MethodNotAllowed },
        { "POST", "/api/probe/whoami", 413, ProblemTypes.PayloadTooLarge },
        { "GET", "/api/probe/" + new string('a', 20_000), 414, ProblemTypes.MalformedRequest },
    };

    [Theory]
    [MemberData(nameof(RefusedByTheEdge))]
    public async Task What_nginx_refuses_itself_is_a_problem_document(string method, string path, int status, string type)
    {
        using var client = new HttpClient { BaseAddress = _edge.Address };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new ByteArrayContent(new byte[2 * 1024 * 1024]);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(type, problem.RootElement.GetProperty("type").GetString());
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_service_answer_through_the_edge_carries_nosniff_and_deny_framing_once_each()
    {
        using var client = new HttpClient { BaseAddress = _edge.Address };

        using var response = await client.GetAsync("/api/probe/whoami");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["DENY"], response.Headers.GetValues("X-Frame-Options"));
    }

    [Fact]
    public async Task A_service_answer_carries_nosniff_deny_framing_and_a_frame_ancestors_policy()
    {
        using var client = new HttpClient { BaseAddress = _probe.BaseAddress };

        using var response = await client.GetAsync("/api/probe/whoami");

        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["DENY"], response.Headers.GetValues("X-Frame-Options"));
        Assert.Equal(["frame-ancestors 'none'"], response.Headers.GetValues("Content-Security-Policy"));
    }

    [Fact]
    public async Task An_authenticated_answer_is_not_stored_by_caches()
    {
        using var client = new HttpClient { BaseAddress = _edge.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(PlatformRoles.Admin));

        using var response = await client.GetAsync("/api/probe/admin/operations");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Health_at_the_edge_says_only_whether_the_service_lives()
    {
        using var client = new HttpClient { BaseAddress = _edge.Address };

        using var response = await client.GetAsync("/health/probe");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", health.RootElement.GetProperty("status").GetString());
        Assert.Empty(health.RootElement.GetProperty("checks").EnumerateObject());
    }

    [Fact]
    public async Task A_burst_of_200_wrong_api_keys_is_throttled_after_30_with_429_and_retry_after()
    {
        using var client = new HttpClient { BaseAddress = _edge.Address };
        var answers = new List<(HttpStatusCode Status, string? RetryAfter)>();
        for (var i = 0; i < 200; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/probe/whoami");
            request.Headers.Add(SchoolApiKeyHandler.HeaderName, $"mep_sk_guess{i:D4}_notasecret");
            using var response = await client.SendAsync(request);
            answers.Add((response.StatusCode, response.Headers.RetryAfter?.Delta is { } delta ? "delta" : null));
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 30), answers.Take(30).Select(a => a.Status));
        Assert.Equal(Enumerable.Repeat((HttpStatusCode.TooManyRequests, (string?)"delta"), 170), answers.Skip(30));
    }
}
