using System.Collections.Concurrent;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Mep.ServiceDefaults.Validation;

/// <summary>The query names each endpoint reads, and nothing else.</summary>
public static class KnownQueryParameters
{
    /// <summary>
    /// Refuses a query parameter the endpoint does not read with a 400 that names it, instead of answering as if it had not been
    /// sent (a list asked for <c>?assignee=me</c> returned every ticket). The names an endpoint reads are the query parameters
    /// the framework binds for it, as API Explorer describes them (<c>[AsParameters]</c> records expanded), so a parameter is
    /// declared once, in the handler's signature. Routes outside API Explorer (the OData feeds, which check their own options;
    /// the job dashboard; health and documents) are left alone. Runs after authorization: who may not call a route learns
    /// nothing about its parameters.
    /// </summary>
    public static WebApplication UseKnownQueryParameters(this WebApplication app)
    {
        var explorer = app.Services.GetRequiredService<IApiDescriptionGroupCollectionProvider>();
        IReadOnlyList<SelfDescribedEndpoints> selfDescribed = [.. app.Services.GetServices<SelfDescribedEndpoints>()];
        var known = new ConcurrentDictionary<Endpoint, IReadOnlySet<string>?>();
        app.Use(async (context, next) =>
        {
            if (context.Request.Query.Count > 0 && context.GetEndpoint() is { } endpoint
                && known.GetOrAdd(endpoint, QueryParametersOf, (explorer, selfDescribed)) is { } names
                && context.Request.Query.Keys.Where(key => !names.Contains(key)).ToList() is { Count: > 0 } unknown)
            {
                var reads = names.Count == 0 ? "no query parameters" : "only " + string.Join(", ", names.Order(StringComparer.Ordinal));
                await ApiProblems.Validation(unknown.ToDictionary(key => key, _ => new[] { $"Unknown query parameter: this endpoint reads {reads}." },
                    StringComparer.Ordinal)).ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        return app;
    }

    /// <summary>The query names API Explorer describes for the endpoint (camelCase, as documented); null when it does not describe it.</summary>
    private static IReadOnlySet<string>? QueryParametersOf(Endpoint endpoint,
        (IApiDescriptionGroupCollectionProvider Explorer, IReadOnlyList<SelfDescribedEndpoints> SelfDescribed) lookup)
    {
        var (explorer, selfDescribed) = lookup;
        if (SelfDescribedEndpoints.Include(selfDescribed, endpoint.Metadata))
        {
            return null;
        }

        var descriptions = explorer.ApiDescriptionGroups.Items.SelectMany(group => group.Items)
            .Where(description => Describes(description, endpoint)).ToList();
        if (descriptions.Count == 0)
        {
            return null;
        }

        // Query binding ignores case (?PageSize= and ?pagesize= both bind), so the check does too.
        return descriptions.SelectMany(description => description.ParameterDescriptions)
            .Where(parameter => parameter.Source == BindingSource.Query)
            .Select(parameter => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(parameter.Name))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// API Explorer describes a minimal API endpoint under the endpoint's display name (method, route pattern and handler). Not by
    /// reference: a route group builds its endpoints anew for each data source that asks, so routing and API Explorer hold
    /// different instances of the same endpoint.
    /// </summary>
    private static bool Describes(ApiDescription description, Endpoint endpoint) =>
        endpoint.DisplayName is { } name && string.Equals(description.ActionDescriptor.DisplayName, name, StringComparison.Ordinal);
}
