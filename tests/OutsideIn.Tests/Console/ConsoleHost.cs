extern alias console;

using Microsoft.AspNetCore.Mvc.Testing;

namespace Mep.OutsideIn.Tests.Console;

/// <summary>The web console on Kestrel in this process, configured as <c>./mep up</c> configures it: behind the edge, signing in at the identity provider.</summary>
public sealed class ConsoleHost(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<console::Program>, IServiceHost
{
    public string Name => "Console";

    public Uri Address { get; private set; } = null!;

    public ServerErrors Errors { get; } = new();

    public void Start()
    {
        UseKestrel(0);
        StartServer();
        Address = KestrelAddress.Of(Services);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Errors));
    }
}
