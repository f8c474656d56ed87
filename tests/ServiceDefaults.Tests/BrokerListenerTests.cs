using System.Globalization;
using System.Net;

namespace Mep.ServiceDefaults.Tests;

/// <summary>
/// The private RabbitMQ node that ./mep starts (here: the tests' own) listens on loopback only, its Erlang distribution
/// port and its name server (epmd) included: either lets another machine talk to the node with the right cookie.
/// </summary>
public sealed class BrokerListenerTests
{
    [Fact]
    public void The_nodes_erlang_distribution_port_and_its_epmd_listen_on_loopback_only()
    {
        var amqpPort = new Uri(TestInfrastructure.RabbitMqUrl).Port;
        // ./mep's rabbit_env: distribution on the node port - 30000, the node's own epmd on the node port - 35000.
        var distribution = amqpPort - 30_000;
        var epmd = amqpPort - 35_000;

        var listeners = ListeningSockets().Where(s => s.Port == distribution || s.Port == epmd).ToList();

        Assert.Contains(listeners, s => s.Port == distribution);
        Assert.Contains(listeners, s => s.Port == epmd);
        Assert.All(listeners, s => Assert.True(IPAddress.IsLoopback(s.Address), $"port {s.Port} listens on {s.Address}"));
    }

    /// <summary>Listening TCP sockets of this machine, from /proc/net/tcp and tcp6 (state 0A).</summary>
    private static IEnumerable<(IPAddress Address, int Port)> ListeningSockets()
    {
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields[3] != "0A")
                {
                    continue;
                }

                var (address, port) = (fields[1][..fields[1].IndexOf(':', StringComparison.Ordinal)], fields[1][(fields[1].IndexOf(':', StringComparison.Ordinal) + 1)..]);
                yield return (ParseAddress(address), int.Parse(port, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>/proc/net writes an address as 32-bit words, each in the machine's (little-endian) byte order.</summary>
    private static IPAddress ParseAddress(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        for (var word = 0; word < bytes.Length; word += 4)
        {
            Array.Reverse(bytes, word, 4);
        }

        return new IPAddress(bytes);
    }
}
