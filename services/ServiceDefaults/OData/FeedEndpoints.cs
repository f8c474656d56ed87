using System.Globalization;
using System.Text.RegularExpressions;
using Mep.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.OData;

namespace Mep.ServiceDefaults.OData;

/// <summary>
/// A service's OData v4 feed at <c>{prefix}/odata</c>: the service document, <c>$metadata</c>, and per entity set the rows
/// (<c>/Devices</c>), one row (<c>/Devices(key)</c>) and the count (<c>/Devices/$count</c>), for Excel, Power BI and scripts.
/// </summary>
public static partial class FeedEndpoints
{
    /// <summary>Declares the feed (its sets come from <paramref name="declare"/>) and its limits (configuration section <c>OData</c>).</summary>
    public static IServiceCollection AddODataFeed(this IServiceCollection services, IConfiguration configuration, string serviceNamespace,
        Action<FeedBuilder> declare)
    {
        services.Configure<FeedLimits>(configuration.GetSection("OData"));
        services.AddSingleton(_ =>
        {
            var builder = new FeedBuilder(serviceNamespace);
            declare(builder);
            return builder.Build();
        });
        return services;
    }

    public static RouteGroupBuilder MapODataFeed(this IEndpointRouteBuilder app, string pathPrefix)
    {
        var root = $"{pathPrefix}/odata";
        // Any authenticated caller reaches the feed; each set then checks its own policy (a vendor reads no inventory).
        var group = app.MapGroup(root).RequireAuthorization().ExcludeFromDescription();
        group.MapGet("/", (HttpContext context, FeedModel model) => Handle(context, root, () =>
            FeedWriter.ServiceDocumentAsync(context, model, ServiceRoot(context, root), JsonFormat(context.Request))));
        group.MapGet("/$metadata", (HttpContext context, FeedModel model) => Handle(context, root, () =>
            FeedWriter.MetadataAsync(context, model, ServiceRoot(context, root))));
        group.MapGet("/{**path}", (HttpContext context, FeedModel model, IOptions<FeedLimits> limits, IAuthorizationService authorization) =>
            Handle(context, root, () => QueryAsync(context, root, model, limits.Value, authorization)));
        return group;
    }

