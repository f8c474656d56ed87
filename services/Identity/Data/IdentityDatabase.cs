using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Health;
using Microsoft.EntityFrameworkCore;

namespace Mep.Identity.Data;

/// <summary>
/// The provider's own PostgreSQL database (ConnectionStrings:Database): OpenIddict's stores through EF Core, the schema from the
/// SQL migrations embedded here, applied by the platform's migrator (advisory lock: replicas starting at once apply each once).
/// Not the services' AddServiceDatabase: the provider has none of their outbox, inbox or job tables, and OpenIddict's stores
/// track the entities they change.
/// </summary>
public static class IdentityDatabase
{
    public static WebApplicationBuilder AddIdentityDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<DatabaseOptions>(builder.Configuration.GetSection(DatabaseOptions.Section));
        // Read when the first context is made: test hosts supply the connection string late.
        builder.Services.AddDbContext<IdentityDbContext>((services, options) => options
            .UseNpgsql(ServiceDatabase.ContextConnectionString(services.GetRequiredService<IConfiguration>()), npgsql => npgsql.EnableRetryOnFailure(3))
            .UseSnakeCaseNamingConvention()
            .UseOpenIddict());
        builder.Services.AddSingleton<SqlMigrator>();
        // First of the hosted services: the schema is there before clients are registered and requests come.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, MigrateIdentityDatabase>());
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck<IdentityDbContext>>("database", tags: [PlatformHealthChecks.ReadyTag]);
        return builder;
    }
}

internal sealed class MigrateIdentityDatabase(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        services.GetRequiredService<SqlMigrator>().MigrateAsync(
            ServiceDatabase.HousekeepingConnectionString(services.GetRequiredService<IConfiguration>()),
            SqlMigrator.LoadFrom(typeof(IdentityDbContext).Assembly), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
