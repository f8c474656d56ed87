using System.ComponentModel.DataAnnotations;
using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Mep.Messaging;

/// <summary>The receive queues of this service (learned while MassTransit configures them) and their error queues.</summary>
public sealed class ReceiveQueues
{
    private readonly ConcurrentDictionary<string, byte> _names = new(StringComparer.Ordinal);

    public void Add(string queue) => _names.TryAdd(queue, 0);

    public IReadOnlyList<string> Names => [.. _names.Keys.Order(StringComparer.Ordinal)];

    public bool Contains(string queue) => _names.ContainsKey(queue);

    public static string ErrorQueueOf(string queue) => queue + "_error";
}

/// <summary>
/// Looks into and replays error queues. A message lands in <c>queue_error</c> when its consumer failed
/// every retry; MassTransit keeps the reason in its MT-Fault-* headers. Replaying moves it back to the
/// queue it came from, where the (fixed) consumer takes it again; its inbox still prevents double effects.
/// </summary>
public sealed class ErrorQueues(IConfiguration configuration, IOptions<MessagingOptions> options) : IAsyncDisposable
{
    private static readonly string[] FaultHeaderPrefixes = ["MT-Fault-", "MT-Reason", "MT-Host-"];

    /// <summary>AMQP's reply code for a queue that does not exist (a passive declare of an error queue nothing failed into yet).</summary>
    private const ushort NotFound = 404;

    private readonly SemaphoreSlim _connecting = new(1, 1);
    private IConnection? _lookout;

    /// <summary>RabbitMQ's limit on a queue's name (255 bytes, so at most as many characters).</summary>
    public const int MaxQueueNameLength = 255;

    /// <param name="ErrorMessages">Messages waiting in the error queue; null when the broker could not be asked.</param>
    public sealed record QueueDepth([MaxLength(MaxQueueNameLength)] string Queue, [MaxLength(MaxQueueNameLength)] string ErrorQueue, uint? ErrorMessages);

    public sealed record ReplayOutcome(int Replayed, bool QueueMissing, string? BrokerError);

    /// <summary>
    /// How many messages wait in each queue's error queue. Asked every few seconds (the metrics' sampler, the operator view), so
    /// over one connection kept open rather than a new one each time; a connection the broker dropped is replaced on the next ask.
    /// </summary>
    public async Task<IReadOnlyList<QueueDepth>> DepthsAsync(IReadOnlyList<string> queues, CancellationToken cancellationToken)
    {
        if (queues.Count == 0)
        {
            return [];
        }

        try
        {
            var connection = await LookoutAsync(cancellationToken);
            var depths = new List<QueueDepth>();
            foreach (var queue in queues)
            {
                var errorQueue = ReceiveQueues.ErrorQueueOf(queue);
                // A channel per queue: the broker closes the channel a passive declare of a missing queue was sent on.
                await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
                try
                {
                    var declared = await channel.QueueDeclarePassiveAsync(errorQueue, cancellationToken);
                    depths.Add(new QueueDepth(queue, errorQueue, declared.MessageCount));
                }
                catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == NotFound)
                {
                    // No error queue yet: nothing ever failed there.
                    depths.Add(new QueueDepth(queue, errorQueue, 0));
                }
            }

            return depths;
        }
        catch (Exception e) when (e is BrokerUnreachableException or AuthenticationFailureException or OperationInterruptedException)
        {
            // The operator view still shows the outbox and jobs; the broker's part says it is unknown.
            return [.. queues.Select(queue => new QueueDepth(queue, ReceiveQueues.ErrorQueueOf(queue), null))];
        }
    }

    /// <summary>
    /// Moves at most <paramref name="maxMessages"/>, and never more than the error queue held when the replay
    /// began (a message that fails again returns there and is not taken twice). Each message is acknowledged
    /// in the error queue only after the broker confirmed it back in its queue.
    /// </summary>
    public async Task<ReplayOutcome> ReplayAsync(string queue, int maxMessages, CancellationToken cancellationToken)
    {
        var replayed = 0;
        try
        {
            await using var connection = await ConnectAsync(cancellationToken);
            await using (var probe = await connection.CreateChannelAsync(cancellationToken: cancellationToken))
            {
                try
                {
                    await probe.QueueDeclarePassiveAsync(queue, cancellationToken);
                }
                catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == NotFound)
                {
                    return new ReplayOutcome(0, QueueMissing: true, null);
                }
            }

            await using var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
            uint waiting;
            try
            {
                waiting = (await channel.QueueDeclarePassiveAsync(ReceiveQueues.ErrorQueueOf(queue), cancellationToken)).MessageCount;
            }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == NotFound)
            {
                return new ReplayOutcome(0, QueueMissing: false, null);
            }

            replayed = await MoveAsync(channel, queue, (int)Math.Min(waiting, (uint)maxMessages), cancellationToken);
            return new ReplayOutcome(replayed, QueueMissing: false, null);
        }
        catch (Exception e) when (e is BrokerUnreachableException or AuthenticationFailureException or PublishException
            or AlreadyClosedException or OperationInterruptedException)
        {
            // Unacknowledged messages return to the error queue when the channel closes: nothing is lost.
            return new ReplayOutcome(replayed, QueueMissing: false, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static async Task<int> MoveAsync(IChannel channel, string queue, int limit, CancellationToken cancellationToken)
    {
        var replayed = 0;
        while (replayed < limit)
        {
            BasicGetResult? message;
            try
            {
                message = await channel.BasicGetAsync(ReceiveQueues.ErrorQueueOf(queue), autoAck: false, cancellationToken);
            }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == NotFound)
            {
                break;
            }

            if (message is null)
            {
                break;
            }

            var properties = new BasicProperties(message.BasicProperties)
            {
                Headers = message.BasicProperties.Headers?
                    .Where(header => !FaultHeaderPrefixes.Any(prefix => header.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
                    .ToDictionary(header => header.Key, header => header.Value),
            };
            await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, message.Body, cancellationToken);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
            replayed++;
        }

        return replayed;
    }

    /// <summary>The connection the depths are read over: opened on first use, and again once the broker has closed it.</summary>
    private async Task<IConnection> LookoutAsync(CancellationToken cancellationToken)
    {
        if (_lookout is { IsOpen: true } open)
        {
            return open;
        }

        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (_lookout is { IsOpen: true } opened)
            {
                return opened;
            }

            if (_lookout is not null)
            {
                await _lookout.DisposeAsync();
            }

            _lookout = await ConnectAsync(cancellationToken);
            return _lookout;
        }
        finally
        {
            _connecting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_lookout is not null)
        {
            await _lookout.DisposeAsync();
        }

        _connecting.Dispose();
    }

    private async Task<IConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var url = configuration.GetConnectionString(MessagingSetup.BrokerConnectionStringName)
            ?? throw new InvalidOperationException("No broker configured.");
        var factory = new ConnectionFactory
        {
            Uri = new Uri(url),
            ClientProvidedName = $"{options.Value.EndpointPrefix}-operator",
            // Without the client's own recovery: a dropped connection is replaced on the next ask, and a replay is never half-resumed.
            AutomaticRecoveryEnabled = false,
        };
        return await factory.CreateConnectionAsync(cancellationToken);
    }
}
