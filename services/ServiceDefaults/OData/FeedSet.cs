using Mep.ServiceDefaults.Data;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace Mep.ServiceDefaults.OData;

/// <summary>The rows of one response: a page (with one row more read to know whether another page follows) and the total when asked.</summary>
internal sealed record FeedResult(IReadOnlyList<object> Rows, long? Count, bool More);

/// <summary>An entity set: its declaration, and once the model is built its EDM set and read type.</summary>
internal abstract class FeedSet(string name, string typeName, Type rowType, IReadOnlyList<PropertyInfo> keys, string policy)
{
    public string Name { get; } = name;

    public string TypeName { get; } = typeName;

    public Type RowType { get; } = rowType;

    public IReadOnlyList<PropertyInfo> Keys { get; } = keys;

    public string Policy { get; } = policy;

    public FeedType Type { get; private set; } = null!;

    public EdmEntitySet EdmSet { get; private set; } = null!;

    public void Bind(EdmEntitySet set, FeedType type) => (EdmSet, Type) = (set, type);

    /// <summary>Runs the query in the database: $filter, the key, $count, $orderby, paging and $select/$expand all become one SQL statement (two with a count).</summary>
    public abstract Task<FeedResult> ReadAsync(HttpContext context, FeedModel model, FeedQuery query, CancellationToken cancellationToken);
}

internal sealed class FeedSet<TRow>(string name, string typeName, IReadOnlyList<PropertyInfo> keys, string policy, Func<HttpContext, IQueryable<TRow>> rows)
    : FeedSet(name, typeName, typeof(TRow), keys, policy)
    where TRow : class, new()
{
    public override async Task<FeedResult> ReadAsync(HttpContext context, FeedModel model, FeedQuery query, CancellationToken cancellationToken)
    {
        var matching = rows(context);
        if (query.Filter is not null)
        {
            matching = matching.Where(new QueryBinder(model).Filter<TRow>(query.Filter));
        }

        if (query.Key is not null)
        {
            matching = matching.Where(KeyEquals(query.Key));
        }

        if (query.CountOnly)
        {
            return new FeedResult([], await matching.LongCountAsync(cancellationToken), More: false);
        }

        // One row more than the page tells whether another page follows, unless $top ends the rows here anyway.
        var lastPage = query.Top is { } top && top <= query.Take;
        var page = Order(matching, model, query.OrderBy).Page((int)query.Skip, lastPage ? query.Take : query.Take + 1)
            .Select(Projection(query.Selection));
        List<TRow> found;
        long? count = null;
        if (query.Count)
        {
            // The total rides along as an uncorrelated scalar subquery, which PostgreSQL computes once: one round trip, not two.
            var counted = await page.Select(row => new CountedRow { Row = row, Total = matching.LongCount() }).ToListAsync(cancellationToken);
            found = counted.ConvertAll(c => c.Row);
            count = counted.Count > 0 ? counted[0].Total : await matching.LongCountAsync(cancellationToken);
        }
        else
        {
            found = await page.ToListAsync(cancellationToken);
        }

        var more = found.Count > query.Take;
        return new FeedResult(more ? found.GetRange(0, query.Take) : found, count, more);
    }

    private sealed class CountedRow
    {
        public TRow Row { get; init; } = null!;
        public long Total { get; init; }
    }

    private static Expression<Func<TRow, bool>> KeyEquals(IReadOnlyDictionary<string, object> key)
    {
        var row = Expression.Parameter(typeof(TRow), "row");
        var equals = key.Select(part =>
        {
            var property = typeof(TRow).GetProperty(part.Key)!;
            return (Expression)Expression.Equal(Expression.Property(row, property), QueryBinder.Captured(part.Value, property.PropertyType));
        });
        return Expression.Lambda<Func<TRow, bool>>(equals.Aggregate(Expression.AndAlso), row);
    }

    /// <summary>The requested order, then the key, so that pages never overlap or skip whatever the order's ties.</summary>
    private IQueryable<TRow> Order(IQueryable<TRow> rows, FeedModel model, OrderByClause? clause)
    {
        var first = true;
        var ordered = new List<PropertyInfo>();
        for (; clause is not null; clause = clause.ThenBy)
        {
            var key = new QueryBinder(model).OrderKey<TRow>(clause.Expression);
            rows = Apply(rows, key, first, clause.Direction == OrderByDirection.Descending);
            if (key.Body is MemberExpression { Member: PropertyInfo property })
            {
                ordered.Add(property);
            }

            first = false;
        }

        foreach (var key in Keys.Except(ordered))
        {
            var row = Expression.Parameter(typeof(TRow), "row");
            rows = Apply(rows, Expression.Lambda(Expression.Property(row, key), row), first, descending: false);
            first = false;
        }

        return rows;
    }

    private static IQueryable<TRow> Apply(IQueryable<TRow> rows, LambdaExpression key, bool first, bool descending)
    {
        var method = (first, descending) switch
        {
            (true, false) => nameof(Queryable.OrderBy),
            (true, true) => nameof(Queryable.OrderByDescending),
            (false, false) => nameof(Queryable.ThenBy),
            (false, true) => nameof(Queryable.ThenByDescending),
        };
        return rows.Provider.CreateQuery<TRow>(Expression.Call(typeof(Queryable), method, [typeof(TRow), key.ReturnType], rows.Expression, Expression.Quote(key)));
    }

    /// <summary>
    /// <c>row => new TRow { selected properties, expanded navigation (with its own selection) }</c>: EF reads only these columns
    /// and joins only the expanded navigation. The key is always read (the writer identifies rows by it).
    /// </summary>
    private Expression<Func<TRow, TRow>> Projection(FeedSelection selection)
    {
        var row = Expression.Parameter(typeof(TRow), "row");
        return Expression.Lambda<Func<TRow, TRow>>(Init(row, Type, selection.Properties, selection.Expansions), row);
    }

    private static MemberInitExpression Init(Expression source, FeedType type, IReadOnlyList<FeedProperty> properties, IReadOnlyList<FeedExpansion> expansions)
    {
        var bindings = properties.Concat(type.Keys).Distinct()
            .Select(p => (MemberBinding)Expression.Bind(p.Clr, Expression.Property(source, p.Clr))).ToList();
        foreach (var (navigation, nested) in expansions)
        {
            var value = Expression.Property(source, navigation.Clr);
            var target = navigation.Target.Clr;
            if (navigation.IsCollection)
            {
                var item = Expression.Parameter(target, "item");
                var select = Expression.Call(typeof(Enumerable), nameof(Enumerable.Select), [target, target], value,
                    Expression.Lambda(Init(item, navigation.Target, nested, []), item));
                var materialise = navigation.Clr.PropertyType.IsArray ? nameof(Enumerable.ToArray) : nameof(Enumerable.ToList);
                bindings.Add(Expression.Bind(navigation.Clr, Expression.Call(typeof(Enumerable), materialise, [target], select)));
            }
            else
            {
                bindings.Add(Expression.Bind(navigation.Clr, Expression.Condition(Expression.Equal(value, Expression.Constant(null, target)),
                    Expression.Constant(null, target), Init(value, navigation.Target, nested, []))));
            }
        }

        return Expression.MemberInit(Expression.New(type.Clr), bindings);
    }
}
