using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.OData.Query.Expressions;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace Mep.Feeds;

/// <summary>
/// The library's filter binder with three corrections for the feeds' PostgreSQL columns: a date compared with a date is one SQL
/// comparison (the library compares year, month and day arithmetic, which no index serves); <c>now()</c> beside a date is
/// today in Europe/Berlin, so a saved query like <c>PlannedOn lt now()</c> stays relative; and enums, stored by name, compare
/// only by equality (<c>has</c> of a member is equality, as none of the feeds' enums is a flags enum).
/// </summary>
internal sealed class FeedFilterBinder : FilterBinder
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public override Expression BindBinaryOperatorNode(BinaryOperatorNode binaryOperatorNode, QueryBinderContext context)
    {
        ArgumentNullException.ThrowIfNull(binaryOperatorNode);
        var (kind, left, right) = (binaryOperatorNode.OperatorKind, binaryOperatorNode.Left, binaryOperatorNode.Right);
        if (IsEnum(left) || IsEnum(right))
        {
            switch (kind)
            {
                case BinaryOperatorKind.Has:
                    return base.BindBinaryOperatorNode(new BinaryOperatorNode(BinaryOperatorKind.Equal, left, right), context);
                case BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual:
                    throw new ODataException($"Enum values compare with eq, ne, has and in only, not with {kind}: their members have no order.");
            }
        }

        if (Comparison(kind) is { } comparison && (IsDate(left) || IsDate(right))
            && AsDate(left, context) is { } leftDate && AsDate(right, context) is { } rightDate)
        {
            if (leftDate.Type != rightDate.Type)
            {
                (leftDate, rightDate) = (Expression.Convert(leftDate, typeof(DateOnly?)), Expression.Convert(rightDate, typeof(DateOnly?)));
            }

            return Expression.MakeBinary(comparison, leftDate, rightDate);
        }

        return base.BindBinaryOperatorNode(binaryOperatorNode, context);
    }

    private static ExpressionType? Comparison(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.Equal => ExpressionType.Equal,
        BinaryOperatorKind.NotEqual => ExpressionType.NotEqual,
        BinaryOperatorKind.LessThan => ExpressionType.LessThan,
        BinaryOperatorKind.LessThanOrEqual => ExpressionType.LessThanOrEqual,
        BinaryOperatorKind.GreaterThan => ExpressionType.GreaterThan,
        BinaryOperatorKind.GreaterThanOrEqual => ExpressionType.GreaterThanOrEqual,
        _ => null,
    };

    private static bool IsEnum(SingleValueNode node) => Unconverted(node).TypeReference?.IsEnum() == true;

    private static bool IsDate(SingleValueNode node) => Unconverted(node).TypeReference?.IsDate() == true;

    private static SingleValueNode Unconverted(SingleValueNode node) => node is ConvertNode convert ? Unconverted(convert.Source) : node;

    /// <summary>The node as a DateOnly expression (a literal and today as parameters), or null when it is no day.</summary>
    private Expression? AsDate(SingleValueNode node, QueryBinderContext context)
    {
        var source = Unconverted(node);
        switch (source)
        {
            case ConstantNode { Value: null }:
                return Expression.Constant(null, typeof(DateOnly?));
            case ConstantNode { Value: Date date }:
                return Parameter(new DateOnly(date.Year, date.Month, date.Day));
            case SingleValueFunctionCallNode { Name: "now" }:
            case SingleValueFunctionCallNode { Name: "date", Parameters: var arguments } when arguments.SingleOrDefault() is SingleValueFunctionCallNode { Name: "now" }:
                return Parameter(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Berlin).DateTime));
        }

        var bound = Bind(source, context);
        return bound.Type == typeof(DateOnly) || bound.Type == typeof(DateOnly?) ? bound : null;
    }

    /// <summary>A value read from a closure, so that EF sends it as a parameter and reuses the plan.</summary>
    private static MemberExpression Parameter(DateOnly day) =>
        Expression.Field(Expression.Constant(new StrongBox<DateOnly>(day)), nameof(StrongBox<DateOnly>.Value));
}
