using System.Linq.Expressions;

namespace Mep.ServiceDefaults.Data;

public static class PageQueries
{
    /// <summary>
    /// <c>Skip(skip).Take(take)</c> with both numbers sent as SQL parameters. Plain <c>Skip(n)</c> puts n into the expression
    /// as a constant, which EF Core inlines into the SQL (<c>OFFSET 100</c>): every page number is then a query EF compiles
    /// anew, tens of milliseconds each time. Read from a closure, they are parameters and one compiled query serves every page.
    /// </summary>
    public static IQueryable<T> Page<T>(this IQueryable<T> rows, int skip, int take)
    {
        Expression<Func<int>> skipped = () => skip;
        Expression<Func<int>> taken = () => take;
        var paged = Expression.Call(typeof(Queryable), nameof(Queryable.Take), [typeof(T)],
            Expression.Call(typeof(Queryable), nameof(Queryable.Skip), [typeof(T)], rows.Expression, skipped.Body), taken.Body);
        return rows.Provider.CreateQuery<T>(paged);
    }
}
