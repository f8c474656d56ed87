using Mep.Contracts.Assets;
using Mep.Schools.Webhooks;

namespace Mep.Schools.Tests;

/// <summary>The nightly clean-up removes webhook events past the retention (30 days) with their deliveries and logs, and nothing newer.</summary>
public sealed class WebhookCleanupTests(WebhooksApi api) : IClassFixture<WebhooksApi>
{
    [Fact]
    public async Task Events_older_than_the_retention_go_with_their_deliveries_and_newer_ones_stay()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (school, key) = await api.SchoolAsync();
        var (subscription, _) = await WebhooksApi.SubscribeAsync(key, school, receiver.Url, "device.retired");
        await api.PublishAsync(new DeviceRetired(Guid.NewGuid(), school, DateTimeOffset.UtcNow));
        await api.PublishAsync(new DeviceRetired(Guid.NewGuid(), school, DateTimeOffset.UtcNow));
        await WebhooksApi.AllDeliveredAsync(key, school, subscription, 2);
        var old = receiver.Received[0].Id;
        await api.Database.ExecuteAsync($"UPDATE webhook_events SET recorded_at = now() - interval '31 days' WHERE id = '{old}'");

        await using (var scope = api.Services.CreateAsyncScope())
        {
            await ActivatorUtilities.CreateInstance<WebhookCleanupJob>(scope.ServiceProvider).ExecuteAsync(WebhookCleanupJob.Name, null, CancellationToken.None);
        }

        var left = await WebhooksApi.DeliveriesAsync(key, school, subscription);
        Assert.Equal([receiver.Received[1].Id], left.Select(d => d.GetProperty("eventId").GetGuid().ToString()));
        Assert.Equal(0, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM webhook_events WHERE id = '{old}'"));
    }
}
