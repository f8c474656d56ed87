using System.Collections.Concurrent;
using MassTransit;

namespace Mep.TestKit;

/// <summary>
/// Another service on a test's broker virtual host: a queue of its own bound to the event types a test names, each message kept in
/// the order the broker delivered it; and a publisher, for requests such a service sends. Tests observe what really crossed the broker.
/// </summary>
public sealed class BrokerListener : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly ConcurrentDictionary<Type, ConcurrentQueue<object>> _received = new();

    private BrokerListener(IBusControl bus) => _bus = bus;

    /// <summary>Listens for the types <paramref name="listen"/> names; returns once the queue is bound, so nothing published after is missed.</summary>
    public static async Task<BrokerListener> StartAsync(RabbitMqVirtualHost broker, Action<Subscriptions> listen)
    {
        var listener = new BrokerListener(broker.CreateBus());
        var queue = listener._bus.ConnectReceiveEndpoint($"test-listener-{Guid.NewGuid():N}", endpoint =>
        {
            // One at a time, so the order kept is the order the broker delivered in (a large message takes longer to handle).
            endpoint.ConcurrentMessageLimit = 1;
            listen(new Subscriptions(endpoint, listener));
        });
        await listener._bus.StartAsync();
        await queue.Ready;
        return listener;
    }

    /// <summary>The messages of this type received so far, oldest first.</summary>
    public IReadOnlyList<T> Received<T>() where T : class =>
        _received.TryGetValue(typeof(T), out var messages) ? [.. messages.Cast<T>()] : [];

    /// <summary>Publishes as the other service would; a given <paramref name="messageId"/> stands for a redelivery of the same message.</summary>
    public Task PublishAsync<T>(T message, Guid? messageId = null) where T : class =>
        _bus.Publish(message, context => context.MessageId = messageId ?? NewId.NextGuid());

    public async ValueTask DisposeAsync() => await _bus.StopAsync();

    public sealed class Subscriptions
    {
        private readonly IReceiveEndpointConfigurator _endpoint;
        private readonly BrokerListener _listener;

        internal Subscriptions(IReceiveEndpointConfigurator endpoint, BrokerListener listener) => (_endpoint, _listener) = (endpoint, listener);

        public Subscriptions Keep<T>() where T : class
        {
            var messages = _listener._received.GetOrAdd(typeof(T), _ => new ConcurrentQueue<object>());
            _endpoint.Handler<T>(context =>
            {
                messages.Enqueue(context.Message);
                return Task.CompletedTask;
            });
            return this;
        }
    }
}
