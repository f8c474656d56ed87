using System.Net.Http.Headers;
using Mep.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Mep.TestKit;

/// <summary>
/// Hosts one service in memory against its own fresh database on the real test PostgreSQL. Use one
/// per test class (IClassFixture): classes run in parallel and never share a database.
/// </summary>
public class ServiceFactory<TProgram> : WebApplicationFactory<TProgram>, IAsyncLifetime where TProgram : class
{
    private PostgresDatabase? _database;
    private RabbitMqVirtualHost? _broker;
    private bool _ownsDatabase;
    private bool _ownsBroker;

    /// <summary>A host on a fresh database of its own.</summary>
    public ServiceFactory()
    {
    }

    /// <summary>A host on a database someone else owns (e.g. two replicas of one service on one database).</summary>
    protected ServiceFactory(PostgresDatabase database, RabbitMqVirtualHost? broker = null) => (_database, _broker) = (database, broker);

    /// <summary>The SQL this host sent to its database, latest last.</summary>
    public ExecutedSql Sql { get; } = new();

    public PostgresDatabase Database => _database ?? throw new InvalidOperationException("InitializeAsync has not run.");

    /// <summary>The broker's virtual host this host publishes to and consumes from.</summary>
    public RabbitMqVirtualHost Broker => _broker ?? throw new InvalidOperationException("InitializeAsync has not run.");

    public virtual async Task InitializeAsync()
    {
        if (_database is null)
        {
            // The service creates and migrates its database itself, as in production.
            _database = await PostgresDatabase.CreateAsync(GetType().Name, create: false);
            _ownsDatabase = true;
        }

        if (_broker is null)
        {
            _broker = await RabbitMqVirtualHost.CreateAsync(GetType().Name);
            _ownsBroker = true;
        }

        _ = Server;
        await Task.CompletedTask;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Database", Database.ConnectionString);
        builder.UseSetting("ConnectionStrings:Broker", Broker.AmqpUrl);
        builder.UseSetting("Auth:SigningKey", TestTokens.SigningKey);
        builder.UseSetting("Auth:Issuer", TestTokens.Issuer);
        builder.UseSetting("Auth:Audience", TestTokens.Audience);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Warning");
        // Recurring jobs with second-by-second crons come due within a second, not within production's five.
        builder.UseSetting("Jobs:PollingInterval", "00:00:01");
        // Every executed command reaches Sql; the console stays at warnings.
        builder.ConfigureLogging(logging => logging.AddProvider(Sql)
            .AddFilter<ExecutedSql>(DbLoggerCategory.Database.Command.Name, LogLevel.Information));
    }

    /// <summary>A client with a staff token of the given role.</summary>
    public HttpClient ClientAs(string role, string subject = "test-user")
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(role, subject));
        return client;
    }

    /// <summary>A client that acts as a school through its API key.</summary>
    public HttpClient ClientWithSchoolKey(string apiKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(SchoolApiKeyHandler.HeaderName, apiKey);
        return client;
    }

    /// <summary>A client that calls as the school, with its key.</summary>
    public HttpClient ClientFor(TestSchool school) => ClientWithSchoolKey(school.ApiKey);

    /// <summary>A client with a raw Authorization bearer value (expired, badly signed, ...).</summary>
    public HttpClient ClientWithBearer(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Stops what a derived fixture started next to the host (a test bus, ...), before the host and its database go.</summary>
    protected virtual Task OnDisposingAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await OnDisposingAsync();
        await base.DisposeAsync();
        if (_ownsDatabase && _database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_ownsBroker && _broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }
}
