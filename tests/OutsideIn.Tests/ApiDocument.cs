using Microsoft.OpenApi;

namespace Mep.OutsideIn.Tests;

/// <summary>One parameter of an operation as its document declares it.</summary>
public sealed record ApiParameter(string Name, ParameterLocation Location, IOpenApiSchema? Schema, bool Required);

/// <summary>The body an operation takes: its preferred media type (JSON when offered), its schema, and the other media types it takes.</summary>
public sealed record ApiBody(string MediaType, IOpenApiSchema? Schema, bool Required, IReadOnlyList<string> MediaTypes)
{
    public bool IsJson => MediaType.Contains("json", StringComparison.OrdinalIgnoreCase);
}

/// <summary>One operation of a service's OpenAPI document: what the suite calls and how a failure names it.</summary>
public sealed record ApiOperation(string Service, HttpMethod Method, string Path, string? OperationId, IReadOnlyList<ApiParameter> Parameters, ApiBody? Body)
{
    /// <summary>"OpenTicket POST /api/support/tickets": what a failure report names.</summary>
    public string Name => $"{OperationId ?? "(no operationId)"} {Method} {Path}";

    /// <summary>A stable key for the seeded random generator (string.GetHashCode differs between processes).</summary>
    public string Key => $"{Service} {Method} {Path}";

    public IEnumerable<ApiParameter> InPath => Parameters.Where(p => p.Location == ParameterLocation.Path);

    public IEnumerable<ApiParameter> InQuery => Parameters.Where(p => p.Location == ParameterLocation.Query);

    /// <summary>
    /// An OData entity set the document's OData service document names (the document itself lists only the service document and
    /// $metadata): its properties, as the feed's first row shows them, for the query options the suite writes.
    /// </summary>
    public IReadOnlyList<string>? FeedProperties { get; init; }
}

/// <summary>A service's OpenAPI document, read with Microsoft.OpenApi (3.0 and 3.1 alike; references resolved by the reader).</summary>
public static class ApiDocument
{
    /// <summary>Where the edge serves a service's document (the service's own /swagger/v1/swagger.json).</summary>
    public static string AddressAtTheEdge(string service) => $"/swagger/{service.ToLowerInvariant()}/v1/swagger.json";

    public static IReadOnlyList<ApiOperation> Operations(string service, string json)
    {
        var (document, diagnostic) = OpenApiDocument.Parse(json, OpenApiConstants.Json);
        if (document is null)
        {
            throw new InvalidOperationException($"{service}'s OpenAPI document could not be read: "
                + string.Join("; ", diagnostic?.Errors.Select(e => e.Message) ?? []));
        }

        var operations = new List<ApiOperation>();
        foreach (var (path, item) in document.Paths)
        {
            foreach (var (method, operation) in item.Operations ?? [])
            {
                var parameters = (item.Parameters ?? []).Concat(operation.Parameters ?? [])
                    .Where(p => p.Name is not null && p.In is not null)
                    .Select(p => new ApiParameter(p.Name!, p.In!.Value, p.Schema, p.Required || p.In == ParameterLocation.Path))
                    .ToList();
                operations.Add(new ApiOperation(service, method, path, operation.OperationId, parameters, BodyOf(operation.RequestBody)));
            }
        }

        return operations;
    }

    private static ApiBody? BodyOf(IOpenApiRequestBody? body)
    {
        if (body?.Content is not { Count: > 0 } content)
        {
            return null;
        }

        var types = content.Keys.ToList();
        var preferred = types.FirstOrDefault(t => t.Contains("json", StringComparison.OrdinalIgnoreCase)) ?? types[0];
        return new ApiBody(preferred, content[preferred].Schema, body.Required, types);
    }
}
