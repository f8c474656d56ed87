using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Mep.TestKit;

/// <summary>Where a host started on Kestrel (port 0) listens, as a loopback address an edge or a client can reach.</summary>
public static class KestrelAddress
{
    public static Uri Of(IServiceProvider services)
    {
        var address = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
    }
}
