namespace Mep.ServiceDefaults.Hosting;

/// <summary>Who a service is: its title and description in the API docs, and the path prefix it owns at the edge.</summary>
/// <param name="Title">Human title for API docs.</param>
/// <param name="PathPrefix">The path the service owns, e.g. "/api/schools"; its endpoints are mapped below it.</param>
/// <param name="Description">What the service is for, shown in Swagger.</param>
public sealed record ServiceDescription(string Title, string PathPrefix, string Description)
{
    /// <summary>The service's short name, the last part of its path ("schools"): its queue names start with it.</summary>
    public string Name => PathPrefix[(PathPrefix.LastIndexOf('/') + 1)..];

    /// <summary>Its name as a title ("Schools"): the tag of its endpoints, and its feed's namespace (Mep.Schools).</summary>
    public string Tag => string.Concat(Name[..1].ToUpperInvariant(), Name[1..]);
}
