using Microsoft.AspNetCore.OData.Query;
using Microsoft.AspNetCore.OData.Query.Validator;
using Microsoft.OData.UriParser;
using Microsoft.OData.UriParser.Aggregation;

namespace Mep.Feeds;

/// <summary>What protects the server from one feed request; each is configurable under <c>OData:</c> and named in the 400 it causes.</summary>
public sealed class FeedLimits
{
    /// <summary>Rows per response; more come through @odata.nextLink. A client may ask for fewer with <c>Prefer: odata.maxpagesize</c>.</summary>
    public int MaxPageSize { get; set; } = 500;

    /// <summary>The largest $top (all pages together).</summary>
    public int MaxTop { get; set; } = 100_000;

    /// <summary>The largest $skip: a deeper page is read with the keyset $skiptoken of the nextLink, not by skipping rows.</summary>
    public int MaxSkip { get; set; } = 1_000_000;

    /// <summary>Nodes in the parsed $filter, in all $orderby keys together, in $compute and in $apply (each property, literal, operator and function call is one).</summary>
    public int MaxFilterNodes { get; set; } = 100;

    /// <summary>Levels of $expand: one, as deep as the read types project their navigation (lowering it to 0 refuses $expand).</summary>
    public int MaxExpansionDepth { get; set; } = 1;

    /// <summary>Keys in $orderby.</summary>
    public int MaxOrderByKeys { get; set; } = 5;

    /// <summary>
    /// The named limits, checked on the parsed query before the library's own validator (which backs them up with the same
    /// values, but names no limit in its messages).
    /// </summary>
    internal void Check(ODataQueryOptions options)
    {
        if (options.Top?.Value > MaxTop)
        {
            throw new QueryLimitException("maxTop", MaxTop, $"$top is {options.Top.Value}; at most {MaxTop} are allowed (the feed pages through them with @odata.nextLink).");
        }

        if (options.Skip?.Value > MaxSkip)
        {
            throw new QueryLimitException("maxSkip", MaxSkip, $"$skip is {options.Skip.Value}; at most {MaxSkip} are allowed (follow @odata.nextLink to read further).");
        }

        CheckNodes("$filter", FeedQueryNodes.Count(options.Filter?.FilterClause?.Expression));
        CheckNodes("$compute", options.Compute?.ComputeClause?.ComputedItems.Sum(c => FeedQueryNodes.Count(c.Expression)) ?? 0);
        CheckNodes("$apply", options.Apply?.ApplyClause?.Transformations.Sum(FeedQueryNodes.Count) ?? 0);

        var keys = 0;
        var orderNodes = 0;
        for (var clause = options.OrderBy?.OrderByClause; clause is not null; clause = clause.ThenBy)
        {
            keys++;
            orderNodes += FeedQueryNodes.Count(clause.Expression);
        }

        CheckNodes("$orderby", orderNodes);
        if (keys > MaxOrderByKeys)
        {
            throw new QueryLimitException("maxOrderByKeys", MaxOrderByKeys, $"$orderby has {keys} keys; at most {MaxOrderByKeys} are allowed.");
        }

        if (options.SelectExpand?.SelectExpandClause is { } selectExpand && FeedQueryNodes.ExpansionDepth(selectExpand) is var depth && depth > MaxExpansionDepth)
        {
            throw new QueryLimitException("maxExpansionDepth", MaxExpansionDepth, $"$expand goes {depth} levels deep; at most {MaxExpansionDepth} are allowed.");
        }
    }

    private void CheckNodes(string option, int nodes)
    {
        if (nodes > MaxFilterNodes)
        {
            throw new QueryLimitException("maxFilterNodes", MaxFilterNodes, $"{option} has {nodes} nodes; at most {MaxFilterNodes} are allowed.");
        }
    }

    /// <summary>The library's validator with the same limits, for what the named checks do not look at (nested options, any/all depth).</summary>
    internal ODataValidationSettings Validation() => new()
    {
        MaxTop = MaxTop,
        MaxSkip = MaxSkip,
        MaxExpansionDepth = MaxExpansionDepth,
        MaxOrderByNodeCount = MaxOrderByKeys,
        MaxNodeCount = MaxFilterNodes * 2,
        MaxAnyAllExpressionDepth = 2,
        // $search needs a search binder, which no feed has; every other option is served.
        AllowedQueryOptions = AllowedQueryOptions.All & ~AllowedQueryOptions.Search,
        AllowedFunctions = AllowedFunctions.AllFunctions,
        AllowedArithmeticOperators = AllowedArithmeticOperators.All,
        AllowedLogicalOperators = AllowedLogicalOperators.All,
    };
}

/// <summary>How big a parsed query is: the measure of its cost that <see cref="FeedLimits.MaxFilterNodes"/> limits.</summary>
internal static class FeedQueryNodes
{
    public static int Count(QueryNode? node) => node switch
    {
        null => 0,
        BinaryOperatorNode binary => 1 + Count(binary.Left) + Count(binary.Right),
        UnaryOperatorNode unary => 1 + Count(unary.Operand),
        ConvertNode convert => Count(convert.Source),
        SingleValueFunctionCallNode call => 1 + call.Parameters.Sum(Count),
        SingleResourceFunctionCallNode call => 1 + call.Parameters.Sum(Count),
        CollectionFunctionCallNode call => 1 + call.Parameters.Sum(Count),
        InNode @in => 1 + Count(@in.Left) + (@in.Right is CollectionConstantNode list ? list.Collection.Count : Count(@in.Right)),
        LambdaNode lambda => 1 + Count(lambda.Source) + Count(lambda.Body),
        SingleValuePropertyAccessNode access => 1 + Count(access.Source),
        CollectionPropertyAccessNode access => 1 + Count(access.Source),
        SingleNavigationNode navigation => 1 + Count(navigation.Source),
        CollectionNavigationNode navigation => 1 + Count(navigation.Source),
        CountNode count => 1 + Count(count.Source),
        ResourceRangeVariableReferenceNode or NonResourceRangeVariableReferenceNode => 0,
        _ => 1,
    };

    public static int Count(TransformationNode transformation) => transformation switch
    {
        FilterTransformationNode filter => Count(filter.FilterClause.Expression),
        AggregateTransformationNode aggregate => aggregate.AggregateExpressions.Sum(Count),
        GroupByTransformationNode groupBy => groupBy.GroupingProperties.Count() + (groupBy.ChildTransformations is { } child ? Count(child) : 0),
        ComputeTransformationNode compute => compute.Expressions.Sum(c => Count(c.Expression)),
        _ => 1,
    };

    private static int Count(AggregateExpressionBase aggregate) => aggregate switch
    {
        AggregateExpression single => 1 + Count(single.Expression),
        EntitySetAggregateExpression nested => 1 + nested.Children.Sum(Count),
        _ => 1,
    };

    /// <summary>How many levels of $expand the clause nests.</summary>
    public static int ExpansionDepth(SelectExpandClause clause) =>
        clause.SelectedItems.OfType<ExpandedNavigationSelectItem>()
            .Select(item => 1 + (item.SelectAndExpand is { } nested ? ExpansionDepth(nested) : 0))
            .DefaultIfEmpty(0).Max();
}
