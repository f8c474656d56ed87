using System.Linq.Expressions;
using System.Reflection;
using Microsoft.OData;
using Microsoft.OData.UriParser;

namespace Mep.ServiceDefaults.OData;

/// <summary>
/// Turns the semantic tree Microsoft.OData.Core parses from $filter and $orderby into LINQ expressions over the read type,
/// which EF Core translates to SQL. Only what EF can translate is bound; anything else is refused here (501), never
/// evaluated on the client. Literals become query parameters, so one query shape is one cached plan.
/// </summary>
internal sealed class QueryBinder(FeedModel model)
{
    private static readonly MethodInfo StringContains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
    private static readonly MethodInfo StringStartsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;
    private static readonly MethodInfo StringEndsWith = typeof(string).GetMethod(nameof(string.EndsWith), [typeof(string)])!;
    private static readonly MethodInfo StringIndexOf = typeof(string).GetMethod(nameof(string.IndexOf), [typeof(string)])!;
    private static readonly MethodInfo StringToLower = typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!;
    private static readonly MethodInfo StringToUpper = typeof(string).GetMethod(nameof(string.ToUpper), Type.EmptyTypes)!;
    private static readonly MethodInfo StringTrim = typeof(string).GetMethod(nameof(string.Trim), Type.EmptyTypes)!;
    private static readonly MethodInfo StringSubstring1 = typeof(string).GetMethod(nameof(string.Substring), [typeof(int)])!;
    private static readonly MethodInfo StringSubstring2 = typeof(string).GetMethod(nameof(string.Substring), [typeof(int), typeof(int)])!;
    private static readonly MethodInfo StringConcat = typeof(string).GetMethod(nameof(string.Concat), [typeof(string), typeof(string)])!;
    private static readonly MethodInfo StringCompare = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;

    private readonly Dictionary<string, ParameterExpression> _rangeVariables = new(StringComparer.Ordinal);

    public Expression<Func<TRow, bool>> Filter<TRow>(FilterClause clause)
    {
        var row = Expression.Parameter(typeof(TRow), "row");
        _rangeVariables["$it"] = row;
        return Refusing(() => Expression.Lambda<Func<TRow, bool>>(AsBoolean(Bind(clause.Expression)), row));
    }

    /// <summary>One $orderby key as a lambda over the read type.</summary>
    public LambdaExpression OrderKey<TRow>(SingleValueNode key)
    {
        var row = Expression.Parameter(typeof(TRow), "row");
        _rangeVariables["$it"] = row;
        return Refusing(() =>
        {
            var value = Bind(key);
            return value.Type == typeof(object) || model.TypeOf(value.Type) is not null
                ? throw new ODataException("$orderby takes properties or expressions with a value, not null or a whole entity.")
                : Expression.Lambda(value, row);
        });
    }

    /// <summary>
    /// The parser accepts some combinations the read types cannot express (an untyped null in arithmetic, a date compared with
    /// a date and time, a literal too large for a decimal): LINQ refuses to build those, and the caller gets a 400, not a 500.
    /// </summary>
    private static T Refusing<T>(Func<T> bind)
    {
        try
        {
            return bind();
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException or OverflowException or FormatException or InvalidCastException)
        {
            throw new ODataException("The expression combines values that cannot be compared or computed together (for example a date with a " +
                                     "date and time, null in arithmetic, or a number too large for the property).", error);
        }
    }

