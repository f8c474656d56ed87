using System.Net;
using System.Net.Sockets;

namespace Mep.Schools.Webhooks;

/// <summary>
/// Name resolution and connecting for webhook deliveries. A delivery connects only to addresses <see cref="WebhookAddress"/> allows,
/// checked on the addresses the name resolves to at that moment and then connected to exactly those (a second lookup between the check
/// and the connection could answer otherwise: DNS rebinding).
/// </summary>
public static class WebhookDestinations
{
    /// <summary>How long a lookup may take when a school subscribes an address.</summary>
    public static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The addresses <paramref name="host"/> resolves to now; none when it does not resolve (or not within the timeout).</summary>
    public static async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(LookupTimeout);
        try
        {
            return await Dns.GetHostAddressesAsync(host, timeout.Token);
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            // Not found, or a name no resolver takes (longer than 255 characters, a label over 63): it does not resolve.
            return [];
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return [];
        }
    }

    /// <summary>The connect step of the delivery client (<see cref="SocketsHttpHandler.ConnectCallback"/>).</summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Connector(bool allowLoopback) =>
        async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host.Trim('[', ']');
            var addresses = await ResolveAsync(host, cancellationToken);
            if (addresses.Count == 0)
            {
                throw new WebhookDestinationRefusedException($"The host name {host} does not resolve.");
            }

            if (addresses.FirstOrDefault(address => !WebhookAddress.IsPublicDestination(address, allowLoopback)) is { } internalAddress)
            {
                throw new WebhookDestinationRefusedException($"{host} resolves to {internalAddress}, which is not a public internet address; not connected.");
            }

            SocketException? last = null;
            foreach (var address in addresses)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch (SocketException e)
                {
                    socket.Dispose();
                    last = e;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }

            throw last!;
        };
}

/// <summary>A delivery's destination is not one the platform connects to (<see cref="WebhookAddress.IsPublicDestination"/>).</summary>
public sealed class WebhookDestinationRefusedException(string message) : Exception(message);
