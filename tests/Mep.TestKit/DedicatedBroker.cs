
namespace Mep.TestKit;

/// <summary>
/// A RabbitMQ node of a test's own (not the shared test broker), so the test can stop and start it
/// without disturbing other test classes. Runs through ./mep like every other private instance.
/// </summary>
public sealed class DedicatedBroker : IAsyncDisposable
{
    private readonly string _name;
    private readonly int _port;

    private DedicatedBroker(string name, int port) => (_name, _port) = (name, port);

    public string AmqpUrl => $"amqp://guest:guest@127.0.0.1:{_port}/";

    public static async Task<DedicatedBroker> StartAsync(string name, int port)
    {
        var broker = new DedicatedBroker(name, port);
        await broker.StartAgainAsync();
        return broker;
    }

    public Task StartAgainAsync() => RunAsync("start");

    public Task StopAsync() => RunAsync("stop");

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task RunAsync(string verb) => await Tools.RunToSuccessAsync("bash",
        [Tools.Script("mep"), "broker-node", verb, _name, _port.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(5));
}
