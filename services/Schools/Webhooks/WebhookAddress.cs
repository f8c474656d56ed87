using System.Net;
using System.Net.Sockets;
using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Webhooks;

/// <summary>
/// Where a subscription's deliveries go: an https address on the public internet. The platform sends requests there on the school's
/// behalf, so an address inside the city's network (loopback, private, link-local, the cloud metadata service, ...) would let anyone
/// with a school key make the platform call internal systems (server-side request forgery). The address is checked when it is
/// subscribed and every destination it resolves to is checked again when a delivery connects (<see cref="WebhookDestinations"/>),
/// because a name can resolve elsewhere by then. Any port is allowed: a receiver may listen where its operator likes (8443), and what
/// protects internal systems is that no internal address is reached at all.
/// </summary>
public sealed record WebhookAddress
{
    public const int MaxLength = 2000;

    private static readonly IPNetwork[] NonPublicNetworks =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24",
            "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "100::/64", "2001::/32", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
            // IPv4-compatible (::a.b.c.d, deprecated) and SIIT's IPv4-translated (::ffff:0:a.b.c.d): no public receiver has such an
            // address, and where a host still routes them they reach the IPv4 address inside, which may be any.
            "::/96", "::ffff:0:0:0/96",
            // NAT64 for local use (RFC 8215): its operator picks the prefix length within the /48, so where the IPv4 address sits, and
            // which one is reached, cannot be told.
            "64:ff9b:1::/48",
        }.Select(IPNetwork.Parse),
    ];

    private static readonly IPNetwork LoopbackV4 = IPNetwork.Parse("127.0.0.0/8");

    /// <summary>The well-known NAT64 prefix (RFC 6052) carries an IPv4 address in its last 32 bits: the IPv4 address is what is reached.</summary>
    private static readonly IPNetwork Nat64WellKnown = IPNetwork.Parse("64:ff9b::/96");

    /// <summary>6to4 carries an IPv4 address in bits 16-47.</summary>
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    private WebhookAddress(Uri uri) => Uri = uri;

    public Uri Uri { get; }

    /// <summary>The host to resolve (an IPv6 literal without its brackets).</summary>
    public string Host => Uri.IdnHost.Trim('[', ']');

    /// <summary>The host as an IP address, when it is one written out (which needs no resolving).</summary>
    public IPAddress? Literal => Uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(Host, out var literal)
        ? literal
        : null;

    public override string ToString() => Uri.AbsoluteUri;

    /// <summary>
    /// The address as subscribed, if it is an absolute https URL without credentials or fragment whose host may be public; the
    /// resolved destinations are checked by <see cref="EnsureResolvesToPublic"/>.
    /// </summary>
    /// <param name="allowLoopbackHttp">The local setting <see cref="WebhookOptions.AllowLoopbackHttp"/>.</param>
    public static WebhookAddress Parse(string text, bool allowLoopbackHttp)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || string.IsNullOrEmpty(uri.Host))
        {
            throw Refused("webhook-address-invalid", "An absolute https address is required, e.g. https://inventory.example-school.de/mep/webhooks.");
        }

        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            throw Refused("webhook-address-invalid", "The address must carry no user name, password or fragment (#...).");
        }

        if (!HasReadableHost(uri) || uri.AbsoluteUri.Length > MaxLength)
        {
            throw Refused("webhook-address-invalid", $"The address's host cannot be read, or the address is longer than {MaxLength} characters once encoded.");
        }

        var address = new WebhookAddress(uri);
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && address.Literal is null)
        {
            throw Refused("webhook-address-invalid", "The address's host is not an IP address this platform can reach.");
        }

        var loopback = address.NamesLoopback;
        if (uri.Scheme != "https" && !(allowLoopbackHttp && loopback))
        {
            throw Refused("webhook-address-not-https", "Deliveries go over https only: they carry the school's data.");
        }

        if (loopback && !allowLoopbackHttp)
        {
            throw NotPublic(address.Host);
        }

        if (address.Literal is { } literal && !IsPublicDestination(literal, allowLoopbackHttp))
        {
            throw NotPublic(address.Host);
        }

        if (address.Literal is null && !loopback && !address.Host.TrimEnd('.').Contains('.', StringComparison.Ordinal))
        {
            // A single-label name ("intranet") is completed with the platform's own search domains: an internal host by design.
            throw NotPublic(address.Host);
        }

        return address;
    }

    /// <summary>Refuses the address unless it resolved and every address it resolved to is public.</summary>
    public void EnsureResolvesToPublic(IReadOnlyList<IPAddress> resolved, bool allowLoopbackHttp)
    {
        if (resolved.Count == 0)
        {
            throw Refused("webhook-address-unresolvable", $"The host name {Host} does not resolve; check the address.");
        }

        if (resolved.FirstOrDefault(address => !IsPublicDestination(address, allowLoopbackHttp)) is { } internalAddress)
        {
            throw Refused("webhook-address-not-public", $"{Host} resolves to {internalAddress}, which is not a public internet address.");
        }
    }

    /// <summary>
    /// Whether the platform may connect to <paramref name="address"/>: a public unicast address; also loopback where
    /// <paramref name="allowLoopback"/> says so. IPv4 written inside IPv6 (mapped, NAT64, 6to4) is judged as that IPv4 address.
    /// </summary>
    public static bool IsPublicDestination(IPAddress address, bool allowLoopback)
    {
        var judged = Unwrapped(address);
        if (allowLoopback && IsLoopback(judged))
        {
            return true;
        }

        return !NonPublicNetworks.Any(network => network.BaseAddress.AddressFamily == judged.AddressFamily && network.Contains(judged));
    }

    private static IPAddress Unwrapped(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        var bytes = address.GetAddressBytes();
        if (Nat64WellKnown.Contains(address))
        {
            return new IPAddress(bytes[12..16]);
        }

        return SixToFour.Contains(address) ? new IPAddress(bytes[2..6]) : address;
    }

    /// <summary>Whether the host converts to its ASCII form (IDNA), which a name that breaks its rules does not.</summary>
    private static bool HasReadableHost(Uri uri)
    {
        try
        {
            return uri.IdnHost.Length > 0;
        }
        catch (UriFormatException)
        {
            return false;
        }
    }

    private bool NamesLoopback => Literal is { } literal
        ? IsLoopback(Unwrapped(literal))
        : Host.TrimEnd('.') is var name && (name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase));

    private static bool IsLoopback(IPAddress address) =>
        IPAddress.IsLoopback(address) || (address.AddressFamily == AddressFamily.InterNetwork && LoopbackV4.Contains(address));

    private static DomainRuleException NotPublic(string host) =>
        Refused("webhook-address-not-public", $"{host} is not a public internet address: loopback, private, link-local and metadata addresses are refused.");

    private static DomainRuleException Refused(string rule, string message) => new(rule, message) { Field = "url" };
}
