using System.Net;
using Mep.Contracts.Assets;
using Mep.Contracts.Support;

namespace Mep.Schools.Tests;

/// <summary>
/// A school's software subscribed to its school's events gets each of them once, signed, through a real HTTP receiver; events are
/// published on the broker as Assets and Support publish them.
/// </summary>
public sealed class WebhookDeliveryTests(WebhooksApi api) : IClassFixture<WebhooksApi>
{
    private static DeviceClassification Tablet(DeviceStatus status = DeviceStatus.InService) =>
        new(DeviceKind.Tablet, TabletOwnership.Teacher, null, null, null, null, status);

    [Fact]
    public async Task Each_event_of_its_school_reaches_the_receiver_once_with_a_valid_signature()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (school, key) = await api.SchoolAsync();
        var (subscription, secret) = await WebhooksApi.SubscribeAsync(key, school, receiver.Url);
        var device = Guid.NewGuid();
        var ticket = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;

        await api.PublishAsync(new DevicesRegistered(school, [new RegisteredDevice(device, null, "DMPX1234ABCD", Tablet())], now));
        await api.PublishAsync(new DeviceUpdated(device, school, null, Tablet(), now.AddSeconds(1)));
        await api.PublishAsync(new DeviceStatusChanged(device, school, DeviceStatus.InService, DeviceStatus.InRepair, now.AddSeconds(2)));
        await api.PublishAsync(new TicketOpened(ticket, 4711, school, "mail", TicketPriority.P3, 1, "service-desk", null, false, now.AddSeconds(3)));
        await api.PublishAsync(new TicketChanged(ticket, 4711, school, "resolved", "new", true, now.AddSeconds(4)));
        await api.PublishAsync(new DeviceStatusChanged(device, school, DeviceStatus.InRepair, DeviceStatus.Retired, now.AddSeconds(5)));
        await api.PublishAsync(new DeviceRetired(device, school, now.AddSeconds(5)));
        await WebhooksApi.AllDeliveredAsync(key, school, subscription, 6);

