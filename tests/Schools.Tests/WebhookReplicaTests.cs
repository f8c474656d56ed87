using Mep.Contracts.Assets;

namespace Mep.Schools.Tests;

/// <summary>Two replicas of Schools send from one deliveries table: every event still reaches each subscription once.</summary>
public sealed class WebhookReplicaTests(WebhooksApi api) : IClassFixture<WebhooksApi>
{
    [Fact]
    public async Task Two_replicas_sending_at_once_deliver_each_event_once_per_subscription()
    {
        IAsyncLifetime replica = api.Replica();
        await replica.InitializeAsync();
        try
        {
            await DeliverThirtyEventsToThreeSchoolsAsync();
        }
        finally
        {
            await replica.DisposeAsync();
        }
    }

    private async Task DeliverThirtyEventsToThreeSchoolsAsync()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var subscribers = new List<(Guid School, HttpClient Key, Guid Subscription)>();
        foreach (var n in Enumerable.Range(1, 3))
        {
            var (school, key) = await api.SchoolAsync();
            var (subscription, _) = await WebhooksApi.SubscribeAsync(key, school, $"{receiver.Url}?school={n}", "device.retired");
            subscribers.Add((school, key, subscription));
        }

        foreach (var (school, _, _) in subscribers)
        {
            foreach (var _ in Enumerable.Range(0, 10))
            {
                await api.PublishAsync(new DeviceRetired(Guid.NewGuid(), school, DateTimeOffset.UtcNow));
            }
        }

        foreach (var (school, key, subscription) in subscribers)
        {
            await WebhooksApi.AllDeliveredAsync(key, school, subscription, 10);
        }

        Assert.Equal(30, receiver.Received.Count);
        Assert.Equal(30, receiver.Received.Select(r => r.Id).Distinct().Count());
        Assert.All(receiver.Received, r => Assert.Equal("1", r.Attempt));
    }
}
