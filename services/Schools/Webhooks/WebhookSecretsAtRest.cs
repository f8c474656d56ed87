using Mep.Schools.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.Schools.Webhooks;

/// <summary>
/// When the service starts, before it takes requests or sends: seals again under the current key every subscription secret that a
/// retired key sealed, or that is still in plain text (subscriptions made before secrets were encrypted, migration 0006). Replicas
/// starting at once do it row by row under the row's lock, so each row is sealed once.
/// </summary>
public sealed partial class WebhookSecretsAtRest(IServiceScopeFactory scopes, WebhookSecretCipher cipher, ILogger<WebhookSecretsAtRest> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchoolsDbContext>();
        var current = $"{WebhookSecretCipher.Version}.{cipher.CurrentKeyId}.%";
        var stale = await db.Set<WebhookSubscription>()
            .FromSql($"SELECT * FROM webhook_subscriptions WHERE secret NOT LIKE {current} OR previous_secret NOT LIKE {current}")
            .Select(s => s.Id).ToListAsync(cancellationToken);
        var sealedAgain = 0;
        var strategy = db.Database.CreateExecutionStrategy();
        foreach (var id in stale)
        {
            sealedAgain += await strategy.ExecuteAsync(async () =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var subscription = await db.Set<WebhookSubscription>()
                    .FromSql($"SELECT * FROM webhook_subscriptions WHERE id = {id} FOR UPDATE").AsTracking().SingleOrDefaultAsync(cancellationToken);
                var changed = subscription?.SealAgain(cipher) == true;
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return changed ? 1 : 0;
            });
        }

        if (sealedAgain > 0)
        {
            LogSealedAgain(logger, sealedAgain, cipher.CurrentKeyId);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information,
        Message = "Sealed the signing secrets of {Subscriptions} webhook subscriptions again under key {KeyId}")]
    private static partial void LogSealedAgain(ILogger logger, int subscriptions, string keyId);
}