    private Expression Bind(QueryNode node) => node switch
    {
        ConstantNode constant => Constant(constant.Value, constant.TypeReference is null ? typeof(object) : EdmValues.ClrType(constant.TypeReference, model.EnumTypes)),
        ConvertNode convert => Convert(convert),
        SingleValuePropertyAccessNode access => Property(Bind(access.Source), access.Property.Name),
        SingleNavigationNode navigation => Property(Bind(navigation.Source), navigation.NavigationProperty.Name),
        CollectionNavigationNode navigation => Property(Bind(navigation.Source), navigation.NavigationProperty.Name),
        CollectionPropertyAccessNode access => Property(Bind(access.Source), access.Property.Name),
        ResourceRangeVariableReferenceNode reference => RangeVariable(reference.Name),
        NonResourceRangeVariableReferenceNode reference => RangeVariable(reference.Name),
        BinaryOperatorNode binary => Binary(binary),
        UnaryOperatorNode { OperatorKind: UnaryOperatorKind.Not } not => Expression.Not(AsBoolean(Bind(not.Operand))),
        UnaryOperatorNode { OperatorKind: UnaryOperatorKind.Negate } negate => Expression.Negate(Bind(negate.Operand)),
        SingleValueFunctionCallNode call => Function(call),
        InNode @in => In(@in),
        AnyNode any => Lambda(any, nameof(Enumerable.Any)),
        AllNode all => Lambda(all, nameof(Enumerable.All)),
        CountNode count => Expression.Call(typeof(Enumerable), nameof(Enumerable.LongCount), [ElementOf(Bind(count.Source))], Bind(count.Source)),
        _ => throw new UnsupportedQueryException($"the expression {node.Kind} in $filter or $orderby"),
    };

    private ParameterExpression RangeVariable(string name) =>
        _rangeVariables.TryGetValue(name, out var parameter) ? parameter : throw new ODataException($"The range variable '{name}' is not in scope.");

    private MemberExpression Property(Expression source, string edmName)
    {
        var type = model.TypeOf(source.Type) ?? throw new UnsupportedQueryException($"properties of {source.Type.Name}");
        var property = type.ClrProperty(edmName);
        if (source != _rangeVariables["$it"] && type.Navigations.Any(n => n.Clr == property))
        {
            // Feeds navigate one level from the row: row sources project their navigation's own navigation not at all.
            throw new UnsupportedQueryException("paths through more than one navigation property");
        }

        return Expression.Property(source, property);
    }

    /// <summary>A literal as a query parameter (a captured value, not an inline constant): EF then reuses one plan for every value.</summary>
    private static Expression Constant(object? value, Type type)
    {
        if (value is null)
        {
            return Expression.Constant(null, type.IsValueType && Nullable.GetUnderlyingType(type) is null ? typeof(Nullable<>).MakeGenericType(type) : type);
        }

        return Captured(EdmValues.FromLiteral(value, type), type);
    }

    /// <summary>
    /// A value read from a closure and converted to its type: EF evaluates the whole subtree once and sends it as one SQL
    /// parameter (an inline constant would be a new query for EF to compile for every value).
    /// </summary>
    internal static Expression Captured(object? value, Type type)
    {
        Expression<Func<object?>> read = () => value;
        return Expression.Convert(read.Body, type);
    }

    private Expression Convert(ConvertNode convert)
    {
        var target = EdmValues.ClrType(convert.TypeReference, model.EnumTypes);
        if (convert.Source is ConstantNode constant)
        {
            return Constant(constant.Value, target);
        }

        var source = Bind(convert.Source);
        return source.Type == target ? source : Expression.Convert(source, target);
    }

    private BinaryExpression Binary(BinaryOperatorNode binary)
    {
        var (left, right) = Unify(Bind(binary.Left), Bind(binary.Right));
        switch (binary.OperatorKind)
        {
            case BinaryOperatorKind.And:
                return Expression.AndAlso(AsBoolean(left), AsBoolean(right));
            case BinaryOperatorKind.Or:
                return Expression.OrElse(AsBoolean(left), AsBoolean(right));
            case BinaryOperatorKind.Equal:
                return Expression.Equal(left, right);
            case BinaryOperatorKind.NotEqual:
                return Expression.NotEqual(left, right);
            case BinaryOperatorKind.Has:
                // Enums here are single values, stored by name (no [Flags]): a value has a member exactly when it is that member.
                return Expression.Equal(left, right);
            case BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual:
                return Compare(binary.OperatorKind, left, right);
            case BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide or BinaryOperatorKind.Modulo
                when Array.IndexOf(NumericOrder, Nullable.GetUnderlyingType(left.Type) ?? left.Type) < 0:
                throw new UnsupportedQueryException("arithmetic on anything but numbers (dates and durations included)");
            case BinaryOperatorKind.Add:
                return Expression.Add(left, right);
            case BinaryOperatorKind.Subtract:
                return Expression.Subtract(left, right);
            case BinaryOperatorKind.Multiply:
                return Expression.Multiply(left, right);
            case BinaryOperatorKind.Divide:
                return Expression.Divide(left, right);
            case BinaryOperatorKind.Modulo:
                return Expression.Modulo(left, right);
            default:
                throw new UnsupportedQueryException($"the operator {binary.OperatorKind}");
        }
    }

