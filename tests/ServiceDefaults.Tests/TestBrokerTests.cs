using System.Text;
using RabbitMQ.Client;

namespace Mep.ServiceDefaults.Tests;

/// <summary>The test kit's broker is a real RabbitMQ: a message published to a queue comes back from it.</summary>
public sealed class TestBrokerTests
{
    [Fact]
    public async Task The_test_kit_broker_delivers_a_published_message()
    {
        var factory = new ConnectionFactory { Uri = new Uri(TestInfrastructure.RabbitMqUrl) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync(queue: "", durable: false, exclusive: true, autoDelete: true)).QueueName;

        await channel.BasicPublishAsync(exchange: "", routingKey: queue, body: Encoding.UTF8.GetBytes("school registered"));

        BasicGetResult? received = null;
        await Eventually.AssertAsync(async () => (received = await channel.BasicGetAsync(queue, autoAck: true)) is not null,
            "the published message in the queue", TimeSpan.FromSeconds(5));
        Assert.NotNull(received);
        Assert.Equal("school registered", Encoding.UTF8.GetString(received.Body.Span));
    }
}
