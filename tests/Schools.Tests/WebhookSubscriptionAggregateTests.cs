using Mep.Schools.Webhooks;
using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Tests;

/// <summary>The subscription's rules alone: backoff, pausing after failures in a row, resuming, secrets, limits.</summary>
public sealed class WebhookSubscriptionAggregateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private static readonly WebhookRetryPolicy Policy = new(TimeSpan.FromSeconds(30), TimeSpan.FromHours(1), PauseAfterFailures: 10);
    private static readonly WebhookAddress Address = WebhookAddress.Parse("https://203.0.114.7/mep/webhooks", allowLoopbackHttp: false);

    private static WebhookSubscription Subscription(IReadOnlyCollection<WebhookSubscription>? existing = null) =>
        WebhookSubscription.Create(Guid.NewGuid(), Address, ["device.retired"], null, existing ?? [], 10, "school-key:k1", Now).Subscription;

    [Fact]
    public void The_wait_after_a_failure_doubles_with_each_failure_in_a_row_up_to_the_maximum()
    {
        Assert.Equal([30, 60, 120, 240, 480, 960, 1920, 3600, 3600],
            Enumerable.Range(1, 9).Select(failures => Policy.DelayAfter(failures).TotalSeconds));
    }

    [Fact]
    public void A_failure_holds_back_the_next_delivery_for_the_backoff()
    {
        var subscription = Subscription();

        subscription.DeliveryFailed("HTTP 503.", Policy, Now);
        subscription.DeliveryFailed("HTTP 503.", Policy, Now.AddSeconds(30));

        Assert.Equal((2, Now.AddSeconds(90)), (subscription.ConsecutiveFailures, subscription.NextAttemptAt));
        Assert.Equal(WebhookSubscriptionStatus.Active, subscription.Status);
    }

    [Fact]
    public void The_subscription_pauses_at_the_configured_failure_in_a_row_and_says_why()
    {
        var subscription = Subscription();

        for (var i = 0; i < Policy.PauseAfterFailures; i++)
        {
            subscription.DeliveryFailed(i == 9 ? "No answer within 10 s." : "HTTP 500.", Policy, Now.AddMinutes(i));
        }

        Assert.Equal(WebhookSubscriptionStatus.Paused, subscription.Status);
        Assert.Equal(Now.AddMinutes(9), subscription.PausedAt);
        Assert.Equal("Paused after 10 failed deliveries in a row; the last: No answer within 10 s.", subscription.PausedReason);
    }

    [Fact]
    public void A_success_ends_the_failures_in_a_row()
    {
        var subscription = Subscription();
        subscription.DeliveryFailed("HTTP 500.", Policy, Now);

        subscription.DeliverySucceeded(Now.AddSeconds(30));

        Assert.Equal((0, Now.AddSeconds(30), Now.AddSeconds(30)),
            (subscription.ConsecutiveFailures, subscription.NextAttemptAt, subscription.LastSucceededAt));
    }

    [Fact]
    public void Resuming_clears_the_pause_and_the_failures_and_sends_at_once()
    {
        var subscription = Subscription();
        for (var i = 0; i < Policy.PauseAfterFailures; i++)
        {
            subscription.DeliveryFailed("HTTP 500.", Policy, Now);
        }

        subscription.Resume(Now.AddHours(2));

        Assert.Equal((WebhookSubscriptionStatus.Active, 0, Now.AddHours(2), (string?)null),
            (subscription.Status, subscription.ConsecutiveFailures, subscription.NextAttemptAt, subscription.PausedReason));
    }

    [Fact]
    public void Resuming_an_active_subscription_is_refused_as_a_state_conflict()
    {
        var refused = Assert.Throws<DomainRuleException>(() => Subscription().Resume(Now));

        Assert.Equal(("webhook-subscription-active", true), (refused.Rule, refused.IsStateConflict));
    }

    [Fact]
    public void Pausing_a_paused_subscription_is_refused_as_a_state_conflict()
    {
        var subscription = Subscription();
        subscription.Pause("school-key:k1", Now);

        var refused = Assert.Throws<DomainRuleException>(() => subscription.Pause("school-key:k1", Now));

        Assert.Equal(("webhook-subscription-paused", true), (refused.Rule, refused.IsStateConflict));
    }

    [Fact]
    public void A_rotated_out_secret_signs_beside_the_new_one_until_the_overlap_ends()
    {
        var subscription = Subscription();
        var old = subscription.Secret;

        var fresh = subscription.RotateSecret(TimeSpan.FromHours(24), Now);

        Assert.Equal([fresh, old], subscription.SigningSecrets(Now.AddHours(23)));
        Assert.Equal([fresh], subscription.SigningSecrets(Now.AddHours(24)));
    }

    [Fact]
    public void Secrets_are_32_random_bytes_with_a_recognisable_prefix()
    {
        var (_, first) = WebhookSubscription.Create(Guid.NewGuid(), Address, ["device.retired"], null, [], 10, "k", Now);
        var (_, second) = WebhookSubscription.Create(Guid.NewGuid(), Address, ["device.retired"], null, [], 10, "k", Now);

        Assert.Matches("^whsec_[A-Za-z0-9_-]{43}$", first);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void A_school_has_at_most_the_configured_number_of_subscriptions()
    {
        var existing = new[] { Subscription(), Subscription() };

        var refused = Assert.Throws<DomainRuleException>(() =>
            WebhookSubscription.Create(Guid.NewGuid(), WebhookAddress.Parse("https://203.0.114.8/", false), ["device.retired"], null, existing, 2, "k", Now));

        Assert.Equal(("webhook-subscription-limit", true), (refused.Rule, refused.IsStateConflict));
    }

    [Fact]
    public void An_event_type_outside_the_catalogue_is_refused_naming_event_types()
    {
        var refused = Assert.Throws<DomainRuleException>(() =>
            WebhookSubscription.Create(Guid.NewGuid(), Address, ["device.retired", "pupil.changed"], null, [], 10, "k", Now));

        Assert.Equal(("webhook-event-types-unknown", "eventTypes"), (refused.Rule, refused.Field));
    }

    [Fact]
    public void An_event_is_offered_only_to_a_subscription_of_its_school_that_chose_its_type()
    {
        var subscription = Subscription();
        var ofItsSchool = WebhookEvent.Create(subscription.SchoolId, "device.retired", Now, new DeviceRetiredData(Guid.NewGuid()), Now);
        var otherType = WebhookEvent.Create(subscription.SchoolId, "ticket.changed", Now, new DeviceRetiredData(Guid.NewGuid()), Now);
        var otherSchool = WebhookEvent.Create(Guid.NewGuid(), "device.retired", Now, new DeviceRetiredData(Guid.NewGuid()), Now);

        Assert.NotNull(subscription.Offer(ofItsSchool, Now));
        Assert.Null(subscription.Offer(otherType, Now));
        Assert.Null(subscription.Offer(otherSchool, Now));
    }
}
