using System.Net;
using Mep.Contracts.Assets;

namespace Mep.Schools.Tests;

/// <summary>A subscription whose receiver keeps failing pauses after three failures in a row, says why, and delivers what waited once resumed.</summary>
public sealed class WebhookPauseTests(PausingWebhooksApi api) : IClassFixture<PausingWebhooksApi>
{
    private static string Subscription(Guid school, Guid subscription) => $"/api/schools/{school}/webhooks/{subscription}";

    [Fact]
    public async Task After_repeated_failure_the_subscription_pauses_and_says_why()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = HttpStatusCode.ServiceUnavailable;
        var (school, key) = await api.SchoolAsync();
        var (subscription, _) = await WebhooksApi.SubscribeAsync(key, school, receiver.Url, "device.retired");

        await api.PublishAsync(new DeviceRetired(Guid.NewGuid(), school, DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () => (await WebhooksApi.GetOkAsync(key, Subscription(school, subscription))).GetProperty("status").GetString() == "paused",
            "the subscription pauses");

        var paused = await WebhooksApi.GetOkAsync(key, Subscription(school, subscription));
        Assert.Equal("Paused after 3 failed deliveries in a row; the last: HTTP 503.", paused.GetProperty("pausedReason").GetString());
        Assert.InRange(paused.GetProperty("pausedAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        Assert.Equal((3, 1), (paused.GetProperty("consecutiveFailures").GetInt32(), paused.GetProperty("pendingDeliveries").GetInt32()));
        Assert.Equal(3, receiver.Received.Count);
        var delivery = (await WebhooksApi.DeliveriesAsync(key, school, subscription)).Single();
        Assert.Equal(("pending", 3, 503), (delivery.GetProperty("status").GetString(), delivery.GetProperty("attempts").GetInt32(),
            delivery.GetProperty("lastStatusCode").GetInt32()));
    }

    [Fact]
    public async Task A_subscription_paused_after_failures_delivers_what_waited_once_resumed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = HttpStatusCode.InternalServerError;
        var (school, key) = await api.SchoolAsync();
        var (subscription, secret) = await WebhooksApi.SubscribeAsync(key, school, receiver.Url, "device.retired");
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        await api.PublishAsync(new DeviceRetired(first, school, DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () => (await WebhooksApi.GetOkAsync(key, Subscription(school, subscription))).GetProperty("status").GetString() == "paused",
            "the subscription pauses");
        await api.PublishAsync(new DeviceRetired(second, school, DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () => (await WebhooksApi.DeliveriesAsync(key, school, subscription)).Length == 2, "the second event waits");
        receiver.Answer = HttpStatusCode.OK;

        var resumed = await WebhooksApi.PostOkAsync(key, $"{Subscription(school, subscription)}/resume");
        await WebhooksApi.AllDeliveredAsync(key, school, subscription, 2);

        Assert.Equal("active", resumed.GetProperty("status").GetString());
        Assert.False(resumed.TryGetProperty("pausedReason", out var reason) && reason.ValueKind != System.Text.Json.JsonValueKind.Null);
        Assert.Equal([first, first, first, first, second], receiver.Received.Select(r => r.Data.GetProperty("deviceId").GetGuid()));
        Assert.All(receiver.Received, r => Assert.True(r.IsSignedWith(secret)));
    }

    [Fact]
    public async Task A_school_pauses_its_subscription_and_what_happens_meanwhile_arrives_when_it_resumes()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (school, key) = await api.SchoolAsync();
        var (subscription, _) = await WebhooksApi.SubscribeAsync(key, school, receiver.Url, "device.retired");

        var paused = await WebhooksApi.PostOkAsync(key, $"{Subscription(school, subscription)}/pause");
        await api.PublishAsync(new DeviceRetired(Guid.NewGuid(), school, DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () => (await WebhooksApi.GetOkAsync(key, Subscription(school, subscription))).GetProperty("pendingDeliveries").GetInt32() == 1,
            "the event waits");
        var receivedWhilePaused = receiver.Received.Count;
        await WebhooksApi.PostOkAsync(key, $"{Subscription(school, subscription)}/resume");
        await WebhooksApi.AllDeliveredAsync(key, school, subscription, 1);

        Assert.Equal("paused", paused.GetProperty("status").GetString());
        Assert.StartsWith("Paused by school-key:", paused.GetProperty("pausedReason").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, receivedWhilePaused);
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task Pausing_a_paused_subscription_and_resuming_an_active_one_are_409s_naming_the_rule()
    {
        var (school, key) = await api.SchoolAsync();
        var (subscription, _) = await WebhooksApi.SubscribeAsync(key, school, "http://127.0.0.1:9/mep/webhooks", "device.retired");

        var resumeActive = await key.PostAsync($"{Subscription(school, subscription)}/resume", null);
        await WebhooksApi.PostOkAsync(key, $"{Subscription(school, subscription)}/pause");
        var pauseAgain = await key.PostAsync($"{Subscription(school, subscription)}/pause", null);

        Assert.Equal("webhook-subscription-active",
            (await resumeActive.AssertProblemAsync(HttpStatusCode.Conflict, Mep.ServiceDefaults.Errors.ProblemTypes.Conflict)).GetProperty("rule").GetString());
        Assert.Equal("webhook-subscription-paused",
            (await pauseAgain.AssertProblemAsync(HttpStatusCode.Conflict, Mep.ServiceDefaults.Errors.ProblemTypes.Conflict)).GetProperty("rule").GetString());
    }
}
