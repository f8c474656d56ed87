using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Mep.ServiceDefaults.Hosting;

/// <summary>Configuration section "Edge": where callers reach the platform.</summary>
public sealed class EdgeOptions
{
    public const string Section = "Edge";

    /// <summary>
    /// The address callers use, e.g. https://mep.example-city.de (./mep sets http://localhost:8080). Absolute links the
    /// services write (OData's @odata.context and nextLink) start with it, whatever Host a request carried.
    /// </summary>
    public Uri? PublicBaseAddress { get; set; }

    /// <summary>What absolute links written outside a request (in mails) start with: the public address without its last slash, or "".</summary>
    public static string LinkBase(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<EdgeOptions>()?.PublicBaseAddress?.ToString().TrimEnd('/') ?? string.Empty;
}

public static class PublicAddress
{
    /// <summary>
    /// Scheme, host and client address of each request as absolute links and logs need them, never from what a client
    /// wrote: the configured public address first; otherwise X-Forwarded-Proto/-Host/-For, but only from an edge on this
    /// machine (loopback; in a pod, the ingress reaches the service through the configured address); otherwise the
    /// address the request arrived at. A client's own Host header is never used.
    /// </summary>
    public static WebApplication UsePublicAddress(this WebApplication app)
    {
        var forwarded = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost,
            ForwardLimit = 1,
        };
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse("127.0.0.0/8"));
        forwarded.KnownProxies.Add(IPAddress.IPv6Loopback);
        app.UseForwardedHeaders(forwarded);

        var configured = app.Configuration.GetSection(EdgeOptions.Section).Get<EdgeOptions>()?.PublicBaseAddress;
        app.Use((context, next) =>
        {
            var request = context.Request;
            if (configured is not null)
            {
                request.Scheme = configured.Scheme;
                request.Host = HostString.FromUriComponent(configured);
                request.PathBase = configured.AbsolutePath.TrimEnd('/') is { Length: > 0 } pathBase
                    ? new PathString(pathBase).Add(request.PathBase)
                    : request.PathBase;
            }
            else if (!request.Headers.ContainsKey(ForwardedHeadersDefaults.XOriginalHostHeaderName)
                     && context.Connection.LocalIpAddress is { } local)
            {
                // No trusted edge named the host: the address the request arrived at, which the client cannot choose.
                request.Host = new HostString(local.IsIPv4MappedToIPv6 ? local.MapToIPv4().ToString()
                    : local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{local}]" : local.ToString(),
                    context.Connection.LocalPort);
            }

            return next(context);
        });
        return app;
    }
}
