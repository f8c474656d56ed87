using System.Net;
using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Tests;

/// <summary>Managing subscriptions: the secret shown once, what is refused, and a school key that only ever reaches its own school's.</summary>
public sealed class WebhookSubscriptionTests(WebhooksApi api) : IClassFixture<WebhooksApi>
{
    private const string Receiver = "http://127.0.0.1:9/mep/webhooks";

    [Fact]
    public async Task Subscribing_answers_201_with_the_secret_and_reading_never_shows_it()
    {
        var (school, key) = await api.SchoolAsync();

        var response = await key.PostAsync($"/api/schools/{school}/webhooks",
            Json.Body(new { url = Receiver, eventTypes = new[] { "device.registered", "ticket.changed" }, description = "Inventar-Software" }));
        var created = await response.ReadJsonAsync();
        var id = created.GetProperty("subscription").GetProperty("id").GetGuid();
        var read = await key.GetAsync($"/api/schools/{school}/webhooks/{id}");
        var listed = await key.GetAsync($"/api/schools/{school}/webhooks");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.EndsWith($"/api/schools/{school}/webhooks/{id}", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        var secret = created.GetProperty("secret").GetString()!;
        Assert.Matches("^whsec_[A-Za-z0-9_-]{43}$", secret);
        var subscription = created.GetProperty("subscription");
        Assert.Equal((Receiver, "active", "Inventar-Software"), (subscription.GetProperty("url").GetString(), subscription.GetProperty("status").GetString(),
            subscription.GetProperty("description").GetString()));
        Assert.Equal(["device.registered", "ticket.changed"], subscription.GetProperty("eventTypes").EnumerateArray().Select(t => t.GetString()));
        foreach (var text in new[] { await read.Content.ReadAsStringAsync(), await listed.Content.ReadAsStringAsync() })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain("secret\"", text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task An_unknown_event_type_is_a_400_naming_it()
    {
        var (school, key) = await api.SchoolAsync();

        var response = await key.PostAsync($"/api/schools/{school}/webhooks", Json.Body(new { url = Receiver, eventTypes = new[] { "device.retired", "pupil.changed" } }));

        Assert.Equal(["eventTypes[1]"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }

    [Fact]
    public async Task A_subscription_without_event_types_is_a_400_naming_them()
    {
        var (school, key) = await api.SchoolAsync();

        var response = await key.PostAsync($"/api/schools/{school}/webhooks", Json.Body(new { url = Receiver, eventTypes = Array.Empty<string>() }));

        Assert.Equal(["eventTypes"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }

    [Fact]
    public async Task Subscribing_the_same_address_twice_is_a_409()
    {
        var (school, key) = await api.SchoolAsync();
        await WebhooksApi.SubscribeAsync(key, school, Receiver, "device.retired");

        var again = await key.PostAsync($"/api/schools/{school}/webhooks", Json.Body(new { url = Receiver, eventTypes = new[] { "ticket.changed" } }));

        Assert.Equal("webhook-address-already-subscribed",
            (await again.AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.Conflict)).GetProperty("rule").GetString());
    }

    [Fact]
    public async Task Subscribing_at_once_in_parallel_never_exceeds_the_schools_limit()
    {
        var (school, key) = await api.SchoolAsync();

        var responses = await Task.WhenAll(Enumerable.Range(1, 16).Select(n =>
            key.PostAsync($"/api/schools/{school}/webhooks", Json.Body(new { url = $"{Receiver}?n={n}", eventTypes = new[] { "device.retired" } }))));

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            Assert.Equal("webhook-subscription-limit",
                (await refused.AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.Conflict)).GetProperty("rule").GetString());
        }

        Assert.Equal(10, (await WebhooksApi.GetOkAsync(key, $"/api/schools/{school}/webhooks")).GetArrayLength());
    }

    [Fact]
    public async Task Rotating_again_while_the_previous_secret_still_signs_is_a_409_naming_the_rule()
    {
        var (school, key) = await api.SchoolAsync();
        var (subscription, _) = await WebhooksApi.SubscribeAsync(key, school, Receiver, "device.retired");
        await WebhooksApi.PostOkAsync(key, $"/api/schools/{school}/webhooks/{subscription}/rotate-secret");
        var rotatedAt = (await WebhooksApi.GetOkAsync(key, $"/api/schools/{school}/webhooks/{subscription}")).GetProperty("secretRotatedAt").GetString();

        var again = await key.PostAsync($"/api/schools/{school}/webhooks/{subscription}/rotate-secret", null);

        var problem = await again.AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.Conflict);
        Assert.Equal("webhook-secret-rotation-overlapping", problem.GetProperty("rule").GetString());
        var read = await WebhooksApi.GetOkAsync(key, $"/api/schools/{school}/webhooks/{subscription}");
        Assert.Equal(rotatedAt, read.GetProperty("secretRotatedAt").GetString());
    }

    [Fact]
    public async Task Secrets_are_stored_encrypted_never_as_the_text_shown_to_the_school()
    {
        var (school, key) = await api.SchoolAsync();
        var (subscription, secret) = await WebhooksApi.SubscribeAsync(key, school, Receiver, "device.retired");
        var rotated = (await WebhooksApi.PostOkAsync(key, $"/api/schools/{school}/webhooks/{subscription}/rotate-secret")).GetProperty("secret").GetString()!;

        var stored = await api.Database.ScalarAsync<string>($"SELECT secret || ' ' || previous_secret FROM webhook_subscriptions WHERE id = '{subscription}'");

        Assert.Matches(@"^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+ v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+$", stored);
        Assert.DoesNotContain(secret["whsec_".Length..], stored, StringComparison.Ordinal);
        Assert.DoesNotContain(rotated["whsec_".Length..], stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_school_key_can_neither_see_nor_touch_another_schools_subscriptions()
    {
        var (school, key) = await api.SchoolAsync();
        var (other, otherKey) = await api.SchoolAsync();
        var (theirs, _) = await WebhooksApi.SubscribeAsync(otherKey, other, Receiver, "device.retired");
        var delivery = Guid.NewGuid();

        string[] reads =
        [
            $"/api/schools/{other}/webhooks", $"/api/schools/{other}/webhooks/{theirs}", $"/api/schools/{school}/webhooks/{theirs}",
            $"/api/schools/{other}/webhooks/{theirs}/deliveries", $"/api/schools/{school}/webhooks/{theirs}/deliveries",
            $"/api/schools/{other}/webhooks/{theirs}/deliveries/{delivery}",
        ];
        string[] writes =
        [
            $"/api/schools/{other}/webhooks", $"/api/schools/{other}/webhooks/{theirs}/pause", $"/api/schools/{school}/webhooks/{theirs}/pause",
            $"/api/schools/{other}/webhooks/{theirs}/resume", $"/api/schools/{other}/webhooks/{theirs}/rotate-secret",
            $"/api/schools/{school}/webhooks/{theirs}/rotate-secret", $"/api/schools/{other}/webhooks/{theirs}/deliveries/{delivery}/redeliver",
        ];
        foreach (var path in reads)
        {
            await (await key.GetAsync(path)).AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        }

        foreach (var path in writes)
        {
            var body = path.EndsWith("/webhooks", StringComparison.Ordinal) ? Json.Body(new { url = Receiver, eventTypes = new[] { "device.retired" } }) : null;
            await (await key.PostAsync(path, body)).AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        }

        await (await key.DeleteAsync($"/api/schools/{other}/webhooks/{theirs}")).AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await key.DeleteAsync($"/api/schools/{school}/webhooks/{theirs}")).AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        var untouched = await WebhooksApi.GetOkAsync(otherKey, $"/api/schools/{other}/webhooks/{theirs}");
        Assert.Equal(("active", (string?)null), (untouched.GetProperty("status").GetString(), untouched.GetProperty("secretRotatedAt").GetString()));
        Assert.Single((await WebhooksApi.GetOkAsync(otherKey, $"/api/schools/{other}/webhooks")).EnumerateArray());
    }

    [Fact]
    public async Task Admins_see_a_schools_subscriptions_and_may_pause_them_but_never_make_a_secret()
    {
        var (school, key) = await api.SchoolAsync();
        var (subscription, secret) = await WebhooksApi.SubscribeAsync(key, school, Receiver, "device.retired");

        var listed = await api.Admin.GetAsync($"/api/schools/{school}/webhooks");
        var paused = await api.Admin.PostAsync($"/api/schools/{school}/webhooks/{subscription}/pause", null);
        var rotate = await api.Admin.PostAsync($"/api/schools/{school}/webhooks/{subscription}/rotate-secret", null);
        var subscribe = await api.Admin.PostAsync($"/api/schools/{school}/webhooks", Json.Body(new { url = Receiver + "2", eventTypes = new[] { "device.retired" } }));

        var text = await listed.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Contains(subscription.ToString(), text, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.Equal("Paused by admin-udo.", (await paused.ReadJsonAsync()).GetProperty("pausedReason").GetString());
        await rotate.AssertProblemAsync(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await subscribe.AssertProblemAsync(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task Staff_other_than_admins_are_refused_with_403()
    {
        var (school, _) = await api.SchoolAsync();

        var response = await api.Planner.GetAsync($"/api/schools/{school}/webhooks");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task A_deleted_subscription_is_gone_with_its_log()
    {
        var (school, key) = await api.SchoolAsync();
        var (subscription, _) = await WebhooksApi.SubscribeAsync(key, school, Receiver, "device.retired");

        var deleted = await key.DeleteAsync($"/api/schools/{school}/webhooks/{subscription}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await key.GetAsync($"/api/schools/{school}/webhooks/{subscription}")).AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await key.GetAsync($"/api/schools/{school}/webhooks/{subscription}/deliveries")).AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }
}
