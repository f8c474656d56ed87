using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Mep.OutsideIn.Tests.Identity;
using Microsoft.Playwright;

namespace Mep.OutsideIn.Tests.Console;

[CollectionDefinition(Name)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "xunit's word: the test classes that share one fixture")]
public sealed class ConsoleCollection : ICollectionFixture<ConsolePlatform>
{
    public const string Name = "console";
}

/// <summary>
/// What a person at a browser meets: the five services, the local identity provider and the web console behind the real nginx edge,
/// the services trusting the provider's tokens, and Chromium to drive it. One for all console tests (they run one after another in
/// it), with two schools: the school contact's own and one it must never see.
/// </summary>
public sealed class ConsolePlatform : IAsyncLifetime
{
    public const string ClientId = "mep-console";

    /// <summary>How long a page or an element may take: generous, for a machine that builds and tests at once.</summary>
    private const float BrowserTimeout = 60_000;
    private readonly string _clientSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private WholePlatform _platform = null!;
    private IdentityHost _identity = null!;
    private ConsoleHost _console = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public WholePlatform Platform => _platform;

    /// <summary>A client on the edge (no redirects followed, no cookies).</summary>
    public HttpClient Edge => _platform.Edge;

    public Uri EdgeAddress { get; private set; } = null!;

    /// <summary>The school whose IT contact is <see cref="ConsolePeople.SchoolContact"/>.</summary>
    public Guid SchoolId { get; private set; }

    public string SchoolNumber { get; private set; } = "";

    /// <summary>A school the contact must never see anything of.</summary>
    public Guid OtherSchoolId { get; private set; }

    public string OtherSchoolNumber { get; private set; } = "";

    /// <summary>What the console logged at error level (a failure names the exception behind an error page).</summary>
    public ServerErrors ConsoleErrors => _console.Errors;

    public async Task InitializeAsync()
    {
        var port = EdgeProxy.FreePort();
        EdgeAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        var edge = EdgeAddress.ToString().TrimEnd('/');
        var issuer = $"{edge}/identity/";
        var serviceSettings = new Dictionary<string, string?>
        {
            ["Auth:Authority"] = issuer,
            ["Auth:RequireHttpsMetadata"] = "false",
            ["Edge:PublicBaseAddress"] = edge,
        };
        _platform = await WholePlatform.StartAsync("console", frontEnds: new WholePlatform.FrontEnds(port, serviceSettings, async hosts =>
        {
            using var planner = StaffClient(hosts[0].Address, "planner");
            (SchoolId, SchoolNumber) = await RegisterSchoolAsync(planner, "GY Konsolenschule");
            (OtherSchoolId, OtherSchoolNumber) = await RegisterSchoolAsync(planner, "GY Fremdschule");
            _identity = await IdentityHost.StartAsync("consoleidentity", new Uri(edge), IdentitySettings(edge));
            _console = new ConsoleHost(new Dictionary<string, string?>
            {
                ["Edge:PublicBaseAddress"] = edge,
                ["Console:Authority"] = issuer,
                ["Console:ClientId"] = ClientId,
                ["Console:ClientSecret"] = _clientSecret,
                ["Console:RequireHttpsMetadata"] = "false",
                ["Console:ApiBaseAddress"] = edge,
            });
            _console.Start();
            return new Dictionary<string, Uri>(StringComparer.Ordinal) { ["identity"] = _identity.Address, ["console"] = _console.Address };
        }));
        // Tests open tickets at both schools from their first step, some through the console's pages: wait once until Support knows
        // them (Schools' registrations reach it through the broker), as the arrange helpers for Assets and Funding wait for theirs.
        using (var agent = StaffClient("agent"))
        {
            foreach (var school in new[] { SchoolId, OtherSchoolId })
            {
                await Eventually.AssertAsync(async () =>
                        (await agent.GetAsync($"/api/support/schools/{school}/system-support-budget/2026")).StatusCode == HttpStatusCode.OK,
                    $"Support knows school {school}", TimeSpan.FromSeconds(60));
            }
        }

        Assertions.SetDefaultExpectTimeout(BrowserTimeout);
        _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
    }

