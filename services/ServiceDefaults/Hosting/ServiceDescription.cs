namespace Mep.ServiceDefaults.Hosting;

/// <summary>Who a service is: its name in logs and Swagger, and the path prefix it owns at the edge.</summary>
/// <param name="Name">Short name, e.g. "schools".</param>
/// <param name="Title">Human title for API docs.</param>
/// <param name="PathPrefix">The path the service owns, e.g. "/api/schools".</param>
/// <param name="Description">What the service is for, shown in Swagger.</param>
public sealed record ServiceDescription(string Name, string Title, string PathPrefix, string Description);
