using System.Net.Http.Headers;
using MassTransit;
using System.Text;

namespace Mep.TestKit;

/// <summary>
/// A virtual host of its own on the test broker: exchanges and queues of one test class never meet
/// another's, as each class has its own database. Made and removed through the management API.
/// </summary>
public sealed class RabbitMqVirtualHost : IAsyncDisposable
{
    private bool _owned = true;

    private RabbitMqVirtualHost(string name, string amqpUrl) => (Name, AmqpUrl) = (name, amqpUrl);

    /// <summary>A broker someone else manages (e.g. a dedicated node), used as it is and never deleted.</summary>
    public static RabbitMqVirtualHost Existing(string amqpUrl) => new(new Uri(amqpUrl).AbsolutePath.Trim('/'), amqpUrl) { _owned = false };

    public string Name { get; }

    /// <summary>amqp:// URL of this virtual host, for ConnectionStrings:Broker.</summary>
    public string AmqpUrl { get; }

    public static async Task<RabbitMqVirtualHost> CreateAsync(string purpose)
    {
        var safe = new string(purpose.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(30).ToArray());
        var name = $"t-{safe}-{Guid.NewGuid():N}";
        using var client = ManagementClient();
        (await client.PutAsync($"api/vhosts/{name}", null)).EnsureSuccessStatusCode();
        var user = Uri.UnescapeDataString(new Uri(TestInfrastructure.RabbitMqUrl).UserInfo.Split(':')[0]);
        using var all = new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json");
        (await client.PutAsync($"api/permissions/{name}/{user}", all)).EnsureSuccessStatusCode();
        var broker = new UriBuilder(TestInfrastructure.RabbitMqUrl) { Path = "/" + name };
        return new RabbitMqVirtualHost(name, broker.Uri.ToString());
    }

    /// <summary>A bare MassTransit bus on this virtual host, for tests that publish as some other service would (start and stop it yourself).</summary>
    public IBusControl CreateBus() =>
        Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri(AmqpUrl.Replace("amqp://", "rabbitmq://", StringComparison.Ordinal))));

    /// <summary>Messages waiting in a queue of this virtual host (0 when the queue does not exist).</summary>
    public async Task<int> QueueDepthAsync(string queue)
    {
        using var client = ManagementClient();
        var response = await client.GetAsync($"api/queues/{Name}/{Uri.EscapeDataString(queue)}");
        if (!response.IsSuccessStatusCode)
        {
            return 0;
        }

        var json = await response.ReadJsonAsync();
        return json.TryGetProperty("messages", out var messages) ? messages.GetInt32() : 0;
    }

    /// <summary>The headers of the first message in a queue, left in place (management API "get" with requeue).</summary>
    public async Task<System.Text.Json.JsonElement?> PeekHeadersAsync(string queue)
    {
        using var client = ManagementClient();
        using var request = new StringContent("""{"count":1,"ackmode":"ack_requeue_true","encoding":"auto","truncate":50000}""", Encoding.UTF8, "application/json");
        var response = await client.PostAsync($"api/queues/{Name}/{Uri.EscapeDataString(queue)}/get", request);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var messages = await response.ReadJsonAsync();
        return messages.GetArrayLength() == 0 ? null : messages[0].GetProperty("properties").GetProperty("headers");
    }

    /// <summary>The connections open on this virtual host that a client named so (RabbitMQ's name for each: its addresses and ports).</summary>
    public async Task<IReadOnlyList<string>> ConnectionsNamedAsync(string clientProvidedName)
    {
        using var client = ManagementClient();
        var connections = await (await client.GetAsync($"api/vhosts/{Name}/connections")).ReadJsonAsync();
        return [.. connections.EnumerateArray()
            .Where(c => c.TryGetProperty("client_properties", out var properties) && properties.TryGetProperty("connection_name", out var name)
                && name.GetString() == clientProvidedName)
            .Select(c => c.GetProperty("name").GetString()!)];
    }

    /// <summary>Closes a connection from the broker's side, as a restart or an operator would.</summary>
    public async Task CloseConnectionAsync(string name)
    {
        using var client = ManagementClient();
        (await client.DeleteAsync($"api/connections/{Uri.EscapeDataString(name)}")).EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_owned)
        {
            return;
        }

        using var client = ManagementClient();
        await client.DeleteAsync($"api/vhosts/{Name}");
    }

    private static HttpClient ManagementClient()
    {
        var management = new Uri(TestInfrastructure.RabbitMqManagementUrl);
        var client = new HttpClient { BaseAddress = new Uri(management.GetLeftPart(UriPartial.Authority) + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(management.UserInfo))));
        return client;
    }
}
