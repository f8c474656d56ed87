using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;

namespace Mep.Assets.Tests;

/// <summary>
/// Oversize bodies through the edge of ./mep up (nginx from deploy/nginx) in front of the built Assets service: every one
/// is a 413 problem, never the edge's 503, and the small requests of other clients at the same moment are not disturbed.
/// </summary>
public sealed class EdgeBodyLimitTests(AssetsApi api) : IClassFixture<AssetsApi>, IAsyncLifetime
{
    private const int Megabyte = 1024 * 1024;

    private ServiceProcess _assets = null!;
    private EdgeProxy _edge = null!;

    public async Task InitializeAsync()
    {
        _assets = await ServiceProcess.StartAsync(ServiceProcess.BuiltService("Assets"), new Dictionary<string, string>
        {
            ["ConnectionStrings:Database"] = api.Database.ConnectionString,
            ["ConnectionStrings:Broker"] = api.Broker.AmqpUrl,
            ["Auth:SigningKey"] = TestTokens.SigningKey,
            ["Auth:Issuer"] = TestTokens.Issuer,
            ["Auth:Audience"] = TestTokens.Audience,
        });
        _edge = await EdgeProxy.StartAsync(new Dictionary<string, Uri> { ["assets"] = _assets.BaseAddress });
    }

    public async Task DisposeAsync()
    {
        await _edge.DisposeAsync();
        await _assets.DisposeAsync();
    }

    [Fact]
    public async Task A_2_MB_body_on_a_1_MB_route_gets_413_as_a_problem_every_time()
    {
        var school = await api.SchoolAsync(rooms: 1);
        using var client = EdgeClient(school);

        var statuses = new List<(HttpStatusCode Status, string? MediaType, string? Type)>();
        for (var i = 0; i < 20; i++)
        {
            statuses.Add(await PostAsync(client, "/api/assets/devices", 2 * Megabyte));
        }

        Assert.All(statuses, answer => Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "application/problem+json", ProblemTypes.PayloadTooLarge), answer));
    }

    [Fact]
    public async Task A_63_MB_body_on_the_16_MB_batch_route_gets_413_as_a_problem_every_time()
    {
        var school = await api.SchoolAsync(rooms: 1);
        using var client = EdgeClient(school);

        var statuses = new List<(HttpStatusCode Status, string? MediaType, string? Type)>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add(await PostAsync(client, "/api/assets/devices/batch", 63 * Megabyte));
        }

        Assert.All(statuses, answer => Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "application/problem+json", ProblemTypes.PayloadTooLarge), answer));
    }

    [Fact]
    public async Task A_body_just_under_the_batch_limit_reaches_the_service()
    {
        var school = await api.SchoolAsync(rooms: 1);
        using var client = EdgeClient(school);

        var answer = await PostAsync(client, "/api/assets/devices/batch", 15 * Megabyte);

        // The service reads it and refuses the content (spaces are not a batch), which proves the edge let it through.
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
    }

    [Fact]
    public async Task Small_requests_of_other_clients_all_succeed_while_oversize_bodies_are_refused()
    {
        var school = await api.SchoolAsync(rooms: 1);
        using var uploader = EdgeClient(school);
        using var reader = new HttpClient { BaseAddress = _edge.Address };
        reader.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(PlatformRoles.Planner));

        var uploads = Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            PostAsync(uploader, i % 2 == 0 ? "/api/assets/devices" : "/api/assets/devices/batch", i % 2 == 0 ? 2 * Megabyte : 40 * Megabyte)));
        var reads = new List<HttpStatusCode>();
        // Bounded, so that the readers stay below the per-caller rate limit however long the uploads take; at least one read, as the
        // edge may refuse every upload (from its Content-Length) before the first read is sent.
        do
        {
            reads.Add((await reader.GetAsync("/api/assets/devices?pageSize=1")).StatusCode);
        }
        while (!uploads.IsCompleted && reads.Count < 500);

        Assert.All(await uploads, answer => Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.Status));
        Assert.NotEmpty(reads);
        Assert.All(reads, status => Assert.Equal(HttpStatusCode.OK, status));
    }

    private HttpClient EdgeClient(TestSchool school)
    {
        var client = new HttpClient { BaseAddress = _edge.Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add(SchoolApiKeyHandler.HeaderName, school.ApiKey);
        return client;
    }

    private static async Task<(HttpStatusCode Status, string? MediaType, string? Type)> PostAsync(HttpClient client, string path, int bytes)
    {
        var body = new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes(new string(' ', bytes)));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        string? type = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            using var problem = JsonDocument.Parse(text);
            type = problem.RootElement.GetProperty("type").GetString();
        }

        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, type);
    }
}
