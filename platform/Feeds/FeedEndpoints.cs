using System.Reflection;
using Mep.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.OData;
using Microsoft.AspNetCore.OData.Query.Expressions;
using Microsoft.OData.UriParser;

namespace Mep.Feeds;

/// <summary>
/// A service's OData v4 feed at <c>{prefix}/odata</c> for Excel, Power BI and scripts, served by Microsoft.AspNetCore.OData: the
/// service document, <c>$metadata</c> (CSDL XML, or JSON with <c>$format=application/json</c>) and per entity set its rows, one
/// row and the count, with $filter, $orderby, $select, $expand (with nested options), $count, $top, $skip, $skiptoken, $apply
/// and $compute.
/// </summary>
public static class FeedEndpoints
{
    /// <summary>Declares the feed (its sets come from <paramref name="declare"/>) and its limits (configuration section <c>OData</c>).</summary>
    public static IServiceCollection AddODataFeed(this IServiceCollection services, IConfiguration configuration, string pathPrefix,
        string serviceNamespace, Action<FeedBuilder> declare)
    {
        var builder = new FeedBuilder(serviceNamespace);
        declare(builder);
        var feed = builder.Build();
        var limits = configuration.GetSection("OData").Get<FeedLimits>() ?? new FeedLimits();
        services.AddSingleton(feed);
        // The feed describes itself in $metadata (CSDL), the contract OData clients read; its routes are not REST operations.
        services.AddSingleton(new SelfDescribedEndpoints(metadata => metadata.OfType<Microsoft.AspNetCore.OData.Routing.IODataRoutingMetadata>().Any()));
        services.Configure<FeedLimits>(configuration.GetSection("OData"));
        services.AddControllers()
            .ConfigureApplicationPartManager(parts => parts.FeatureProviders.Add(new FeedControllers(feed)))
            .AddOData(options =>
            {
                options.Select().Filter().OrderBy().Expand().Count().SkipToken().SetMaxTop(limits.MaxTop);
                options.RouteOptions.EnableKeyAsSegment = false;
                options.RouteOptions.EnableUnqualifiedOperationCall = false;
                options.AddRouteComponents($"{pathPrefix.Trim('/')}/odata", feed.Edm, route => route
                    // 'Tablet' for an enum literal, as spreadsheet users write it; Mep.Assets.DeviceKind'Tablet' works too.
                    .AddSingleton<ODataUriResolver>(new StringAsEnumResolver())
                    .AddSingleton<IFilterBinder, FeedFilterBinder>());
                options.Conventions.Add(new FeedRoutingConvention(feed));
            });
        return services;
    }

    /// <summary>The feed's routes; any authenticated caller reaches them, and each set then checks its own policy (a vendor reads no inventory).</summary>
    public static IEndpointRouteBuilder MapODataFeed(this IEndpointRouteBuilder app)
    {
        app.MapControllers().RequireAuthorization();
        return app;
    }

    /// <summary>One <see cref="FeedController{TRow}"/> per declared read type (MVC finds no generic controllers by itself).</summary>
    private sealed class FeedControllers(FeedModel feed) : IApplicationFeatureProvider<ControllerFeature>
    {
        public void PopulateFeature(IEnumerable<ApplicationPart> parts, ControllerFeature feature)
        {
            foreach (var set in feed.Sets)
            {
                feature.Controllers.Add(typeof(FeedController<>).MakeGenericType(set.RowType).GetTypeInfo());
            }
        }
    }
}
