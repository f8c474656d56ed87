using System.Diagnostics.Metrics;
using Mep.ServiceDefaults.Telemetry;

namespace Mep.Messaging;

/// <summary>
/// The messaging part of the platform's metrics (docs/observability.md): what the relay published and how late, what failed, what
/// consumers took again, and the sampled state of the outbox and the error queues (<see cref="MessagingStateSampler{TContext}"/>).
/// </summary>
public sealed class MessagingMetrics
{
    /// <summary>From a few milliseconds (the relay woken by the commit) to the 5 minutes after which an operator is alerted.</summary>
    private static readonly double[] LagBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    private readonly Counter<long> _published;
    private readonly Counter<long> _publishFailures;
    private readonly Histogram<double> _relayLag;
    private readonly Counter<long> _consumerRetries;
    private volatile MessagingState? _state;

    public MessagingMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(PlatformTelemetry.SourceName);
        _published = meter.CreateCounter<long>("mep.outbox.published", "{event}", "Events the outbox relay published (broker confirmed).");
        _publishFailures = meter.CreateCounter<long>("mep.outbox.publish_failures", "{event}",
            "Publishes that failed and wait for their next attempt.");
        _relayLag = meter.CreateHistogram("mep.outbox.relay_lag", "s", "From an event's commit to the broker's confirm of its publish.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LagBuckets });
        _consumerRetries = meter.CreateCounter<long>("mep.messaging.consumer_retries", "{delivery}",
            "Deliveries a consumer took again after a failure (the bus's retries and lost races for a row).");
        meter.CreateObservableGauge("mep.outbox.pending", () => _state?.Pending ?? 0L, "{event}", "Outbox rows not yet published.");
        meter.CreateObservableGauge("mep.outbox.oldest_pending_age", () => _state?.OldestPendingAgeSeconds ?? 0d, "s",
            "Age of the oldest unpublished outbox row; 0 when none waits.");
        meter.CreateObservableGauge("mep.messaging.error_queue_messages", ErrorQueueMeasurements, "{message}",
            "Messages waiting in a receive queue's error queue.");
    }

    /// <summary>The outbox and error queues as last sampled; queues the broker could not be asked about are left out.</summary>
    public sealed record MessagingState(long Pending, double OldestPendingAgeSeconds, IReadOnlyList<ErrorQueues.QueueDepth> ErrorQueues);

    public void Sampled(MessagingState state) => _state = state;

    public void Published(TimeSpan sinceCommit)
    {
        _published.Add(1);
        _relayLag.Record(Math.Max(0, sinceCommit.TotalSeconds));
    }

    public void PublishFailed() => _publishFailures.Add(1);

    public void ConsumerRetried(string consumer) => _consumerRetries.Add(1, new KeyValuePair<string, object?>("consumer", consumer));

    private IEnumerable<Measurement<long>> ErrorQueueMeasurements() =>
        (_state?.ErrorQueues ?? []).Where(depth => depth.ErrorMessages is not null)
            .Select(depth => new Measurement<long>(depth.ErrorMessages!.Value, new KeyValuePair<string, object?>("queue", depth.Queue)));
}
