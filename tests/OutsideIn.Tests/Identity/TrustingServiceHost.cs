
namespace Mep.OutsideIn.Tests.Identity;

/// <summary>
/// A platform service on Kestrel that trusts the identity provider (Auth:Authority = its issuer, over plain HTTP as in ./mep up),
/// on a database and broker virtual host of its own. Local test tokens (<see cref="TestTokens"/>) still work beside it, to arrange
/// data before anyone signs in.
/// </summary>
public sealed class TrustingServiceHost<TProgram> : ServiceFactory<TProgram>, IAsyncDisposable where TProgram : class
{
    private readonly Uri _authority;
    private readonly PostgresDatabase _database;
    private readonly RabbitMqVirtualHost _broker;

    internal TrustingServiceHost(PostgresDatabase database, RabbitMqVirtualHost broker, Uri authority) : base(database, broker)
    {
        (_database, _broker, _authority) = (database, broker, authority);
        UseKestrel(0);
    }

    /// <summary>Where its Kestrel listens (the edge's upstream).</summary>
    public Uri Address { get; private set; } = null!;

    internal void Start()
    {
        StartServer();
        Address = KestrelAddress.Of(Services);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:Authority", _authority.ToString());
        builder.UseSetting("Auth:RequireHttpsMetadata", "false");
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await ((IAsyncLifetime)this).DisposeAsync();
        await _database.DisposeAsync();
        await _broker.DisposeAsync();
    }
}

public static class TrustingServiceHost
{
    /// <param name="purpose">Part of its database's and virtual host's names.</param>
    /// <param name="authority">The identity provider's issuer.</param>
    public static async Task<TrustingServiceHost<TProgram>> StartAsync<TProgram>(string purpose, Uri authority) where TProgram : class
    {
        var database = await PostgresDatabase.CreateAsync(purpose, create: false);
        var broker = await RabbitMqVirtualHost.CreateAsync(purpose);
        var host = new TrustingServiceHost<TProgram>(database, broker, authority);
        host.Start();
        return host;
    }
}
