using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace Mep.ServiceDefaults.Data;

/// <summary>Names as people write them on a door or a form (a building's name, a room's number): one match for every service.</summary>
public static class NamesAsWritten
{
    /// <summary>
    /// The rows whose <paramref name="nameOf"/> is <paramref name="name"/> literally, whatever its case and surrounding spaces (ILIKE
    /// without wildcards, <see cref="LikePatterns.Literal"/>); every row when <paramref name="name"/> is blank.
    /// </summary>
    public static IQueryable<T> NamedAs<T>(this IQueryable<T> rows, Expression<Func<T, string>> nameOf, string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return rows;
        }

        // Read from a closure: EF sends the pattern as a parameter.
        var pattern = LikePatterns.Literal(name.Trim());
        Expression<Func<string, bool>> like = text => EF.Functions.ILike(text, pattern, LikePatterns.EscapeCharacter);
        var body = new Substitution(like.Parameters[0], nameOf.Body).Visit(like.Body);
        return rows.Where(Expression.Lambda<Func<T, bool>>(body, nameOf.Parameters));
    }

    private sealed class Substitution(ParameterExpression parameter, Expression replacement) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? replacement : base.VisitParameter(node);
    }
}