    private static BinaryExpression Compare(BinaryOperatorKind kind, Expression left, Expression right)
    {
        var underlying = Nullable.GetUnderlyingType(left.Type) ?? left.Type;
        if (underlying.IsEnum)
        {
            // Stored by name: an order comparison would compare names, not the order the members are declared in.
            throw new UnsupportedQueryException("gt, ge, lt and le on enum values (use eq, ne, in or has)");
        }

        if (left.Type == typeof(string))
        {
            left = Expression.Call(StringCompare, left, right);
            right = Expression.Constant(0);
        }
        else if (underlying == typeof(bool) || underlying == typeof(Guid))
        {
            throw new UnsupportedQueryException($"gt, ge, lt and le on {underlying.Name} values");
        }

        return kind switch
        {
            BinaryOperatorKind.GreaterThan => Expression.GreaterThan(left, right),
            BinaryOperatorKind.GreaterThanOrEqual => Expression.GreaterThanOrEqual(left, right),
            BinaryOperatorKind.LessThan => Expression.LessThan(left, right),
            _ => Expression.LessThanOrEqual(left, right),
        };
    }

    /// <summary>Both sides of an operator as one type: T and T? become T?, and a numeric side is widened to the other.</summary>
    private static (Expression Left, Expression Right) Unify(Expression left, Expression right)
    {
        if (left.Type == right.Type)
        {
            return (left, right);
        }

        var leftCore = Nullable.GetUnderlyingType(left.Type) ?? left.Type;
        var rightCore = Nullable.GetUnderlyingType(right.Type) ?? right.Type;
        var core = leftCore == rightCore ? leftCore : Wider(leftCore, rightCore);
        var nullable = !left.Type.IsValueType || !right.Type.IsValueType || left.Type != leftCore || right.Type != rightCore;
        var target = nullable && core.IsValueType ? typeof(Nullable<>).MakeGenericType(core) : core;
        return (To(left, target), To(right, target));
    }

    private static Expression To(Expression expression, Type type) =>
        expression.Type == type ? expression
        : expression is ConstantExpression { Value: null } ? Expression.Constant(null, type)
        : Expression.Convert(expression, type);

    private static readonly Type[] NumericOrder = [typeof(byte), typeof(short), typeof(int), typeof(long), typeof(float), typeof(double), typeof(decimal)];

    private static Type Wider(Type a, Type b)
    {
        if (a == typeof(object))
        {
            return b;
        }

        if (b == typeof(object))
        {
            return a;
        }

        var (ia, ib) = (Array.IndexOf(NumericOrder, a), Array.IndexOf(NumericOrder, b));
        return ia >= 0 && ib >= 0
            ? NumericOrder[Math.Max(ia, ib)]
            : throw new ODataException($"Values of type {a.Name} and {b.Name} cannot be compared.");
    }

    private static Expression AsBoolean(Expression expression) =>
        expression.Type == typeof(bool) ? expression
        : expression.Type == typeof(bool?) ? Expression.Equal(expression, Expression.Constant(true, typeof(bool?)))
        : throw new ODataException("The expression must be true or false.");

