using System.Globalization;
using System.Security.Cryptography;
using Mep.TestKit;

namespace Mep.Bench.ConsoleQueue;

/// <summary>
/// The whole platform for the bench, as ./mep up runs it: the five services, the identity provider and the console, each its own
/// process on its own database (one broker virtual host), behind nginx configured by ./mep edge-config. The services trust the
/// provider's tokens (Auth:Authority) and, for arranging data fast, the test signing key.
/// </summary>
internal sealed class BenchPlatform : IAsyncDisposable
{
    public const string ClientId = "mep-console";
    public const string AgentUserName = "bench-agent";
    public const string AgentPassword = "bench-agent-geheim-2026";

    private static readonly string[] Services = ["Schools", "Assets", "Support", "Staffing", "Funding"];

    private readonly List<IAsyncDisposable> _owned = [];

    public Uri Edge { get; private set; } = null!;

    public static async Task<BenchPlatform> StartAsync(Action<string> step)
    {
        var platform = new BenchPlatform();
        try
        {
            await platform.StartPartsAsync(step);
            return platform;
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
    }

    private async Task StartPartsAsync(Action<string> step)
    {
        var port = EdgeProxy.FreePort();
        var edge = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var issuer = $"{edge}/identity/";
        var broker = await RabbitMqVirtualHost.CreateAsync("bench-console");
        _owned.Add(broker);
        var addresses = new Dictionary<string, Uri>(StringComparer.Ordinal);
        foreach (var service in Services)
        {
            step($"starting {service}");
            var database = await PostgresDatabase.CreateAsync("bench-console-" + service.ToLowerInvariant(), create: false);
            _owned.Add(database);
            var process = await ServiceProcess.StartAsync(Built(service), new Dictionary<string, string>
            {
                ["ConnectionStrings:Database"] = database.ConnectionString,
                ["ConnectionStrings:Broker"] = broker.AmqpUrl,
                ["Auth:SigningKey"] = TestTokens.SigningKey,
                ["Auth:Issuer"] = TestTokens.Issuer,
                ["Auth:Audience"] = TestTokens.Audience,
                ["Auth:Authority"] = issuer,
                ["Auth:RequireHttpsMetadata"] = "false",
                ["Edge:PublicBaseAddress"] = edge,
                ["RateLimits:StaffRequestsPerMinute"] = "1000000",
            });
            _owned.Add(process);
            addresses[service.ToLowerInvariant()] = process.BaseAddress;
        }

        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        step("starting the identity provider");
        var identityDatabase = await PostgresDatabase.CreateAsync("bench-console-identity", create: false);
        _owned.Add(identityDatabase);
        using var rsa = RSA.Create(2048);
        var identity = await ServiceProcess.StartAsync(Built("Identity"), new Dictionary<string, string>
        {
            ["ConnectionStrings:Database"] = identityDatabase.ConnectionString,
            ["Edge:PublicBaseAddress"] = edge,
            ["Identity:SigningKeyPem"] = rsa.ExportPkcs8PrivateKeyPem(),
            ["Identity:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Identity:Clients:0:ClientId"] = ClientId,
            ["Identity:Clients:0:ClientSecret"] = secret,
            ["Identity:Clients:0:RedirectUris:0"] = $"{edge}/signin-oidc",
            ["Identity:Clients:0:PostLogoutRedirectUris:0"] = $"{edge}/signout-callback-oidc",
            ["Identity:People:0:UserName"] = AgentUserName,
            ["Identity:People:0:Password"] = AgentPassword,
            ["Identity:People:0:Name"] = "Bench Agentin",
            ["Identity:People:0:Email"] = "bench-agent@stadt.example",
            ["Identity:People:0:Roles:0"] = "agent",
        });
        _owned.Add(identity);
        addresses["identity"] = identity.BaseAddress;

        step("starting the console");
        var console = await ServiceProcess.StartAsync(Built("Console"), new Dictionary<string, string>
        {
            ["Edge:PublicBaseAddress"] = edge,
            ["Console:Authority"] = issuer,
            ["Console:ClientId"] = ClientId,
            ["Console:ClientSecret"] = secret,
            ["Console:RequireHttpsMetadata"] = "false",
            ["Console:ApiBaseAddress"] = edge,
        });
        _owned.Add(console);
        addresses["console"] = console.BaseAddress;

        step("starting the edge (nginx)");
        var proxy = await EdgeProxy.StartAsync(addresses, port);
        _owned.Add(proxy);
        Edge = proxy.Address;
    }

    private static string Built(string service)
    {
        var path = ServiceProcess.BuiltService(service);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: build services/{service} in the bench's configuration first.", path);
    }

    public async ValueTask DisposeAsync()
    {
        // The edge and the processes first, then their databases and the broker.
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }
    }
}
