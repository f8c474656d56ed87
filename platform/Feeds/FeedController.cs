using System.Globalization;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Mep.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OData.Extensions;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.AspNetCore.OData.Routing.Controllers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.Options;
using Microsoft.OData;
using Microsoft.OData.UriParser;

namespace Mep.Feeds;

/// <summary>
/// One entity set of a feed, served by Microsoft.AspNetCore.OData: <c>/Set</c>, <c>/Set/$count</c> and <c>/Set(key)</c>
/// (<see cref="FeedRoutingConvention"/> routes them). The library parses, validates and applies every query option to the set's
/// rows as one LINQ query that EF runs in PostgreSQL; this class adds what the platform decides: who may read the set, the named
/// limits, the page size, and problem documents for every refusal.
/// </summary>
/// <remarks>
/// A controller, not a minimal API: the library's minimal-API result threw on <c>$apply</c>, its controllers serve every option.
/// </remarks>
[Authorize]
[ApiExplorerSettings(IgnoreApi = true)]
internal sealed class FeedController<TRow>(FeedModel feed, IAuthorizationService authorization, IOptions<FeedLimits> limits) : ODataController
    where TRow : class
{
    /// <summary>The system query options the feed reads; $search has no binder here and is refused by the validator.</summary>
    private static readonly string[] KnownOptions =
        ["$filter", "$orderby", "$select", "$expand", "$top", "$skip", "$count", "$format", "$skiptoken", "$apply", "$compute", "$search"];

    private FeedSet Set => feed.SetOf(typeof(TRow));

    /// <summary>The set's rows (or their count for <c>/$count</c>) after every query option, one page at a time.</summary>
    public Task<IActionResult> Get(CancellationToken cancellationToken) => FeedErrors.AnswerAsync(HttpContext, async () =>
    {
        if (await ForbiddenAsync() is { } forbidden)
        {
            return forbidden;
        }

        var options = Options();
        var rows = (IQueryable<TRow>)Set.Rows(HttpContext);
        if (Request.ODataFeature().Path.LastSegment is CountSegment)
        {
            // Only $filter (and $apply, $search) shape a count; ApplyTo stops there for a /$count request.
            var counted = options.ApplyTo(rows, Settings(pageSize: null));
            var count = counted is IQueryable<TRow> typed ? await typed.LongCountAsync(cancellationToken) : counted.Cast<object>().LongCount();
            return Content(count.ToString(CultureInfo.InvariantCulture), "text/plain", System.Text.Encoding.UTF8);
        }

        var page = await MaterialiseAsync(options.ApplyTo(rows, Settings(PageSize())), cancellationToken);
        // Declared as the set's rows whatever $select or $apply made of them: the library's serializer picks the set's EDM type by
        // the declared type and reads the wrappers through the select and apply clauses.
        return new OkObjectResult(page) { DeclaredType = typeof(IEnumerable<TRow>) };
    });

    /// <summary>One row by its key; a key the caller may not see is as unknown as one that does not exist.</summary>
    public Task<IActionResult> GetByKey(CancellationToken cancellationToken) => FeedErrors.AnswerAsync(HttpContext, async () =>
    {
        if (await ForbiddenAsync() is { } forbidden)
        {
            return forbidden;
        }

        var options = Options();
        var key = Request.ODataFeature().Path.OfType<KeySegment>().Single();
        var rows = ((IQueryable<TRow>)Set.Rows(HttpContext)).Where(KeyEquals(key));
        var found = await MaterialiseAsync(options.ApplyTo(rows, Settings(pageSize: null)), cancellationToken);
        return found.Cast<object>().FirstOrDefault() is { } row
            ? new OkObjectResult(row) { DeclaredType = typeof(TRow) }
            : new ProblemActionResult(ApiProblems.NotFound(Set.TypeName.ToLowerInvariant()));
    });

    private async Task<IActionResult?> ForbiddenAsync() =>
        (await authorization.AuthorizeAsync(User, Set.Policy)).Succeeded
            ? null
            : new ProblemActionResult(ApiProblems.Problem(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "Forbidden",
                $"Your role may not read {Set.Name}."));

    /// <summary>The query options of this request, checked against the named limits and then the library's validator.</summary>
    private ODataQueryOptions<TRow> Options()
    {
        foreach (var option in Request.Query.Keys.Where(k => k.StartsWith('$') && !KnownOptions.Contains(k)))
        {
            throw new ODataException($"Unknown query option {option}; this feed reads {string.Join(", ", KnownOptions)}.");
        }

        if (Request.Query["$format"].ToString() is { Length: > 0 } format && !format.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            throw new ODataContentTypeException($"The feed writes JSON ($format=json or application/json;odata.metadata=minimal or none), not {format}.");
        }

        var options = new ODataQueryOptions<TRow>(new ODataQueryContext(feed.Edm, typeof(TRow), Request.ODataFeature().Path), Request);
        limits.Value.Check(options);
        options.Validate(limits.Value.Validation());
        return options;
    }

    private static ODataQuerySettings Settings(int? pageSize) => new()
    {
        PageSize = pageSize,
        EnsureStableOrdering = true,
        // EF translates member access on null to SQL NULL; the library's null checks would only clutter the SQL.
        HandleNullPropagation = HandleNullPropagationOption.False,
        EnableConstantParameterization = true,
    };

    /// <summary>The configured page size, or the smaller one a client prefers (<c>Prefer: odata.maxpagesize=N</c>), which the answer confirms.</summary>
    private int PageSize()
    {
        var maximum = limits.Value.MaxPageSize;
        foreach (var preference in Request.Headers["Prefer"].SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.TrimEntries)))
        {
            if (preference.StartsWith("odata.maxpagesize=", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(preference["odata.maxpagesize=".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var preferred))
            {
                var applied = Math.Clamp(preferred, 1, maximum);
                Response.Headers["Preference-Applied"] = $"odata.maxpagesize={applied}";
                return applied;
            }
        }

        return maximum;
    }

    /// <summary>
    /// Runs the query here, asynchronously, so that a database error becomes a problem document before the answer starts (the
    /// library's paging has already read a page into memory; anything else is still EF's query).
    /// </summary>
    private static async Task<System.Collections.IEnumerable> MaterialiseAsync(IQueryable query, CancellationToken cancellationToken)
    {
        if (query.Provider is not IAsyncQueryProvider)
        {
            return query;
        }

        var list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(query.ElementType))!;
        await foreach (var row in ((IAsyncEnumerable<object>)Cast(query)).WithCancellation(cancellationToken))
        {
            list.Add(row);
        }

        return list;
    }

    private static object Cast(IQueryable query) =>
        typeof(EntityFrameworkQueryableExtensions).GetMethod(nameof(EntityFrameworkQueryableExtensions.AsAsyncEnumerable))!
            .MakeGenericMethod(query.ElementType).Invoke(null, [query])!;

    private static Expression<Func<TRow, bool>> KeyEquals(KeySegment key)
    {
        var row = Expression.Parameter(typeof(TRow), "row");
        var equals = key.Keys.Select(part =>
        {
            var property = typeof(TRow).GetProperty(part.Key)!;
            // A closure, so that EF sends the key as a parameter.
            var value = Expression.Field(Expression.Constant(new StrongBox<object?>(part.Value)), nameof(StrongBox<object?>.Value));
            return (Expression)Expression.Equal(Expression.Property(row, property), Expression.Convert(value, property.PropertyType));
        });
        return Expression.Lambda<Func<TRow, bool>>(equals.Aggregate(Expression.AndAlso), row);
    }
}