    private Expression Function(SingleValueFunctionCallNode call)
    {
        var arguments = call.Parameters.Select(Bind).ToList();
        Expression Text(int i) => arguments[i].Type == typeof(string) ? arguments[i] : throw new ODataException($"{call.Name} takes text.");
        Expression Int(int i) => To(arguments[i], typeof(int));
        return (call.Name, arguments.Count) switch
        {
            ("contains", 2) => Expression.Call(Text(0), StringContains, Text(1)),
            ("startswith", 2) => Expression.Call(Text(0), StringStartsWith, Text(1)),
            ("endswith", 2) => Expression.Call(Text(0), StringEndsWith, Text(1)),
            ("indexof", 2) => Expression.Call(Text(0), StringIndexOf, Text(1)),
            ("tolower", 1) => Expression.Call(Text(0), StringToLower),
            ("toupper", 1) => Expression.Call(Text(0), StringToUpper),
            ("trim", 1) => Expression.Call(Text(0), StringTrim),
            ("length", 1) => Expression.Property(Text(0), nameof(string.Length)),
            ("substring", 2) => Expression.Call(Text(0), StringSubstring1, Int(1)),
            ("substring", 3) => Expression.Call(Text(0), StringSubstring2, Int(1), Int(2)),
            ("concat", 2) => Expression.Call(StringConcat, Text(0), Text(1)),
            ("year" or "month" or "day", 1) => DatePart(arguments[0], call.Name),
            ("hour" or "minute" or "second", 1) => DatePart(arguments[0], call.Name),
            ("now", 0) => Expression.Property(null, typeof(DateTimeOffset), nameof(DateTimeOffset.UtcNow)),
            ("round" or "floor" or "ceiling", 1) => MathCall(arguments[0], call.Name),
            _ => throw new UnsupportedQueryException($"the function {call.Name}"),
        };
    }

    /// <summary>year(), month(), ... of a date, time or instant (instants are stored in UTC, so these are UTC parts, as PostgreSQL computes them).</summary>
    private static Expression DatePart(Expression value, string part)
    {
        var type = Nullable.GetUnderlyingType(value.Type) ?? value.Type;
        var member = type.GetProperty(char.ToUpperInvariant(part[0]) + part[1..]);
        if ((type != typeof(DateTimeOffset) && type != typeof(DateOnly) && type != typeof(TimeOnly)) || member is null)
        {
            throw new ODataException($"{part} does not apply to a value of type {type.Name}.");
        }

        if (value.Type == type)
        {
            return Expression.Property(value, member);
        }

        // A missing date has no year: the comparison it is part of is then not true, as in SQL.
        return Expression.Condition(Expression.Equal(value, Expression.Constant(null, value.Type)), Expression.Constant(null, typeof(int?)),
            Expression.Convert(Expression.Property(Expression.Property(value, nameof(Nullable<int>.Value)), member), typeof(int?)));
    }

    private static MethodCallExpression MathCall(Expression value, string name)
    {
        var type = Nullable.GetUnderlyingType(value.Type) ?? value.Type;
        if (type != typeof(decimal) && type != typeof(double))
        {
            throw new ODataException($"{name} takes a decimal or double.");
        }

        var method = typeof(Math).GetMethod(char.ToUpperInvariant(name[0]) + name[1..], [type])!;
        return Expression.Call(method, To(value, type));
    }

    private MethodCallExpression In(InNode node)
    {
        var left = Bind(node.Left);
        if (node.Right is not CollectionConstantNode constants)
        {
            throw new UnsupportedQueryException("in with anything but a list of values");
        }

        var elementType = left.Type;
        var values = Array.CreateInstance(elementType, constants.Collection.Count);
        for (var i = 0; i < constants.Collection.Count; i++)
        {
            values.SetValue(EdmValues.FromLiteral(constants.Collection[i].Value, elementType), i);
        }

        return Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [elementType], Captured(values, values.GetType()), left);
    }

    private MethodCallExpression Lambda(LambdaNode node, string method)
    {
        var source = Bind(node.Source);
        var element = ElementOf(source);
        if (node.CurrentRangeVariable is null)
        {
            // any() without a condition: the collection has an element.
            return Expression.Call(typeof(Enumerable), nameof(Enumerable.Any), [element], source);
        }

        var parameter = Expression.Parameter(element, node.CurrentRangeVariable.Name);
        _rangeVariables[node.CurrentRangeVariable.Name] = parameter;
        try
        {
            var body = AsBoolean(Bind(node.Body));
            return Expression.Call(typeof(Enumerable), method, [element], source, Expression.Lambda(body, parameter));
        }
        finally
        {
            _rangeVariables.Remove(node.CurrentRangeVariable.Name);
        }
    }

    private static Type ElementOf(Expression collection) =>
        EdmValues.ElementType(collection.Type) ?? throw new ODataException("any, all and $count need a collection.");
}
