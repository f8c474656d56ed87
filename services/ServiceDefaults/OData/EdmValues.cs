using System.Collections;
using System.Reflection;
using Microsoft.OData;
using Microsoft.OData.Edm;

namespace Mep.ServiceDefaults.OData;

/// <summary>CLR types and values to their EDM counterparts and back: for $metadata, for literals in a query and for the payload.</summary>
internal static class EdmValues
{
    private static readonly NullabilityInfoContext Nullability = new();

    private static readonly Dictionary<Type, EdmPrimitiveTypeKind> Primitives = new()
    {
        [typeof(string)] = EdmPrimitiveTypeKind.String,
        [typeof(Guid)] = EdmPrimitiveTypeKind.Guid,
        [typeof(bool)] = EdmPrimitiveTypeKind.Boolean,
        [typeof(byte)] = EdmPrimitiveTypeKind.Byte,
        [typeof(short)] = EdmPrimitiveTypeKind.Int16,
        [typeof(int)] = EdmPrimitiveTypeKind.Int32,
        [typeof(long)] = EdmPrimitiveTypeKind.Int64,
        [typeof(decimal)] = EdmPrimitiveTypeKind.Decimal,
        [typeof(double)] = EdmPrimitiveTypeKind.Double,
        [typeof(float)] = EdmPrimitiveTypeKind.Single,
        [typeof(DateTimeOffset)] = EdmPrimitiveTypeKind.DateTimeOffset,
        [typeof(DateOnly)] = EdmPrimitiveTypeKind.Date,
        [typeof(TimeOnly)] = EdmPrimitiveTypeKind.TimeOfDay,
        [typeof(TimeSpan)] = EdmPrimitiveTypeKind.Duration,
    };

    private static readonly Dictionary<EdmPrimitiveTypeKind, Type> ClrPrimitives = Primitives.ToDictionary(p => p.Value, p => p.Key);

    /// <summary>The element type of a list, array or other sequence (not of string), else null.</summary>
    public static Type? ElementType(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) && type.GetGenericArguments() is [var element] ? element : null;
    }

    /// <summary>The EDM type of a read type's structural property (primitive, enum, or a collection of either); null when it has none.</summary>
    public static IEdmTypeReference? TypeReference(PropertyInfo property, EdmModel model, Dictionary<Type, EdmEnumType> enums, string serviceNamespace)
    {
        if (ElementType(property.PropertyType) is { } element)
        {
            return ScalarReference(element, nullable: Nullable.GetUnderlyingType(element) is not null, model, enums, serviceNamespace) is { } item
                ? new EdmCollectionTypeReference(new EdmCollectionType(item))
                : null;
        }

        var nullable = property.PropertyType.IsValueType
            ? Nullable.GetUnderlyingType(property.PropertyType) is not null
            : Nullability.Create(property).ReadState != NullabilityState.NotNull;
        return ScalarReference(property.PropertyType, nullable, model, enums, serviceNamespace);
    }

    private static IEdmTypeReference? ScalarReference(Type type, bool nullable, EdmModel model, Dictionary<Type, EdmEnumType> enums, string serviceNamespace)
    {
        var clr = Nullable.GetUnderlyingType(type) ?? type;
        if (clr.IsEnum)
        {
            if (!enums.TryGetValue(clr, out var enumType))
            {
                // One namespace holds the entity and enum types: a clash would break every query on the feed, so refuse it at start.
                if (model.FindDeclaredType($"{serviceNamespace}.{clr.Name}") is not null)
                {
                    throw new InvalidOperationException(
                        $"The feed's enum {clr.Name} has the name of another type in {serviceNamespace}; give the entity type another name.");
                }

                enumType = new EdmEnumType(serviceNamespace, clr.Name, EdmPrimitiveTypeKind.Int32, isFlags: clr.IsDefined(typeof(FlagsAttribute)));
                foreach (var member in Enum.GetValues(clr))
                {
                    enumType.AddMember(member.ToString()!, new EdmEnumMemberValue(Convert.ToInt64(member, System.Globalization.CultureInfo.InvariantCulture)));
                }

                model.AddElement(enumType);
                enums[clr] = enumType;
            }

            return new EdmEnumTypeReference(enumType, nullable);
        }

        return Primitives.TryGetValue(clr, out var kind) ? EdmCoreModel.Instance.GetPrimitive(kind, nullable) : null;
    }

    /// <summary>The CLR type a value of this EDM type has in the read types (for the binder's conversions).</summary>
    public static Type ClrType(IEdmTypeReference type, IReadOnlyDictionary<Type, EdmEnumType> enums)
    {
        Type clr;
        if (type.IsEnum())
        {
            var name = type.FullName();
            clr = enums.FirstOrDefault(e => e.Value.FullName() == name).Key
                  ?? throw new ODataException($"The enum type {name} is not part of this feed.");
        }
        else if (type.IsPrimitive() && ClrPrimitives.TryGetValue(type.AsPrimitive().PrimitiveKind(), out var primitive))
        {
            clr = primitive;
        }
        else
        {
            throw new UnsupportedQueryException($"values of type {type.FullName()}");
        }

        return type.IsNullable && clr.IsValueType ? typeof(Nullable<>).MakeGenericType(clr) : clr;
    }

    /// <summary>A literal from the query as the CLR value the read type holds (<see cref="Date"/> as DateOnly, an enum member as the enum).</summary>
    public static object? FromLiteral(object? value, Type target)
    {
        var clr = Nullable.GetUnderlyingType(target) ?? target;
        return value switch
        {
            null => null,
            ODataEnumValue member when clr.IsEnum => Enum.TryParse(clr, member.Value, ignoreCase: false, out var parsed)
                ? parsed
                : throw new ODataException($"'{member.Value}' is not a member of {clr.Name}; use one of {string.Join(", ", Enum.GetNames(clr))}."),
            string text when clr.IsEnum => Enum.TryParse(clr, text, ignoreCase: false, out var parsed) && Enum.IsDefined(clr, parsed!)
                ? parsed
                : throw new ODataException($"'{text}' is not a member of {clr.Name}; use one of {string.Join(", ", Enum.GetNames(clr))}."),
            Date date when clr == typeof(DateOnly) => new DateOnly(date.Year, date.Month, date.Day),
            TimeOfDay time when clr == typeof(TimeOnly) => new TimeOnly(time.Hours, time.Minutes, time.Seconds).Add(TimeSpan.FromMilliseconds(time.Milliseconds)),
            DateTimeOffset instant when clr == typeof(DateTimeOffset) => instant.ToUniversalTime(),
            _ when clr.IsInstanceOfType(value) => value,
            IConvertible when clr.IsPrimitive || clr == typeof(decimal) => Convert.ChangeType(value, clr, System.Globalization.CultureInfo.InvariantCulture),
            _ => throw new ODataException($"A {value.GetType().Name} literal cannot be compared with a {clr.Name} value."),
        };
    }

    /// <summary>A read type's value as the OData writer takes it.</summary>
    public static object? ToPayload(object? value, IEdmTypeReference type) => value switch
    {
        null => null,
        DateOnly date => new Date(date.Year, date.Month, date.Day),
        TimeOnly time => new TimeOfDay(time.Hour, time.Minute, time.Second, time.Millisecond),
        Enum member => new ODataEnumValue(member.ToString(), type.FullName()),
        IEnumerable items and not string => new ODataCollectionValue
        {
            TypeName = type.FullName(),
            Items = items.Cast<object?>().Select(item => ToPayload(item, type.AsCollection().ElementType())).ToList(),
        },
        _ => value,
    };
}
