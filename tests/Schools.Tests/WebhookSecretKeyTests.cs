using System.Security.Cryptography;
using Mep.Contracts.Assets;
using Mep.Schools.Webhooks;
using Microsoft.Extensions.Options;

namespace Mep.Schools.Tests;

/// <summary>Signing secrets at rest: sealed with a key outside the database, sealed again under a new key, forgotten after their overlap.</summary>
public sealed class WebhookSecretKeyTests(ShortSecretOverlapWebhooksApi api) : IClassFixture<ShortSecretOverlapWebhooksApi>
{
    [Fact]
    public async Task After_the_overlap_the_previous_secret_is_forgotten_and_the_secret_rotates_again()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (school, key) = await api.SchoolAsync();
        var (subscription, first) = await WebhooksApi.SubscribeAsync(key, school, receiver.Url, "device.retired");
        await WebhooksApi.PostOkAsync(key, $"/api/schools/{school}/webhooks/{subscription}/rotate-secret");

        await Eventually.AssertAsync(async () => await api.Database.ScalarAsync<long>(
                $"SELECT count(*) FROM webhook_subscriptions WHERE id = '{subscription}' AND previous_secret IS NULL AND previous_secret_expires_at IS NULL") == 1,
            "the rotated-out secret is forgotten once its second of overlap has passed");
        var third = (await WebhooksApi.PostOkAsync(key, $"/api/schools/{school}/webhooks/{subscription}/rotate-secret")).GetProperty("secret").GetString()!;
        await api.PublishAsync(new DeviceRetired(Guid.NewGuid(), school, DateTimeOffset.UtcNow));
        await WebhooksApi.AllDeliveredAsync(key, school, subscription, 1);

        var delivery = receiver.Received.Single();
        Assert.True(delivery.IsSignedWith(third));
        Assert.False(delivery.IsSignedWith(first));
    }

    [Fact]
    public async Task A_replica_started_with_a_new_key_seals_the_stored_secrets_again_and_they_stay_the_same()
    {
        var (school, key) = await api.SchoolAsync();
        var (subscription, secret) = await WebhooksApi.SubscribeAsync(key, school, "http://127.0.0.1:9/mep/webhooks", "device.retired");
        var retiredKey = api.Services.GetRequiredService<IOptions<WebhookOptions>>().Value.SecretKey!;
        var newKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        var replica = api.Replica(new()
        {
            ["Webhooks:SecretKey"] = newKey,
            ["Webhooks:RetiredSecretKeys:0"] = retiredKey,
            ["Webhooks:DeliveryEnabled"] = "false",
        });
        await ((IAsyncLifetime)replica).InitializeAsync();
        try
        {
            var stored = await api.Database.ScalarAsync<string>($"SELECT secret FROM webhook_subscriptions WHERE id = '{subscription}'");
            var cipher = replica.Services.GetRequiredService<WebhookSecretCipher>();
            Assert.StartsWith($"v1.{cipher.CurrentKeyId}.", stored, StringComparison.Ordinal);
            Assert.Equal(secret, cipher.Open(subscription, stored!));
            Assert.NotEqual(cipher.CurrentKeyId, api.Services.GetRequiredService<WebhookSecretCipher>().CurrentKeyId);
        }
        finally
        {
            await ((IAsyncLifetime)replica).DisposeAsync();
        }
    }
}

/// <summary>Outside Development and Testing the service refuses to start without a key of its own for the secrets.</summary>
public sealed class WebhookSecretKeyRequiredTests
{
    [Fact]
    public async Task In_production_without_a_secret_key_the_service_refuses_to_start_saying_which_setting_is_missing()
    {
        IAsyncLifetime production = new ProductionSchoolsApi();
        try
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(production.InitializeAsync);

            Assert.Contains("Webhooks:SecretKey must be set", refused.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await production.DisposeAsync();
        }
    }

    private sealed class ProductionSchoolsApi : ServiceFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
        }
    }
}
