using Microsoft.OData;
using Microsoft.OData.UriParser;

namespace Mep.ServiceDefaults.OData;

/// <summary>What protects the server from one feed request; each is configurable under <c>OData:</c> and named in the 400 it causes.</summary>
public sealed class FeedLimits
{
    /// <summary>Rows per response; more come through @odata.nextLink. A client may ask for fewer with <c>Prefer: odata.maxpagesize</c>.</summary>
    public int MaxPageSize { get; set; } = 500;

    /// <summary>The largest $top (all pages together).</summary>
    public int MaxTop { get; set; } = 100_000;

    /// <summary>Nodes in the parsed $filter, and in all $orderby keys together (each property, literal, operator and function call is one).</summary>
    public int MaxFilterNodes { get; set; } = 100;

    /// <summary>Levels of $expand: one (row sources project one level of navigation; lowering it to 0 refuses $expand).</summary>
    public int MaxExpansionDepth { get; set; } = 1;

    /// <summary>Keys in $orderby.</summary>
    public int MaxOrderByKeys { get; set; } = 5;
}

internal sealed record FeedExpansion(FeedNavigation Navigation, IReadOnlyList<FeedProperty> Properties);

/// <summary>The properties a response carries ($select) and the navigation it expands ($expand, one level).</summary>
internal sealed record FeedSelection(IReadOnlyList<FeedProperty> Properties, IReadOnlyList<FeedExpansion> Expansions);

/// <summary>One feed request, parsed by Microsoft.OData.Core against the feed's model and checked against the limits.</summary>
internal sealed class FeedQuery
{
    /// <summary>The query options this server implements; every other $-option is refused (501 when standard, else 400).</summary>
    private static readonly HashSet<string> Supported = ["$filter", "$orderby", "$select", "$expand", "$top", "$skip", "$count", "$format"];

    private static readonly HashSet<string> StandardUnsupported = ["$apply", "$search", "$compute", "$skiptoken", "$deltatoken", "$index", "$id", "$schemaversion"];

    private FeedQuery(ODataUriParser parser, FeedSet set, ODataPath path)
    {
        Parser = parser;
        Set = set;
        Path = path;
    }

    public ODataUriParser Parser { get; }

    public FeedSet Set { get; }

    public ODataPath Path { get; }

    /// <summary>The key of <c>/Set(key)</c> (property name to value, as the read type holds it); null for the whole set.</summary>
    public IReadOnlyDictionary<string, object>? Key { get; private init; }

    /// <summary><c>/Set/$count</c>: the number of rows as plain text.</summary>
    public bool CountOnly { get; private init; }

    public FilterClause? Filter { get; private init; }

    public OrderByClause? OrderBy { get; private init; }

    public SelectExpandClause? SelectExpand { get; private init; }

    public FeedSelection Selection { get; private init; } = null!;

    public long? Top { get; private init; }

    public long Skip { get; private init; }

    /// <summary>$count=true: the total (after $filter, before paging) in @odata.count.</summary>
    public bool Count { get; private init; }

    /// <summary>Rows in this response (the page size, or what is left of $top).</summary>
    public int Take { get; private init; }

    public static FeedQuery Parse(FeedModel model, FeedLimits limits, Uri serviceRoot, Uri requestUri, IEnumerable<string> optionNames, int? preferredPageSize)
    {
        try
        {
            return ParseChecked(model, limits, serviceRoot, requestUri, optionNames, preferredPageSize);
        }
        catch (Exception error) when (error is ArgumentException or OverflowException or FormatException or InvalidCastException or NullReferenceException)
        {
            // Microsoft.OData.Core lets a few inputs through as these (a number too large for Edm.Decimal, null in an `in` list).
            throw new ODataException("The query cannot be read: a literal is out of range or of no usable type.", error);
        }
    }

