using Mep.Mail;

namespace Mep.ServiceDefaults.Tests;

/// <summary>The idempotency record of one mail: which delivery may send it, and when a copy must not.</summary>
public sealed class MailDeliveryAggregateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private static MailDelivery Claimed()
    {
        var delivery = MailDelivery.Queued(Guid.NewGuid(), "ticketAssigned", Now);
        Assert.Equal(MailClaim.Send, delivery.Claim(Now, Lease));
        return delivery;
    }

    [Fact]
    public void The_first_delivery_sends_and_counts_its_attempt()
    {
        var delivery = Claimed();

        Assert.Equal((MailDeliveryState.Sending, 1), (delivery.State, delivery.Attempts));
    }

    [Fact]
    public void A_copy_of_a_sent_mail_sends_nothing()
    {
        var delivery = Claimed();
        delivery.Sent(Now.AddSeconds(1));

        Assert.Equal(MailClaim.Done, delivery.Claim(Now.AddSeconds(2), Lease));
        Assert.Equal(MailDeliveryState.Sent, delivery.State);
    }

    [Fact]
    public void A_mail_the_server_refused_for_good_is_never_tried_again()
    {
        var delivery = Claimed();
        delivery.Rejected(Now, "550 mailbox unavailable");

        Assert.Equal(MailClaim.Done, delivery.Claim(Now.AddMinutes(10), Lease));
    }

    [Fact]
    public void After_a_failed_attempt_the_next_delivery_sends_at_once()
    {
        var delivery = Claimed();
        delivery.Failed(Now, "SocketException: Connection refused");

        Assert.Equal(MailClaim.Send, delivery.Claim(Now.AddSeconds(1), Lease));
        Assert.Equal(2, delivery.Attempts);
    }

    [Fact]
    public void A_copy_arriving_while_another_delivery_sends_waits()
    {
        var delivery = Claimed();

        Assert.Equal(MailClaim.InProgress, delivery.Claim(Now.AddSeconds(30), Lease));
        Assert.Equal(1, delivery.Attempts);
    }

    [Fact]
    public void A_claim_older_than_its_lease_belongs_to_a_dead_delivery_and_the_mail_goes_again()
    {
        var delivery = Claimed();

        Assert.Equal(MailClaim.SendAfterUncertainAttempt, delivery.Claim(Now + Lease, Lease));
        Assert.Equal((MailDeliveryState.Sending, 2, Now + Lease), (delivery.State, delivery.Attempts, delivery.ClaimedAt));
    }

    [Fact]
    public void Only_the_delivery_holding_the_claim_finishes_it()
    {
        var delivery = MailDelivery.Queued(Guid.NewGuid(), "ticketAssigned", Now);

        Assert.Throws<InvalidOperationException>(() => delivery.Sent(Now));
    }

    [Fact]
    public void Retries_double_from_a_second_up_to_their_cap_until_they_cover_the_retry_time()
    {
        var options = new MailOptions { RetryFor = TimeSpan.FromMinutes(1), MaxRetryInterval = TimeSpan.FromSeconds(10) };

        Assert.Equal([1, 2, 4, 8, 10, 10, 10, 10, 10], options.RetryIntervals().Select(i => i.TotalSeconds));
    }
}
