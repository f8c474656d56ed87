using System.Security.Cryptography;
using Mep.Schools.Webhooks;
using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Tests;

/// <summary>The subscription's rules alone: backoff, pausing after failures in a row, resuming, secrets, limits.</summary>
public sealed class WebhookSubscriptionAggregateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private static readonly WebhookRetryPolicy Policy = new(TimeSpan.FromSeconds(30), TimeSpan.FromHours(1), PauseAfterFailures: 10);
    private static readonly WebhookAddress Address = WebhookAddress.Parse("https://203.0.114.7/mep/webhooks", allowLoopbackHttp: false);
    private static readonly WebhookSecretCipher Cipher = new(NewKey(), []);

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static WebhookSubscription Subscription(IReadOnlyCollection<WebhookSubscription>? existing = null) =>
        WebhookSubscription.Create(Guid.NewGuid(), Address, ["device.retired"], null, existing ?? [], 10, "school-key:k1", Cipher, Now).Subscription;

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
        var (subscription, old) = WebhookSubscription.Create(Guid.NewGuid(), Address, ["device.retired"], null, [], 10, "k", Cipher, Now);

        var fresh = subscription.RotateSecret(TimeSpan.FromHours(24), Cipher, Now);

        Assert.Equal([fresh, old], subscription.SigningSecrets(Now.AddHours(23), Cipher));
        Assert.Equal([fresh], subscription.SigningSecrets(Now.AddHours(24), Cipher));
    }

    [Fact]
    public void Rotating_again_while_the_previous_secret_overlaps_is_refused_as_a_state_conflict()
    {
        var subscription = Subscription();
        subscription.RotateSecret(TimeSpan.FromHours(24), Cipher, Now);

        var refused = Assert.Throws<DomainRuleException>(() => subscription.RotateSecret(TimeSpan.FromHours(24), Cipher, Now.AddHours(23)));

        Assert.Equal(("webhook-secret-rotation-overlapping", true), (refused.Rule, refused.IsStateConflict));
    }

    [Fact]
    public void Once_the_overlap_has_passed_the_secret_rotates_again_and_the_oldest_is_dropped()
    {
        var (subscription, first) = WebhookSubscription.Create(Guid.NewGuid(), Address, ["device.retired"], null, [], 10, "k", Cipher, Now);
        var second = subscription.RotateSecret(TimeSpan.FromHours(24), Cipher, Now);

        var third = subscription.RotateSecret(TimeSpan.FromHours(24), Cipher, Now.AddHours(24));

        Assert.Equal([third, second], subscription.SigningSecrets(Now.AddHours(25), Cipher));
        Assert.DoesNotContain(first, subscription.SigningSecrets(Now.AddHours(25), Cipher));
    }

    [Fact]
    public void Secrets_are_32_random_bytes_with_a_recognisable_prefix()
    {
        var (_, first) = WebhookSubscription.Create(Guid.NewGuid(), Address, ["device.retired"], null, [], 10, "k", Cipher, Now);
        var (_, second) = WebhookSubscription.Create(Guid.NewGuid(), Address, ["device.retired"], null, [], 10, "k", Cipher, Now);

        Assert.Matches("^whsec_[A-Za-z0-9_-]{43}$", first);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void The_subscription_keeps_its_secret_only_sealed()
    {
        var (subscription, secret) = WebhookSubscription.Create(Guid.NewGuid(), Address, ["device.retired"], null, [], 10, "k", Cipher, Now);

        Assert.StartsWith($"v1.{Cipher.CurrentKeyId}.", subscription.Secret, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[6..], subscription.Secret, StringComparison.Ordinal);
        Assert.Equal([secret], subscription.SigningSecrets(Now, Cipher));
    }

    [Fact]
    public void A_new_key_seals_again_what_the_retired_key_sealed_and_the_secrets_stay_the_same()
    {
        var retired = NewKey();
        var before = new WebhookSecretCipher(retired, []);
        var (subscription, secret) = WebhookSubscription.Create(Guid.NewGuid(), Address, ["device.retired"], null, [], 10, "k", before, Now);
        var previous = subscription.SigningSecrets(Now, before)[0];
        var fresh = subscription.RotateSecret(TimeSpan.FromHours(24), before, Now);
        var after = new WebhookSecretCipher(NewKey(), [retired]);

        var changed = subscription.SealAgain(after);

        Assert.True(changed);
        Assert.StartsWith($"v1.{after.CurrentKeyId}.", subscription.Secret, StringComparison.Ordinal);
        Assert.StartsWith($"v1.{after.CurrentKeyId}.", subscription.PreviousSecret, StringComparison.Ordinal);
        Assert.Equal([fresh, secret], subscription.SigningSecrets(Now, after));
        Assert.Equal(secret, previous);
        Assert.False(subscription.SealAgain(after));
    }

    [Fact]
    public void A_secret_sealed_for_one_subscription_does_not_open_for_another()
    {
        var sealedSecret = Cipher.Seal(Guid.NewGuid(), "whsec_abc");

        Assert.ThrowsAny<CryptographicException>(() => Cipher.Open(Guid.NewGuid(), sealedSecret));
    }

    [Fact]
    public void A_secret_sealed_with_a_key_the_service_no_longer_has_does_not_open()
    {
        var subscription = Guid.NewGuid();
        var sealedSecret = new WebhookSecretCipher(NewKey(), []).Seal(subscription, "whsec_abc");

        var refused = Assert.ThrowsAny<CryptographicException>(() => Cipher.Open(subscription, sealedSecret));

        Assert.Contains("Webhooks:RetiredSecretKeys", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_school_has_at_most_the_configured_number_of_subscriptions()
    {
        var existing = new[] { Subscription(), Subscription() };

        var refused = Assert.Throws<DomainRuleException>(() =>
            WebhookSubscription.Create(Guid.NewGuid(), WebhookAddress.Parse("https://203.0.114.8/", false), ["device.retired"], null, existing, 2, "k", Cipher, Now));

        Assert.Equal(("webhook-subscription-limit", true), (refused.Rule, refused.IsStateConflict));
    }

    [Fact]
    public void An_event_type_outside_the_catalogue_is_refused_naming_event_types()
    {
        var refused = Assert.Throws<DomainRuleException>(() =>
            WebhookSubscription.Create(Guid.NewGuid(), Address, ["device.retired", "pupil.changed"], null, [], 10, "k", Cipher, Now));

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
