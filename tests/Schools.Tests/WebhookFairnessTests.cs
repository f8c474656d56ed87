using Mep.Contracts.Assets;

namespace Mep.Schools.Tests;

/// <summary>The senders are shared fairly: a school whose receivers answer slowly holds up at most its share of them.</summary>
public sealed class WebhookFairnessTests(WebhooksApi api) : IClassFixture<WebhooksApi>
{
    [Fact]
    public async Task A_school_whose_receivers_answer_slowly_does_not_hold_up_another_schools_deliveries()
    {
        await using var slow = await WebhookReceiver.StartAsync();
        await using var prompt = await WebhookReceiver.StartAsync();
        // Just within the delivery's timeout (5 s here): each of these deliveries holds a sender that long.
        slow.AnswerAfter = TimeSpan.FromSeconds(4.5);
        var (slowSchool, slowKey) = await api.SchoolAsync();
        var (school, key) = await api.SchoolAsync();
        // As many slow subscriptions as a replica has senders (4): without a share per school they could take every one.
        foreach (var n in Enumerable.Range(1, 4))
        {
            await WebhooksApi.SubscribeAsync(slowKey, slowSchool, $"{slow.Url}?n={n}", "device.retired");
        }

        var (subscription, _) = await WebhooksApi.SubscribeAsync(key, school, prompt.Url, "device.retired");
        foreach (var _ in Enumerable.Range(0, 3))
        {
            await api.PublishAsync(new DeviceRetired(Guid.NewGuid(), slowSchool, DateTimeOffset.UtcNow));
        }

        await Eventually.AssertAsync(async () => slow.Received.Count >= 2, "the slow school's deliveries are under way");
        await api.PublishAsync(new DeviceRetired(Guid.NewGuid(), school, DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () => prompt.Received.Count == 1, "the other school's event arrives while the slow ones wait",
            within: TimeSpan.FromSeconds(2.5));

        await WebhooksApi.AllDeliveredAsync(key, school, subscription, 1);
        Assert.InRange(slow.MostAtOnce, 1, 2);
    }
}
