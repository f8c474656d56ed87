using System.Net;
using System.Net.Http.Headers;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.TestKit.Probe;
using Microsoft.Playwright;

namespace Mep.ServiceDefaults.Tests;

/// <summary>The Hangfire dashboard at /api/{service}/jobs/: admins in via a session cookie, everyone else 401/403, never framed.</summary>
public sealed class JobDashboardTests : IAsyncLifetime
{
    private PostgresDatabase _db = null!;
    private RabbitMqVirtualHost _broker = null!;
    private ProbeService _probe = null!;

    public async Task InitializeAsync()
    {
        _db = await PostgresDatabase.CreateAsync("dashboard", create: false);
        _broker = await RabbitMqVirtualHost.CreateAsync("dashboard");
        _probe = await ProbeService.StartAsync(_db, _broker, jobs: jobs => jobs.Add<FireRecordingJob>("fire-recorder", "0 3 * * *"));
    }

    public async Task DisposeAsync()
    {
        await _probe.DisposeAsync();
        await _broker.DisposeAsync();
        await _db.DisposeAsync();
    }

    private HttpClient Client(string? role = null)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = _probe.BaseAddress };
        if (role is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(role));
        }

        return client;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(type, problem.RootElement.GetProperty("type").GetString());
    }

    private static void AssertCannotBeFramed(HttpResponseMessage response)
    {
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("frame-ancestors 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task Without_a_session_the_dashboard_answers_401_with_a_problem_document_and_cannot_be_framed()
    {
        using var anonymous = Client();

        var response = await anonymous.GetAsync("/api/probe/jobs/");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
        AssertCannotBeFramed(response);
    }

    [Fact]
    public async Task An_admins_bearer_token_is_not_a_dashboard_session()
    {
        using var withBearerOnly = Client(PlatformRoles.Admin);

        var bearerIsNotASession = await withBearerOnly.GetAsync("/api/probe/jobs/recurring");

        await AssertProblemAsync(bearerIsNotASession, HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
    }

    [Fact]
    public async Task Only_an_admin_token_gets_a_session_other_roles_403_and_no_token_401()
    {
        using var agent = Client(PlatformRoles.Agent);
        using var anonymous = Client();

        await AssertProblemAsync(await agent.PostAsync("/api/probe/jobs/session", null), HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await AssertProblemAsync(await anonymous.PostAsync("/api/probe/jobs/session", null), HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
    }

    /// <summary>An admin's session: the answer that opened it and its Set-Cookie header.</summary>
    private async Task<(HttpResponseMessage Session, string SetCookie)> AdminSessionAsync()
    {
        using var admin = Client(PlatformRoles.Admin);
        var session = await admin.PostAsync("/api/probe/jobs/session", null);
        return (session, Assert.Single(session.Headers.GetValues("Set-Cookie")));
    }

    [Fact]
    public async Task Ending_a_session_takes_the_session_cookie_and_clears_it()
    {
        var cookie = (await AdminSessionAsync()).SetCookie.Split(';')[0];
        using var browserLike = Client();

        var ended = await browserLike.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/probe/jobs/session") { Headers = { { "Cookie", cookie } } });

        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        Assert.Contains("expires=thu, 01 jan 1970", Assert.Single(ended.Headers.GetValues("Set-Cookie")).ToLowerInvariant(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ending_a_session_without_its_cookie_is_a_401()
    {
        using var browserLike = Client();

        var withoutSession = await browserLike.DeleteAsync("/api/probe/jobs/session");

        await AssertProblemAsync(withoutSession, HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
    }

    [Fact]
    public async Task An_admins_session_cookie_is_httponly_strict_and_path_scoped()
    {
        var (session, setCookie) = await AdminSessionAsync();

        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
        Assert.Equal("/api/probe/jobs/", (await session.ReadJsonAsync()).GetProperty("dashboard").GetString());
        var attributes = setCookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).Order().ToList();
        Assert.Equal(["httponly", "path=/api/probe/jobs", "samesite=strict"], attributes);
    }

    [Fact]
    public async Task An_admins_session_cookie_opens_the_dashboard_which_cannot_be_framed()
    {
        var cookie = (await AdminSessionAsync()).SetCookie.Split(';')[0];
        using var browserLike = Client();

        var dashboard = await browserLike.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/probe/jobs/recurring") { Headers = { { "Cookie", cookie } } });

        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("fire-recorder", await dashboard.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        AssertCannotBeFramed(dashboard);
    }

    [Fact]
    public async Task A_forged_session_cookie_does_not_open_the_dashboard()
    {
        var cookie = (await AdminSessionAsync()).SetCookie.Split(';')[0];
        using var browserLike = Client();

        var forged = await browserLike.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/probe/jobs/recurring")
            { Headers = { { "Cookie", cookie[..^4] + "AAAA" } } });

        await AssertProblemAsync(forged, HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
    }

    /// <summary>
    /// What an admin does: a page of the platform's origin exchanges the admin token for the session (as a web console's sign-in
    /// would), then the browser opens the dashboard through the edge. The dashboard refuses to be framed by another page.
    /// </summary>
    [Fact]
    public async Task An_admin_opens_the_dashboard_in_a_headless_browser_through_the_edge()
    {
        await using var edge = await EdgeProxy.StartAsync(new Dictionary<string, Uri> { ["probe"] = _probe.BaseAddress });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
        var page = await browser.NewPageAsync();
        var dashboardUrl = new Uri(edge.Address, "/api/probe/jobs/recurring").ToString();

        var refused = await page.GotoAsync(dashboardUrl);
        Assert.Equal(401, refused!.Status);

        var status = await page.EvaluateAsync<int>("""
            async token => (await fetch('/api/probe/jobs/session', { method: 'POST', headers: { Authorization: 'Bearer ' + token } })).status
            """, TestTokens.For(PlatformRoles.Admin));
        Assert.Equal(200, status);
        Assert.Equal(0, await page.EvaluateAsync<int>("document.cookie.length"));

        var opened = await page.GotoAsync(dashboardUrl);
        Assert.Equal(200, opened!.Status);
        Assert.Equal("DENY", await opened.HeaderValueAsync("x-frame-options"));
        await page.GetByText("fire-recorder").First.WaitForAsync();
        Assert.Contains("Probe jobs", await page.TitleAsync(), StringComparison.Ordinal);
        var screenshots = Path.Combine(TestInfrastructure.RepositoryRoot(), ".mep", "test-results");
        Directory.CreateDirectory(screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "jobs-dashboard.png"), FullPage = true });

        // Another origin (the same page's address by IP name differs from localhost) framing the dashboard gets nothing rendered.
        var framing = await browser.NewPageAsync();
        await framing.GotoAsync(new Uri(edge.Address, "/").ToString().Replace("127.0.0.1", "localhost", StringComparison.Ordinal));
        await framing.SetContentAsync($"<iframe id=\"dashboard\" src=\"{dashboardUrl}\"></iframe>");
        var frame = await (await framing.QuerySelectorAsync("#dashboard"))!.ContentFrameAsync();
        await Eventually.AssertAsync(async () => frame!.Url.StartsWith("chrome-error:", StringComparison.Ordinal)
            || await frame.EvaluateAsync<string>("document.body ? document.body.innerText : ''") == string.Empty, "the frame stays empty");
        Assert.DoesNotContain("fire-recorder", await frame!.ContentAsync(), StringComparison.Ordinal);
    }
}
