namespace Mep.ServiceDefaults.Hosting;

/// <summary>
/// Endpoints whose contract another document describes, registered by the module that maps them (the OData feeds describe
/// themselves in <c>$metadata</c>, the CSDL their clients read). The OpenAPI document leaves them out, and the check of query names
/// leaves their query to them (OData validates its own system options).
/// </summary>
/// <param name="AreAmong">Whether an endpoint, by its metadata, is one of them.</param>
public sealed record SelfDescribedEndpoints(Func<IEnumerable<object>, bool> AreAmong)
{
    public static bool Include(IEnumerable<SelfDescribedEndpoints> registered, IEnumerable<object> metadata) =>
        registered.Any(endpoints => endpoints.AreAmong(metadata));
}
