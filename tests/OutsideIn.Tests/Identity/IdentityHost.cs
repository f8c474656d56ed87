extern alias identity;

using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Mep.OutsideIn.Tests.Identity;

/// <summary>The local identity provider on Kestrel in this process, with a database of its own (placeholder until the provider lands).</summary>
public sealed class IdentityHost : WebApplicationFactory<identity::Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly PostgresDatabase _database;

    private IdentityHost(PostgresDatabase database, IReadOnlyDictionary<string, string?> settings) => (_database, _settings) = (database, settings);

    public Uri Address { get; private set; } = null!;

    public static async Task<IdentityHost> StartAsync(string purpose, Uri publicBaseAddress, IReadOnlyDictionary<string, string?> settings)
    {
        var database = await PostgresDatabase.CreateAsync(purpose, create: false);
        var host = new IdentityHost(database, new Dictionary<string, string?>(settings) { ["Edge:PublicBaseAddress"] = publicBaseAddress.ToString().TrimEnd('/') });
        host.UseKestrel(0);
        host.StartServer();
        var addresses = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        host.Address = new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        return host;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Database", _database.ConnectionString);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }
}