    private static FeedQuery ParseChecked(FeedModel model, FeedLimits limits, Uri serviceRoot, Uri requestUri, IEnumerable<string> optionNames,
        int? preferredPageSize)
    {
        foreach (var option in optionNames.Where(o => o.StartsWith('$')))
        {
            if (StandardUnsupported.Contains(option))
            {
                throw new UnsupportedQueryException($"the query option {option}");
            }

            if (!Supported.Contains(option))
            {
                throw new ODataException($"Unknown query option {option}; this feed reads {string.Join(", ", Supported)}.");
            }
        }

        var parser = new ODataUriParser(model.Edm, serviceRoot, requestUri)
        {
            // 'Tablet' for an enum literal, as spreadsheet users write it; the qualified form Mep.Assets.DeviceKind'Tablet' works too.
            Resolver = new StringAsEnumResolver(),
        };
        // The parser's own expansion limit would answer with its message; ours names the limit (below).
        parser.Settings.MaximumExpansionDepth = 8;
        var path = parser.ParsePath();
        var (set, key, countOnly) = Target(model, path);

        var filter = parser.ParseFilter();
        if (filter is not null && Nodes(filter.Expression) is var nodes && nodes > limits.MaxFilterNodes)
        {
            throw new QueryLimitException("maxFilterNodes", limits.MaxFilterNodes, $"$filter has {nodes} nodes; at most {limits.MaxFilterNodes} are allowed.");
        }

        var orderBy = parser.ParseOrderBy();
        var keys = 0;
        var orderNodes = 0;
        for (var clause = orderBy; clause is not null; clause = clause.ThenBy)
        {
            keys++;
            orderNodes += Nodes(clause.Expression);
        }

        if (orderNodes > limits.MaxFilterNodes)
        {
            throw new QueryLimitException("maxFilterNodes", limits.MaxFilterNodes, $"$orderby has {orderNodes} nodes; at most {limits.MaxFilterNodes} are allowed.");
        }

        if (keys > limits.MaxOrderByKeys)
        {
            throw new QueryLimitException("maxOrderByKeys", limits.MaxOrderByKeys, $"$orderby has {keys} keys; at most {limits.MaxOrderByKeys} are allowed.");
        }

        var selectExpand = parser.ParseSelectAndExpand();
        var selection = Select(set.Type, selectExpand, depth: 1, limits);

        var top = parser.ParseTop();
        var skip = parser.ParseSkip() ?? 0;
        if (top is < 0 || skip < 0)
        {
            throw new ODataException("$top and $skip are zero or more.");
        }

        if (top > limits.MaxTop)
        {
            throw new QueryLimitException("maxTop", limits.MaxTop, $"$top is {top}; at most {limits.MaxTop} are allowed (the feed pages through them with @odata.nextLink).");
        }

        if (skip > int.MaxValue)
        {
            throw new ODataException($"$skip is at most {int.MaxValue}.");
        }

        var pageSize = Math.Min(preferredPageSize is > 0 ? preferredPageSize.Value : limits.MaxPageSize, limits.MaxPageSize);
        return new FeedQuery(parser, set, path)
        {
            Key = key,
            CountOnly = countOnly,
            Filter = filter,
            OrderBy = orderBy,
            SelectExpand = selectExpand,
            Selection = selection,
            Top = top,
            Skip = skip,
            Count = parser.ParseCount() ?? false,
            Take = (int)Math.Min(pageSize, top ?? long.MaxValue),
        };
    }

    /// <summary>Which set, and a key or $count after it; deeper paths (a property's value, navigation in the path) are not served.</summary>
    private static (FeedSet Set, IReadOnlyDictionary<string, object>? Key, bool CountOnly) Target(FeedModel model, ODataPath path)
    {
        var segments = path.ToList();
        if (segments is [EntitySetSegment entitySet, ..] && model.Set(entitySet.EntitySet.Name) is { } set)
        {
            switch (segments.Count)
            {
                case 1:
                    return (set, null, false);
                case 2 when segments[1] is KeySegment keySegment:
                    return (set, keySegment.Keys.ToDictionary(k => k.Key, k => EdmValues.FromLiteral(k.Value, set.RowType.GetProperty(k.Key)!.PropertyType)!), false);
                case 2 when segments[1] is CountSegment:
                    return (set, null, true);
            }
        }

        throw new UnsupportedQueryException($"the path {string.Join('/', segments.Select(s => s.Identifier))} (entity sets, /Set(key) and /Set/$count are served)");
    }

