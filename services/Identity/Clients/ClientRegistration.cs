using Mep.Identity.Hosting;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Mep.Identity.Clients;

/// <summary>
/// Registers each configured client in OpenIddict's application store at start-up, or brings it up to date (secret, addresses):
/// configuration is the truth, the store is what OpenIddict reads. Runs after the migrations, before the server takes requests.
/// Every client is confidential and may only use the authorization code flow with PKCE and refresh tokens.
/// </summary>
public sealed partial class ClientRegistration(IServiceProvider services, IOptions<ProviderOptions> options, ILogger<ClientRegistration> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var client in options.Value.Clients)
        {
            // A second replica starting at once may insert the same client first (unique client_id): then update what it wrote.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await RegisterAsync(client, cancellationToken);
                    break;
                }
                // Another instance wrote the client meanwhile: its row (a unique violation), its version (concurrency), or between our
                // look-up and create (OpenIddict's own check that the client id is free). The next attempt finds it and updates it.
                catch (Exception e) when (attempt < 3 && e is OpenIddictExceptions.ConcurrencyException or OpenIddictExceptions.ValidationException
                    or Microsoft.EntityFrameworkCore.DbUpdateException)
                {
                    LogRetry(logger, client.ClientId!, attempt);
                }
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task RegisterAsync(ClientOptions client, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var descriptor = Describe(client);
        if (await applications.FindByClientIdAsync(client.ClientId!, cancellationToken) is { } existing)
        {
            await applications.UpdateAsync(existing, descriptor, cancellationToken);
            LogUpdated(logger, client.ClientId!);
        }
        else
        {
            await applications.CreateAsync(descriptor, cancellationToken);
            LogRegistered(logger, client.ClientId!);
        }
    }

    private static OpenIddictApplicationDescriptor Describe(ClientOptions client)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            ClientType = ClientTypes.Confidential,
            ApplicationType = ApplicationTypes.Web,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = client.ClientId,
        };
        descriptor.Permissions.UnionWith(
        [
            Permissions.Endpoints.Authorization,
            Permissions.Endpoints.Token,
            Permissions.Endpoints.EndSession,
            Permissions.GrantTypes.AuthorizationCode,
            Permissions.GrantTypes.RefreshToken,
            Permissions.ResponseTypes.Code,
            Permissions.Scopes.Profile,
            Permissions.Scopes.Email,
            Permissions.Scopes.Roles,
        ]);
        descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        descriptor.RedirectUris.UnionWith(client.RedirectUris.Select(uri => new Uri(uri, UriKind.Absolute)));
        descriptor.PostLogoutRedirectUris.UnionWith(client.PostLogoutRedirectUris.Select(uri => new Uri(uri, UriKind.Absolute)));
        return descriptor;
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Registered client {ClientId}")]
    private static partial void LogRegistered(ILogger logger, string clientId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Updated client {ClientId} from configuration")]
    private static partial void LogUpdated(ILogger logger, string clientId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Client {ClientId} was written by another instance at the same time (attempt {Attempt}); trying again")]
    private static partial void LogRetry(ILogger logger, string clientId, int attempt);
}
