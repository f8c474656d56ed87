namespace Mep.Messaging;

/// <summary>Configuration section "Messaging".</summary>
public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>Prefix of this service's queue names, e.g. "schools" gives "schools-school-registered".</summary>
    public string EndpointPrefix { get; set; } = "mep";

    /// <summary>Whether this process relays its outbox to the broker (every replica may; they share the work safely).</summary>
    public bool RelayEnabled { get; set; } = true;

    /// <summary>Most aggregates claimed per relay round.</summary>
    public int RelayAggregatesPerRound { get; set; } = 1_000;

    /// <summary>Most messages published per relay round.</summary>
    public int RelayBatchSize { get; set; } = 1_000;

    /// <summary>How often an idle relay looks for work it was not told about (other replicas' writes).</summary>
    public TimeSpan RelayPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a publish may wait for the broker's confirm before the round gives up on it.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait between attempts of a message the relay could not make (unknown type, unreadable body).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Longest wait between attempts of a message the broker did not take (down, unreachable, no confirm). Short, so the relay resumes
    /// within seconds of the broker's return whatever the outage's length; an attempt on a broker that is down costs a refused connection.
    /// </summary>
    public TimeSpan BrokerRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long delivered outbox rows and processed inbox ids are kept.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Use quorum queues (replicated, RabbitMQ 3.8+); off only for brokers that lack them.</summary>
    public bool QuorumQueues { get; set; } = true;

    /// <summary>How often the outbox's backlog and the error queues' depths are read for the metrics' gauges.</summary>
    public TimeSpan StateSampleInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Attempts of a consumer before its message goes to the error queue.</summary>
    public int ConsumerRetries { get; set; } = 5;
}