    private static async Task QueryAsync(HttpContext context, string root, FeedModel model, FeedLimits limits, IAuthorizationService authorization)
    {
        var request = context.Request;
        var serviceRoot = ServiceRoot(context, root);
        var relative = request.Path.Value![(root.Length + 1)..] + request.QueryString.Value;
        var preferred = PreferredPageSize(request);
        var query = FeedQuery.Parse(model, limits, serviceRoot, new Uri(serviceRoot, relative), request.Query.Keys, preferred);
        // /$count answers text/plain whatever Accept says; everything else is JSON.
        var format = query.CountOnly ? string.Empty : JsonFormat(request);

        if (!(await authorization.AuthorizeAsync(context.User, query.Set.Policy)).Succeeded)
        {
            await Problem(context, ApiProblems.Problem(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "Forbidden",
                $"Your role may not read {query.Set.Name}."));
            return;
        }

        var result = await query.Set.ReadAsync(context, model, query, context.RequestAborted);
        context.Response.Headers["OData-Version"] = "4.0";
        if (preferred is not null)
        {
            context.Response.Headers["Preference-Applied"] = $"odata.maxpagesize={query.Take}";
        }

        if (query.CountOnly)
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(result.Count!.Value.ToString(CultureInfo.InvariantCulture), context.RequestAborted);
        }
        else if (query.Key is not null)
        {
            if (result.Rows is [var row])
            {
                await FeedWriter.ResourceAsync(context, model, serviceRoot, format, query, row);
            }
            else
            {
                await Problem(context, ApiProblems.NotFound(query.Set.TypeName.ToLowerInvariant()));
            }
        }
        else
        {
            var more = result.More && (query.Top is null || query.Top > query.Take);
            await FeedWriter.ResourceSetAsync(context, model, serviceRoot, format, query, result, more ? NextLink(request, query) : null);
        }
    }

    /// <summary>The same request, one page further: $skip moves on, what is left of $top stays.</summary>
    private static Uri NextLink(HttpRequest request, FeedQuery query)
    {
        var parameters = request.Query.Where(p => p.Key is not "$skip" and not "$top").ToDictionary(p => p.Key, p => (string?)p.Value.ToString());
        parameters["$skip"] = (query.Skip + query.Take).ToString(CultureInfo.InvariantCulture);
        if (query.Top is { } top)
        {
            parameters["$top"] = (top - query.Take).ToString(CultureInfo.InvariantCulture);
        }

        return new Uri(QueryHelpers.AddQueryString($"{PublicScheme(request)}://{request.Host}{request.PathBase}{request.Path}", parameters));
    }

    /// <summary>
    /// The feed's absolute root as the client reached it (behind the edge: the edge's host and port, which nginx passes on),
    /// so that @odata.context and @odata.nextLink lead back to the same place.
    /// </summary>
    private static Uri ServiceRoot(HttpContext context, string root) =>
        new($"{PublicScheme(context.Request)}://{context.Request.Host}{context.Request.PathBase}{root}/");

    /// <summary>https when a TLS-terminating proxy (the edge, an ingress) says so in X-Forwarded-Proto; the links only go back to the caller.</summary>
    private static string PublicScheme(HttpRequest request) => request.Headers["X-Forwarded-Proto"].ToString() switch
    {
        "https" => "https",
        "http" => "http",
        _ => request.Scheme,
    };

    /// <summary>
    /// JSON with <c>odata.metadata=minimal</c> (the default) or <c>none</c>, from $format or Accept; full metadata is answered
    /// as minimal (clients that ask for it, such as Power BI, also accept minimal). Anything but JSON is 406.
    /// </summary>
    private static string JsonFormat(HttpRequest request)
    {
        var asked = request.Query["$format"].ToString() is { Length: > 0 } format
            ? format.Equals("json", StringComparison.OrdinalIgnoreCase) ? "application/json" : format
            : request.Headers.Accept.ToString();
        if (asked.Length > 0 && !asked.Contains("json", StringComparison.OrdinalIgnoreCase) && !asked.Contains("*/*", StringComparison.Ordinal)
            && !asked.Contains("application/*", StringComparison.OrdinalIgnoreCase))
        {
            throw new ODataContentTypeException($"The feed writes JSON (application/json;odata.metadata=minimal or none), not {asked}.");
        }

        var none = asked.Contains("odata.metadata=none", StringComparison.OrdinalIgnoreCase)
                   && !asked.Contains("odata.metadata=minimal", StringComparison.OrdinalIgnoreCase);
        return none ? "application/json;odata.metadata=none" : "application/json;odata.metadata=minimal";
    }

    private static int? PreferredPageSize(HttpRequest request)
    {
        foreach (var preference in request.Headers["Prefer"].SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.TrimEntries)))
        {
            if (preference.StartsWith("odata.maxpagesize=", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(preference["odata.maxpagesize=".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                return size;
            }
        }

        return null;
    }

    /// <summary>Every failure as a problem document: the parser's messages name the position; limits name the limit.</summary>
    private static async Task Handle(HttpContext context, string root, Func<Task> respond)
    {
        try
        {
            await respond();
        }
        catch (QueryLimitException limit)
        {
            await Problem(context, ApiProblems.Problem(StatusCodes.Status400BadRequest, ProblemTypes.QueryLimitExceeded, "Query limit exceeded",
                limit.Message, new Dictionary<string, object?> { ["limit"] = limit.Limit, ["maximum"] = limit.Maximum }));
        }
        catch (UnsupportedQueryException unsupported)
        {
            await Problem(context, ApiProblems.Problem(StatusCodes.Status501NotImplemented, ProblemTypes.NotImplemented, "Not implemented",
                unsupported.Message, new Dictionary<string, object?> { ["feature"] = unsupported.Feature }));
        }
        catch (InvalidOperationException untranslatable) when (untranslatable.Message.Contains("could not be translated", StringComparison.Ordinal))
        {
            // The binder only builds what EF translates; this is the net under it, never client evaluation.
            await Problem(context, ApiProblems.Problem(StatusCodes.Status501NotImplemented, ProblemTypes.NotImplemented, "Not implemented",
                "This feed cannot run that expression in the database.", new Dictionary<string, object?> { ["feature"] = "this expression in SQL" }));
        }
        catch (InvalidOperationException constant) when (constant.InnerException is ArithmeticException or ArgumentException)
        {
            await Problem(context, ApiProblems.Problem(StatusCodes.Status400BadRequest, ProblemTypes.InvalidQuery, "Invalid query",
                "A part of the expression made of literals alone cannot be computed (for example a division by zero or a substring beyond the end)."));
        }
        catch (Npgsql.PostgresException data) when (data.SqlState.StartsWith("22", StringComparison.Ordinal))
        {
            // SQL state class 22, data exception: division by zero, numeric overflow, a substring of negative length.
            await Problem(context, ApiProblems.Problem(StatusCodes.Status400BadRequest, ProblemTypes.InvalidQuery, "Invalid query",
                $"PostgreSQL cannot compute the expression: {data.MessageText}."));
        }
        catch (ODataContentTypeException notAcceptable)
        {
            await Problem(context, ApiProblems.Problem(StatusCodes.Status406NotAcceptable, ProblemTypes.NotAcceptable, "Not acceptable",
                notAcceptable.Message));
        }
        catch (ODataException invalid) when (!context.Response.HasStarted)
        {
            var extensions = new Dictionary<string, object?>();
            if (Position().Match(invalid.Message) is { Success: true } match)
            {
                extensions["position"] = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            }

            var unknownSet = invalid.Message.Contains("Resource not found for the segment", StringComparison.Ordinal);
            await Problem(context, unknownSet
                ? ApiProblems.Problem(StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Not found", $"{invalid.Message} The service document at {root} lists the entity sets.")
                : ApiProblems.Problem(StatusCodes.Status400BadRequest, ProblemTypes.InvalidQuery, "Invalid query", invalid.Message, extensions));
        }
    }

    private static Task Problem(HttpContext context, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult problem)
    {
        context.Response.Headers["OData-Version"] = "4.0";
        return problem.ExecuteAsync(context);
    }

    [GeneratedRegex(@"position (\d+)")]
    private static partial Regex Position();
}