    /// <summary>An HttpClient on the edge with a staff token of <paramref name="role"/>, to arrange data and check outcomes through the APIs.</summary>
    public HttpClient StaffClient(string role, string subject = "console-test") => StaffClient(EdgeAddress, role, subject);

    /// <summary>A fresh browser context (no cookies) with <paramref name="person"/> signed in through the provider's login page, on the console's start page.</summary>
    public async Task<ConsoleSession> SignInAsync(ConsolePerson person)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = EdgeAddress.ToString(),
            Locale = "de-DE",
            TimezoneId = "Europe/Berlin",
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
        });
        context.SetDefaultTimeout(BrowserTimeout);
        context.SetDefaultNavigationTimeout(BrowserTimeout);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("Benutzername").FillAsync(person.UserName);
        await page.GetByLabel("Passwort").FillAsync(person.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();
        try
        {
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/" && !url.Contains("/identity/", StringComparison.Ordinal));
        }
        catch (TimeoutException timeout)
        {
            var text = await page.InnerTextAsync("body", new() { Timeout = 5_000 }).ConfigureAwait(false);
            throw new TimeoutException($"{person.UserName} did not arrive at the console's start page; at {page.Url}: {text[..Math.Min(text.Length, 600)]}", timeout);
        }

        return new ConsoleSession(context, page, this);
    }

    /// <summary>A fresh browser context with no one signed in.</summary>
    public async Task<ConsoleSession> AnonymousAsync()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = EdgeAddress.ToString(), Locale = "de-DE" });
        context.SetDefaultTimeout(BrowserTimeout);
        context.SetDefaultNavigationTimeout(BrowserTimeout);
        return new ConsoleSession(context, await context.NewPageAsync(), this);
    }

    private Dictionary<string, string?> IdentitySettings(string edge)
    {
        using var rsa = RSA.Create(2048);
        var settings = new Dictionary<string, string?>
        {
            ["Identity:SigningKeyPem"] = rsa.ExportPkcs8PrivateKeyPem(),
            ["Identity:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Identity:Clients:0:ClientId"] = ClientId,
            ["Identity:Clients:0:ClientSecret"] = _clientSecret,
            ["Identity:Clients:0:RedirectUris:0"] = $"{edge}/signin-oidc",
            ["Identity:Clients:0:PostLogoutRedirectUris:0"] = $"{edge}/signout-callback-oidc",
        };
        for (var n = 0; n < ConsolePeople.All.Count; n++)
        {
            var person = ConsolePeople.All[n];
            var prefix = $"Identity:People:{n.ToString(CultureInfo.InvariantCulture)}:";
            settings[prefix + "UserName"] = person.UserName;
            settings[prefix + "Password"] = person.Password;
            settings[prefix + "Name"] = person.Name;
            settings[prefix + "Email"] = person.Email;
            for (var r = 0; r < person.Roles.Length; r++)
            {
                settings[prefix + $"Roles:{r.ToString(CultureInfo.InvariantCulture)}"] = person.Roles[r];
            }

            if (person == ConsolePeople.SchoolContact)
            {
                settings[prefix + "SchoolId"] = SchoolId.ToString();
            }
        }

        return settings;
    }

    private static HttpClient StaffClient(Uri address, string role, string subject = "console-test")
    {
        var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(role, subject));
        return client;
    }

    private static async Task<(Guid Id, string Number)> RegisterSchoolAsync(HttpClient planner, string name)
    {
        var number = TestSchoolNumbers.Next();
        var response = await planner.PostAsync("/api/schools", Json.Body(SchoolsHttp.SchoolBody(number, $"{name} {number}")));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return ((await response.ReadJsonAsync()).GetProperty("id").GetGuid(), number);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _platform.DisposeAsync();
        await _console.DisposeAsync();
        await _identity.DisposeAsync();
    }
}
