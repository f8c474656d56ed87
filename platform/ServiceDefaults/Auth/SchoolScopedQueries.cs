using System.Linq.Expressions;
using System.Security.Claims;

namespace Mep.ServiceDefaults.Auth;

public static class SchoolScopedQueries
{
    /// <summary>
    /// The rows the caller may see: for a school key only its school's (by <paramref name="schoolOf"/>), for staff all. Staff
    /// queries get no school condition at all (not "@school IS NULL OR ..."), so PostgreSQL plans them as plain queries.
    /// </summary>
    public static IQueryable<T> VisibleTo<T>(this IQueryable<T> rows, ClaimsPrincipal user, Expression<Func<T, Guid>> schoolOf)
    {
        return user.SchoolScope() is { } school ? rows.OfSchool(school, schoolOf) : rows;
    }

    /// <summary>The rows of one school (by <paramref name="schoolOf"/>): a plain equality on a parameter, which an index on the school serves.</summary>
    public static IQueryable<T> OfSchool<T>(this IQueryable<T> rows, Guid school, Expression<Func<T, Guid>> schoolOf)
    {
        // Read from a closure: EF sends the school as a parameter.
        Expression<Func<Guid>> selected = () => school;
        return rows.Where(Expression.Lambda<Func<T, bool>>(Expression.Equal(schoolOf.Body, selected.Body), schoolOf.Parameters));
    }
}
