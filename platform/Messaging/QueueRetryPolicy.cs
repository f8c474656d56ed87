using MassTransit;

namespace Mep.Messaging;

/// <summary>
/// Retries of one receive queue that differ from the platform's (<see cref="MessagingOptions.ConsumerRetries"/> attempts within
/// seconds, then the error queue). For a consumer whose failures come from an outside server that may be away for minutes (a mail
/// server), where seconds of retrying would park every message. A module registers one in the services; the messaging setup asks
/// each queue's policy while it configures the queue.
/// </summary>
public interface IQueueRetryPolicy
{
    /// <summary>Whether <paramref name="queue"/> (the receive endpoint's name) retries by this policy.</summary>
    bool Covers(string queue);

    void Configure(IRetryConfigurator retry);
}