    private static FeedSelection Select(FeedType type, SelectExpandClause? clause, int depth, FeedLimits limits)
    {
        if (clause is null)
        {
            return new FeedSelection(type.Properties, []);
        }

        var properties = new List<FeedProperty>();
        var expansions = new List<FeedExpansion>();
        var all = clause.AllSelected;
        foreach (var item in clause.SelectedItems)
        {
            switch (item)
            {
                case PathSelectItem { SelectedPath.LastSegment: PropertySegment segment } path:
                    if (path.FilterOption is not null || path.OrderByOption is not null || path.TopOption is not null || path.SkipOption is not null)
                    {
                        throw new UnsupportedQueryException("query options inside $select");
                    }

                    properties.Add(type.Properties.Single(p => p.Name == segment.Property.Name));
                    break;
                case WildcardSelectItem:
                    all = true;
                    break;
                case ExpandedNavigationSelectItem expanded:
                    expansions.Add(Expand(type, expanded, depth, limits));
                    break;
                default:
                    throw new UnsupportedQueryException($"{item.GetType().Name.Replace("SelectItem", string.Empty, StringComparison.Ordinal)} in $select or $expand");
            }
        }

        return new FeedSelection(all || properties.Count == 0 ? type.Properties : [.. type.Properties.Where(properties.Contains)], expansions);
    }

    private static FeedExpansion Expand(FeedType type, ExpandedNavigationSelectItem item, int depth, FeedLimits limits)
    {
        if (depth > limits.MaxExpansionDepth)
        {
            throw new QueryLimitException("maxExpansionDepth", limits.MaxExpansionDepth,
                $"$expand goes {depth} levels deep; at most {limits.MaxExpansionDepth} are allowed.");
        }

        if (item.FilterOption is not null || item.OrderByOption is not null || item.TopOption is not null || item.SkipOption is not null
            || item.CountOption is not null || item.SearchOption is not null || item.LevelsOption is not null || item.ComputeOption is not null)
        {
            throw new UnsupportedQueryException("query options inside $expand other than $select");
        }

        var name = ((NavigationPropertySegment)item.PathToNavigationProperty.LastSegment).NavigationProperty.Name;
        var navigation = type.Navigations.Single(n => n.Name == name);
        var nested = Select(navigation.Target, item.SelectAndExpand, depth + 1, limits);
        if (nested.Expansions.Count > 0)
        {
            throw new QueryLimitException("maxExpansionDepth", limits.MaxExpansionDepth,
                $"$expand goes {depth + 1} levels deep; at most {limits.MaxExpansionDepth} are allowed.");
        }

        return new FeedExpansion(navigation, nested.Properties);
    }

    /// <summary>How many nodes a filter has: the measure of its cost that <see cref="FeedLimits.MaxFilterNodes"/> limits.</summary>
    private static int Nodes(QueryNode? node) => node switch
    {
        null => 0,
        BinaryOperatorNode binary => 1 + Nodes(binary.Left) + Nodes(binary.Right),
        UnaryOperatorNode unary => 1 + Nodes(unary.Operand),
        ConvertNode convert => Nodes(convert.Source),
        SingleValueFunctionCallNode call => 1 + call.Parameters.Sum(Nodes),
        InNode @in => 1 + Nodes(@in.Left) + (@in.Right is CollectionConstantNode list ? list.Collection.Count : Nodes(@in.Right)),
        LambdaNode lambda => 1 + Nodes(lambda.Source) + Nodes(lambda.Body),
        SingleValuePropertyAccessNode access => 1 + Nodes(access.Source),
        CollectionPropertyAccessNode access => 1 + Nodes(access.Source),
        SingleNavigationNode navigation => 1 + Nodes(navigation.Source),
        CollectionNavigationNode navigation => 1 + Nodes(navigation.Source),
        CountNode count => 1 + Nodes(count.Source),
        ResourceRangeVariableReferenceNode or NonResourceRangeVariableReferenceNode => 0,
        _ => 1,
    };
}
