extern alias identity;

using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Mep.OutsideIn.Tests.Identity;

/// <summary>
/// The local identity provider hosted in this process on Kestrel (a real socket, for the real edge to route /identity/ to), on a
/// database of its own. Its issuer is <c>{publicBaseAddress}/identity/</c>, the edge's address: start the edge on that address
/// (<see cref="EdgeProxy.StartAsync"/>) with <c>identity</c> = <see cref="Address"/>.
/// </summary>
public sealed class IdentityHost : IAsyncDisposable
{
    private static readonly Lazy<string> SharedSigningKey = new(() =>
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    });

    private readonly Host _host;
    private readonly PostgresDatabase? _ownDatabase;

    private IdentityHost(Host host, PostgresDatabase? ownDatabase, Uri address, Uri issuer) =>
        (_host, _ownDatabase, Address, Issuer) = (host, ownDatabase, address, issuer);

    /// <summary>Where its Kestrel listens (the edge's upstream for /identity/).</summary>
    public Uri Address { get; }

    /// <summary>The issuer of its tokens, which is also the authority services are pointed at (Auth:Authority).</summary>
    public Uri Issuer { get; }

    /// <summary>What the provider logged at error level, by trace id.</summary>
    public ServerErrors Errors => _host.Errors;

    /// <summary>The provider's services (its database context, OpenIddict's managers).</summary>
    public IServiceProvider Services => _host.Services;

    /// <param name="purpose">Part of its database's name (e.g. the test class).</param>
    /// <param name="publicBaseAddress">The edge's address, e.g. http://127.0.0.1:PORT/.</param>
    /// <param name="settings">
    /// The Identity:* settings (clients, people, audience). Identity:SigningKeyPem and Identity:EncryptionKey are generated when
    /// they are not given.
    /// </param>
    public static async Task<IdentityHost> StartAsync(string purpose, Uri publicBaseAddress, IReadOnlyDictionary<string, string?> settings)
    {
        var database = await PostgresDatabase.CreateAsync($"identity{purpose}", create: false);
        try
        {
            return await StartHostAsync(database, publicBaseAddress, settings, ownsDatabase: true);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>A provider on a database someone else owns and drops (two instances of the provider on one database).</summary>
    public static Task<IdentityHost> StartOnAsync(PostgresDatabase database, Uri publicBaseAddress, IReadOnlyDictionary<string, string?> settings) =>
        StartHostAsync(database, publicBaseAddress, settings, ownsDatabase: false);

    private static async Task<IdentityHost> StartHostAsync(PostgresDatabase database, Uri publicBaseAddress,
        IReadOnlyDictionary<string, string?> settings, bool ownsDatabase)
    {
        var all = new Dictionary<string, string?>(settings, StringComparer.OrdinalIgnoreCase);
        all.TryAdd("Identity:SigningKeyPem", SharedSigningKey.Value);
        all.TryAdd("Identity:EncryptionKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var host = new Host(database.ConnectionString, publicBaseAddress, all);
        try
        {
            host.Start();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return new IdentityHost(host, ownsDatabase ? database : null, KestrelAddress.Of(host.Services),
            new Uri($"{publicBaseAddress.GetLeftPart(UriPartial.Authority)}/identity/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        if (_ownDatabase is not null)
        {
            await _ownDatabase.DisposeAsync();
        }
    }

    private sealed class Host : WebApplicationFactory<identity::Program>
    {
        private readonly string _connectionString;
        private readonly Uri _publicBaseAddress;
        private readonly IReadOnlyDictionary<string, string?> _settings;

        public Host(string connectionString, Uri publicBaseAddress, IReadOnlyDictionary<string, string?> settings)
        {
            (_connectionString, _publicBaseAddress, _settings) = (connectionString, publicBaseAddress, settings);
            UseKestrel(0);
        }

        public ServerErrors Errors { get; } = new();

        public void Start() => StartServer();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:Database", _connectionString);
            builder.UseSetting("Edge:PublicBaseAddress", _publicBaseAddress.GetLeftPart(UriPartial.Authority));
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in _settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureLogging(logging => logging.AddProvider(Errors));
        }
    }
}