        var received = receiver.Received;
        Assert.Equal(["device.changed", "device.changed", "device.registered", "device.retired", "ticket.changed", "ticket.opened"],
            received.Select(r => r.Event).Order());
        Assert.Equal(6, received.Select(r => r.Id).Distinct().Count());
        Assert.All(received, r =>
        {
            Assert.True(r.IsSignedWith(secret), $"{r.Event} is signed with the subscription's secret");
            Assert.False(r.IsSignedWith(secret, Guid.NewGuid().ToString()), $"{r.Event}'s signature covers its Mep-Webhook-Id");
            Assert.InRange(r.Age(DateTimeOffset.UtcNow), TimeSpan.FromSeconds(-5), TimeSpan.FromMinutes(1));
            Assert.Equal(r.Id, r.Json.GetProperty("id").GetString());
            Assert.Equal(r.Event, r.Json.GetProperty("type").GetString());
            Assert.Equal(school, r.Json.GetProperty("schoolId").GetGuid());
            Assert.Equal("1", r.Attempt);
            Assert.StartsWith("application/json", r.ContentType, StringComparison.Ordinal);
        });
        var statusChange = received.Single(r => r.Event == "device.changed" && r.Data.GetProperty("change").GetString() == "status").Data;
        Assert.Equal(("inService", "inRepair"), (statusChange.GetProperty("from").GetString(), statusChange.GetProperty("to").GetString()));
        var registered = received.Single(r => r.Event == "device.registered").Data.GetProperty("devices")[0];
        Assert.Equal((device, "DMPX1234ABCD", "tablet"),
            (registered.GetProperty("deviceId").GetGuid(), registered.GetProperty("serialNumber").GetString(), registered.GetProperty("kind").GetString()));
        var changed = received.Single(r => r.Event == "ticket.changed").Data;
        Assert.Equal((4711, "resolved", "new", true), (changed.GetProperty("number").GetInt64(), changed.GetProperty("status").GetString(),
            changed.GetProperty("previousStatus").GetString(), changed.GetProperty("answered").GetBoolean()));
    }

    [Fact]
    public async Task A_subscription_gets_only_the_event_types_it_chose()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (school, key) = await api.SchoolAsync();
        var (subscription, _) = await WebhooksApi.SubscribeAsync(key, school, receiver.Url, "ticket.changed");
        var ticket = Guid.NewGuid();

        await api.PublishAsync(new DeviceRetired(Guid.NewGuid(), school, DateTimeOffset.UtcNow));
        await api.PublishAsync(new TicketOpened(ticket, 4712, school, "mail", TicketPriority.P3, 1, "service-desk", null, false, DateTimeOffset.UtcNow));
        await api.PublishAsync(new TicketChanged(ticket, 4712, school, "inProgress", "new", false, DateTimeOffset.UtcNow));
        await WebhooksApi.AllDeliveredAsync(key, school, subscription, 1);

        Assert.Equal(["ticket.changed"], receiver.Received.Select(r => r.Event));
    }

    [Fact]
    public async Task Another_schools_events_never_reach_the_receiver()
    {
        await using var ours = await WebhookReceiver.StartAsync();
        await using var theirs = await WebhookReceiver.StartAsync();
        var (school, key) = await api.SchoolAsync();
        var (other, otherKey) = await api.SchoolAsync();
        var (subscription, _) = await WebhooksApi.SubscribeAsync(key, school, ours.Url);
        var (otherSubscription, _) = await WebhooksApi.SubscribeAsync(otherKey, other, theirs.Url);
        var ticket = Guid.NewGuid();

        await api.PublishAsync(new DevicesRegistered(other, [new RegisteredDevice(Guid.NewGuid(), null, "OTHER0001", Tablet())], DateTimeOffset.UtcNow));
        await api.PublishAsync(new TicketOpened(ticket, 4713, other, "mail", TicketPriority.P2, 1, "service-desk", null, false, DateTimeOffset.UtcNow));
        await api.PublishAsync(new TicketChanged(ticket, 4713, other, "inProgress", "new", true, DateTimeOffset.UtcNow));
        await api.PublishAsync(new DeviceMoved(Guid.NewGuid(), other, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow));
        await WebhooksApi.AllDeliveredAsync(otherKey, other, otherSubscription, 4);

        Assert.Equal(4, theirs.Received.Count);
        Assert.Empty(ours.Received);
        Assert.Empty(await WebhooksApi.DeliveriesAsync(key, school, subscription));
    }

    [Fact]
    public async Task A_device_moved_to_another_school_is_told_to_both_without_the_other_schools_room()
    {
        await using var from = await WebhookReceiver.StartAsync();
        await using var to = await WebhookReceiver.StartAsync();
        var (school, key) = await api.SchoolAsync();
        var (other, otherKey) = await api.SchoolAsync();
        var (fromSubscription, _) = await WebhooksApi.SubscribeAsync(key, school, from.Url, "device.changed");
        var (toSubscription, _) = await WebhooksApi.SubscribeAsync(otherKey, other, to.Url, "device.changed");
        var (device, fromRoom, toRoom) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        await api.PublishAsync(new DeviceMoved(device, school, other, fromRoom, toRoom, DateTimeOffset.UtcNow));
        await WebhooksApi.AllDeliveredAsync(key, school, fromSubscription, 1);
        await WebhooksApi.AllDeliveredAsync(otherKey, other, toSubscription, 1);

        var left = from.Received.Single().Data;
        var arrived = to.Received.Single().Data;
        Assert.Equal(("moved", "toAnotherSchool", fromRoom), (left.GetProperty("change").GetString(), left.GetProperty("direction").GetString(),
            left.GetProperty("fromRoomId").GetGuid()));
        Assert.False(left.TryGetProperty("toRoomId", out _));
        Assert.Equal(("fromAnotherSchool", toRoom), (arrived.GetProperty("direction").GetString(), arrived.GetProperty("toRoomId").GetGuid()));
        Assert.False(arrived.TryGetProperty("fromRoomId", out _));
        Assert.DoesNotContain(other.ToString(), from.Received.Single().Body, StringComparison.Ordinal);
        Assert.DoesNotContain(school.ToString(), to.Received.Single().Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registered_pupil_tablet_is_told_without_its_subsidy_category_or_the_parents_contract()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (school, key) = await api.SchoolAsync();
        var (subscription, _) = await WebhooksApi.SubscribeAsync(key, school, receiver.Url, "device.registered");
        var pupilTablet = new DeviceClassification(DeviceKind.Tablet, TabletOwnership.ParentFinancedPupil, SubsidyCategory.ButAsylbLG, null, null,
            FundingSource.ParentFinanced, DeviceStatus.InService);

        await api.PublishAsync(new DevicesRegistered(school, [new RegisteredDevice(Guid.NewGuid(), null, "PUPIL0001", pupilTablet,
            new DeviceFinancials(new DateOnly(2026, 8, 1), 399.00m, 36, new ParentContract(10.90m, 36, "GfdB")))], DateTimeOffset.UtcNow));
        await WebhooksApi.AllDeliveredAsync(key, school, subscription, 1);

        var body = receiver.Received.Single().Body;
        Assert.Contains("\"ownership\":\"parentFinancedPupil\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("butAsylbLG", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("subsidy", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("GfdB", body, StringComparison.Ordinal);
        Assert.DoesNotContain("10.9", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receiver_that_was_down_gets_every_waiting_event_once_after_it_returns()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (school, key) = await api.SchoolAsync();
        var (subscription, secret) = await WebhooksApi.SubscribeAsync(key, school, receiver.Url, "device.retired");
        await receiver.GoDownAsync();

        foreach (var _ in Enumerable.Range(0, 3))
        {
            await api.PublishAsync(new DeviceRetired(Guid.NewGuid(), school, DateTimeOffset.UtcNow));
        }

        await Eventually.AssertAsync(async () => (await WebhooksApi.DeliveriesAsync(key, school, subscription)).Sum(d => d.GetProperty("attempts").GetInt32()) >= 2,
            "deliveries fail while the receiver is down");
        var whileDown = await WebhooksApi.GetOkAsync(key, $"/api/schools/{school}/webhooks/{subscription}");
        await receiver.ComeBackAsync();
        await WebhooksApi.AllDeliveredAsync(key, school, subscription, 3);

        Assert.Equal("active", whileDown.GetProperty("status").GetString());
        Assert.True(whileDown.GetProperty("consecutiveFailures").GetInt32() >= 2);
        Assert.Equal(3, whileDown.GetProperty("pendingDeliveries").GetInt32());
        Assert.Contains("Connection refused.", await FailedAttemptErrorsAsync(key, school, subscription));
        Assert.Equal(3, receiver.Received.Count);
        Assert.Equal(3, receiver.Received.Select(r => r.Id).Distinct().Count());
        Assert.All(receiver.Received, r => Assert.True(r.IsSignedWith(secret)));
        var after = await WebhooksApi.GetOkAsync(key, $"/api/schools/{school}/webhooks/{subscription}");
        Assert.Equal((0, 0), (after.GetProperty("consecutiveFailures").GetInt32(), after.GetProperty("pendingDeliveries").GetInt32()));
    }

    [Fact]
    public async Task A_receiver_that_answers_2xx_but_sends_its_body_slowly_gets_the_event_once_and_it_counts_as_delivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // Longer than the delivery's timeout (5 s here): the status is what counts, the body is only the log's excerpt.
        receiver.BodySentOver = TimeSpan.FromSeconds(8);
        var (school, key) = await api.SchoolAsync();
        var (subscription, _) = await WebhooksApi.SubscribeAsync(key, school, receiver.Url, "device.retired");

        await api.PublishAsync(new DeviceRetired(Guid.NewGuid(), school, DateTimeOffset.UtcNow));
        await WebhooksApi.AllDeliveredAsync(key, school, subscription, 1);

        var row = (await WebhooksApi.DeliveriesAsync(key, school, subscription)).Single();
        var attempt = (await WebhooksApi.GetOkAsync(key, $"/api/schools/{school}/webhooks/{subscription}/deliveries/{row.GetProperty("id").GetGuid()}"))
            .GetProperty("attemptLog").EnumerateArray().Single();
        Assert.Single(receiver.Received);
        Assert.Equal((1, 200), (row.GetProperty("attempts").GetInt32(), row.GetProperty("lastStatusCode").GetInt32()));
        Assert.True(attempt.GetProperty("succeeded").GetBoolean());
        Assert.False(attempt.TryGetProperty("error", out var error) && error.ValueKind != System.Text.Json.JsonValueKind.Null);
        Assert.InRange(attempt.GetProperty("durationMs").GetInt32(), 0, 4999);
        var subscriptionNow = await WebhooksApi.GetOkAsync(key, $"/api/schools/{school}/webhooks/{subscription}");
        Assert.Equal(0, subscriptionNow.GetProperty("consecutiveFailures").GetInt32());
    }

    [Fact]
    public async Task A_delivery_log_asked_with_a_blank_status_lists_every_delivery()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (school, key) = await api.SchoolAsync();
        var (subscription, _) = await WebhooksApi.SubscribeAsync(key, school, receiver.Url, "device.retired");
        await api.PublishAsync(new DeviceRetired(Guid.NewGuid(), school, DateTimeOffset.UtcNow));
        await WebhooksApi.AllDeliveredAsync(key, school, subscription, 1);

        var log = await WebhooksApi.GetOkAsync(key, $"/api/schools/{school}/webhooks/{subscription}/deliveries?status=");

        Assert.Equal(1, log.GetProperty("items").GetArrayLength());
    }

    /// <summary>The errors of every failed attempt in the subscription's log.</summary>
    private static async Task<List<string>> FailedAttemptErrorsAsync(HttpClient key, Guid school, Guid subscription)
    {
        var errors = new List<string>();
        foreach (var delivery in await WebhooksApi.DeliveriesAsync(key, school, subscription))
        {
            var detail = await WebhooksApi.GetOkAsync(key, $"/api/schools/{school}/webhooks/{subscription}/deliveries/{delivery.GetProperty("id").GetGuid()}");
            errors.AddRange(detail.GetProperty("attemptLog").EnumerateArray().Where(a => !a.GetProperty("succeeded").GetBoolean())
                .Select(a => a.GetProperty("error").GetString()!));
        }

        return errors;
    }

    [Fact]
    public async Task The_delivery_log_shows_each_attempt_with_its_status_code_and_duration_and_no_secret()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = HttpStatusCode.InternalServerError;
        var (school, key) = await api.SchoolAsync();
        var (subscription, secret) = await WebhooksApi.SubscribeAsync(key, school, receiver.Url, "device.retired");

        await api.PublishAsync(new DeviceRetired(Guid.NewGuid(), school, DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () => receiver.Received.Count >= 2, "two attempts answered 500");
        receiver.Answer = HttpStatusCode.OK;
        await WebhooksApi.AllDeliveredAsync(key, school, subscription, 1);

        var row = (await WebhooksApi.DeliveriesAsync(key, school, subscription)).Single();
        var detailResponse = await key.GetAsync($"/api/schools/{school}/webhooks/{subscription}/deliveries/{row.GetProperty("id").GetGuid()}");
        var detailText = await detailResponse.Content.ReadAsStringAsync();
        var detail = System.Text.Json.JsonDocument.Parse(detailText).RootElement;
        var attempts = detail.GetProperty("attemptLog").EnumerateArray().ToList();
        Assert.Equal(receiver.Received.Count, row.GetProperty("attempts").GetInt32());
        Assert.Equal((200, "delivered"), (row.GetProperty("lastStatusCode").GetInt32(), row.GetProperty("status").GetString()));
        Assert.Equal([200, .. Enumerable.Repeat(500, attempts.Count - 1)], attempts.Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.Equal([true, .. Enumerable.Repeat(false, attempts.Count - 1)], attempts.Select(a => a.GetProperty("succeeded").GetBoolean()));
        Assert.All(attempts, a => Assert.True(a.GetProperty("durationMs").GetInt32() >= 0));
        Assert.Equal("thanks", attempts[0].GetProperty("responseExcerpt").GetString());
        Assert.Equal("receiver unwell", attempts[^1].GetProperty("responseExcerpt").GetString());
        Assert.Equal("HTTP 500.", attempts[^1].GetProperty("error").GetString());
        Assert.Equal(receiver.Received[0].Body, detail.GetProperty("payload").GetRawText());
        Assert.DoesNotContain(secret, detailText, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", detailText, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Redeliver_sends_a_delivered_event_again_with_the_same_id_and_a_fresh_valid_signature()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (school, key) = await api.SchoolAsync();
        var (subscription, secret) = await WebhooksApi.SubscribeAsync(key, school, receiver.Url, "device.retired");
        await api.PublishAsync(new DeviceRetired(Guid.NewGuid(), school, DateTimeOffset.UtcNow));
        await WebhooksApi.AllDeliveredAsync(key, school, subscription, 1);
        var delivery = (await WebhooksApi.DeliveriesAsync(key, school, subscription)).Single().GetProperty("id").GetGuid();

        var redelivered = await key.PostAsync($"/api/schools/{school}/webhooks/{subscription}/deliveries/{delivery}/redeliver", null);
        await Eventually.AssertAsync(async () => receiver.Received.Count == 2, "the event arrives a second time");
        await WebhooksApi.AllDeliveredAsync(key, school, subscription, 1);

        Assert.Equal(HttpStatusCode.Accepted, redelivered.StatusCode);
        Assert.Equal("pending", (await redelivered.ReadJsonAsync()).GetProperty("status").GetString());
        var (first, second) = (receiver.Received[0], receiver.Received[1]);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.Body, second.Body);
        Assert.True(second.IsSignedWith(secret));
        Assert.Equal("2", second.Attempt);
        Assert.Equal(2, (await WebhooksApi.DeliveriesAsync(key, school, subscription)).Single().GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task Redelivering_a_delivery_that_waits_already_is_a_409()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (school, key) = await api.SchoolAsync();
        var (subscription, _) = await WebhooksApi.SubscribeAsync(key, school, receiver.Url, "device.retired");
        await WebhooksApi.PostOkAsync(key, $"/api/schools/{school}/webhooks/{subscription}/pause");
        await api.PublishAsync(new DeviceRetired(Guid.NewGuid(), school, DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () => (await WebhooksApi.DeliveriesAsync(key, school, subscription)).Length == 1, "the event waits");
        var delivery = (await WebhooksApi.DeliveriesAsync(key, school, subscription)).Single().GetProperty("id").GetGuid();

        var again = await key.PostAsync($"/api/schools/{school}/webhooks/{subscription}/deliveries/{delivery}/redeliver", null);

        var problem = await again.AssertProblemAsync(HttpStatusCode.Conflict, Mep.ServiceDefaults.Errors.ProblemTypes.Conflict);
        Assert.Equal("webhook-delivery-pending", problem.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task After_a_secret_rotation_deliveries_carry_a_signature_with_the_new_and_one_with_the_old_secret()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (school, key) = await api.SchoolAsync();
        var (subscription, oldSecret) = await WebhooksApi.SubscribeAsync(key, school, receiver.Url, "device.retired");

        var rotated = await WebhooksApi.PostOkAsync(key, $"/api/schools/{school}/webhooks/{subscription}/rotate-secret");
        await api.PublishAsync(new DeviceRetired(Guid.NewGuid(), school, DateTimeOffset.UtcNow));
        await WebhooksApi.AllDeliveredAsync(key, school, subscription, 1);

        var newSecret = rotated.GetProperty("secret").GetString()!;
        var delivery = receiver.Received.Single();
        Assert.NotEqual(oldSecret, newSecret);
        Assert.StartsWith("whsec_", newSecret, StringComparison.Ordinal);
        Assert.Equal(2, delivery.Signatures.Count);
        Assert.True(delivery.IsSignedWith(newSecret));
        Assert.True(delivery.IsSignedWith(oldSecret));
        Assert.False(delivery.IsSignedWith("whsec_someoneelse"));
        Assert.True(rotated.GetProperty("previousSecretValidUntil").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(23));
    }
}
