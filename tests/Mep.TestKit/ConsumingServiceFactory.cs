using System.Net;
using MassTransit;

namespace Mep.TestKit;

/// <summary>
/// A service that consumes other services' events, hosted as <see cref="ServiceFactory{TProgram}"/> does, with a bus on the same virtual
/// host to publish those events the way their owners would. The host is ready (its queues bound) before the first test publishes:
/// the broker drops an event published to an exchange with no queue bound yet.
/// </summary>
public abstract class ConsumingServiceFactory<TProgram> : ServiceFactory<TProgram> where TProgram : class
{
    private IBusControl? _bus;

    protected ConsumingServiceFactory()
    {
    }

    protected ConsumingServiceFactory(PostgresDatabase database, RabbitMqVirtualHost? broker = null) : base(database, broker)
    {
    }

    /// <summary>The test bus; started by <see cref="InitializeAsync"/>.</summary>
    protected IBusControl Bus => _bus ?? throw new InvalidOperationException("InitializeAsync has not run.");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _bus = Broker.CreateBus();
        await _bus.StartAsync();
        await Eventually.AssertAsync(async () => (await CreateClient().GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK,
            $"{typeof(TProgram).Assembly.GetName().Name} is ready");
    }

    /// <summary>Publishes an event as its owning service would; with a message id, a redelivery is the same id sent again.</summary>
    public Task PublishAsync<T>(T message, Guid? messageId = null) where T : class =>
        messageId is { } id ? Bus.Publish(message, context => context.MessageId = id) : Bus.Publish(message);

    protected override async Task OnDisposingAsync()
    {
        if (_bus is not null)
        {
            await _bus.StopAsync();
        }

        await base.OnDisposingAsync();
    }
}
