namespace Mep.ServiceDefaults.Hosting;

/// <summary>Who a service is: its title and description in the API docs, and the path prefix it owns at the edge.</summary>
/// <param name="Title">Human title for API docs.</param>
/// <param name="PathPrefix">The path the service owns, e.g. "/api/schools"; its endpoints are mapped below it.</param>
/// <param name="Description">What the service is for, shown in Swagger.</param>
public sealed record ServiceDescription(string Title, string PathPrefix, string Description);
