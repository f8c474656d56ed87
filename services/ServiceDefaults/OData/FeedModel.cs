using System.Linq.Expressions;
using System.Reflection;
using Microsoft.OData.Edm;

namespace Mep.ServiceDefaults.OData;

/// <summary>
/// A service's OData feed as declared in its Program.cs: entity sets over read types, each with its key, who may read it and
/// where its rows come from. The EDM model is derived from the read types once, when the feed is first used.
/// </summary>
/// <remarks>
/// Read types are classes with a parameterless constructor and settable (or init) properties, named as the feed shows them
/// (PascalCase). A property whose type is another set's read type (or a list of them) is a navigation property for $expand;
/// a list of primitives or enums is a collection property for any/all.
/// </remarks>
public sealed class FeedBuilder(string serviceNamespace)
{
    private readonly List<FeedSet> _sets = [];

    public string Namespace { get; } = serviceNamespace;

    /// <param name="name">The entity set's name in the URL (<c>/odata/Devices</c>).</param>
    /// <param name="typeName">The entity type's name in $metadata (<c>Device</c>).</param>
    /// <param name="key">The key property (<c>d => d.Id</c>), or several (<c>y => new { y.SchoolId, y.StartYear }</c>).</param>
    /// <param name="policy">The authorization policy a caller needs to read the set.</param>
    /// <param name="rows">
    /// The rows this caller may see, before any query option is applied: a school key's rows are limited here, so no
    /// $filter, $select or $expand can reach further.
    /// </param>
    public FeedBuilder EntitySet<TRow>(string name, string typeName, Expression<Func<TRow, object?>> key, string policy,
        Func<HttpContext, IQueryable<TRow>> rows)
        where TRow : class, new()
    {
        _sets.Add(new FeedSet<TRow>(name, typeName, KeyProperties(key), policy, rows));
        return this;
    }

    internal FeedModel Build() => new(Namespace, _sets);

    private static List<PropertyInfo> KeyProperties<TRow>(Expression<Func<TRow, object?>> key)
    {
        var body = key.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : key.Body;
        IEnumerable<Expression> parts = body is NewExpression composite ? composite.Arguments : [body];
        return [.. parts.Select(part => part is MemberExpression { Member: PropertyInfo property } && property.DeclaringType == typeof(TRow)
            ? property
            : throw new ArgumentException("The key is properties of the read type: d => d.Id or y => new { y.SchoolId, y.StartYear }.", nameof(key)))];
    }
}

/// <summary>The EDM model and what the query binder and writer need to know about each read type.</summary>
internal sealed class FeedModel
{
    public FeedModel(string serviceNamespace, IReadOnlyList<FeedSet> sets)
    {
        Namespace = serviceNamespace;
        var model = new EdmModel();
        var container = new EdmEntityContainer(serviceNamespace, "Container");
        model.AddElement(container);
        var enums = new Dictionary<Type, EdmEnumType>();

        // Types first (navigation needs every target), then their properties, then the sets and their navigation bindings.
        foreach (var set in sets)
        {
            var type = new EdmEntityType(serviceNamespace, set.TypeName);
            model.AddElement(type);
            _types[set.RowType] = new FeedType(set.RowType, type, set.Keys);
        }

        foreach (var feedType in _types.Values)
        {
            foreach (var property in feedType.Clr.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.CanWrite))
            {
                if (NavigationTarget(property.PropertyType) is { } target)
                {
                    var isCollection = target != property.PropertyType;
                    var edm = feedType.Edm.AddUnidirectionalNavigation(new EdmNavigationPropertyInfo
                    {
                        Name = property.Name,
                        Target = _types[target].Edm,
                        TargetMultiplicity = isCollection ? EdmMultiplicity.Many : EdmMultiplicity.ZeroOrOne,
                    });
                    feedType.Add(new FeedNavigation(property, edm, _types[target], isCollection));
                    continue;
                }

                var typeReference = EdmValues.TypeReference(property, model, enums, serviceNamespace)
                                    ?? throw new InvalidOperationException($"{feedType.Clr.Name}.{property.Name}: {property.PropertyType.Name} has no OData type.");
                var structural = feedType.Edm.AddStructuralProperty(property.Name, typeReference);
                if (feedType.KeyProperties.Contains(property))
                {
                    feedType.Edm.AddKeys(structural);
                }

                feedType.Add(new FeedProperty(property, structural));
            }
        }

        foreach (var set in sets)
        {
            var entitySet = container.AddEntitySet(set.Name, _types[set.RowType].Edm);
            set.Bind(entitySet, _types[set.RowType]);
            _sets[set.Name] = set;
        }

        foreach (var set in sets)
        {
            foreach (var navigation in set.Type.Navigations)
            {
                if (sets.FirstOrDefault(s => s.RowType == navigation.Target.Clr) is { } targetSet)
                {
                    set.EdmSet.AddNavigationTarget(navigation.Edm, targetSet.EdmSet);
                }
            }
        }

        Edm = model;
        EnumTypes = enums;
    }

    private readonly Dictionary<Type, FeedType> _types = [];
    private readonly Dictionary<string, FeedSet> _sets = new(StringComparer.Ordinal);

    public string Namespace { get; }

    public IEdmModel Edm { get; }

    public IReadOnlyDictionary<Type, EdmEnumType> EnumTypes { get; }

    public IEnumerable<FeedSet> Sets => _sets.Values;

    public FeedSet? Set(string name) => _sets.GetValueOrDefault(name);

    public FeedType? TypeOf(Type clr) => _types.GetValueOrDefault(clr);

    /// <summary>The read type a property navigates to (itself or as the element of a list), or null for a structural property.</summary>
    private Type? NavigationTarget(Type type)
    {
        if (_types.ContainsKey(type))
        {
            return type;
        }

        return EdmValues.ElementType(type) is { } element && _types.ContainsKey(element) ? element : null;
    }
}

/// <summary>A read type: its EDM type, key and properties with compiled getters (the writer reads rows through them).</summary>
internal sealed class FeedType(Type clr, EdmEntityType edm, IReadOnlyList<PropertyInfo> keys)
{
    private readonly List<FeedProperty> _properties = [];
    private readonly List<FeedNavigation> _navigations = [];

    public Type Clr { get; } = clr;

    public EdmEntityType Edm { get; } = edm;

    public IReadOnlyList<PropertyInfo> KeyProperties { get; } = keys;

    public IReadOnlyList<FeedProperty> Properties => _properties;

    public IReadOnlyList<FeedNavigation> Navigations => _navigations;

    public IEnumerable<FeedProperty> Keys => _properties.Where(p => KeyProperties.Contains(p.Clr));

    public void Add(FeedProperty property) => _properties.Add(property);

    public void Add(FeedNavigation navigation) => _navigations.Add(navigation);

    public PropertyInfo ClrProperty(string edmName) =>
        _properties.FirstOrDefault(p => p.Name == edmName)?.Clr ?? _navigations.FirstOrDefault(n => n.Name == edmName)?.Clr
        ?? throw new InvalidOperationException($"{Clr.Name} has no property {edmName}.");
}

internal sealed class FeedProperty(PropertyInfo clr, IEdmStructuralProperty edm)
{
    public PropertyInfo Clr { get; } = clr;

    public IEdmStructuralProperty Edm { get; } = edm;

    public string Name => Clr.Name;

    public Func<object, object?> Get { get; } = Getter(clr);

    internal static Func<object, object?> Getter(PropertyInfo property)
    {
        var row = Expression.Parameter(typeof(object), "row");
        var value = Expression.Property(Expression.Convert(row, property.DeclaringType!), property);
        return Expression.Lambda<Func<object, object?>>(Expression.Convert(value, typeof(object)), row).Compile();
    }
}

internal sealed class FeedNavigation(PropertyInfo clr, IEdmNavigationProperty edm, FeedType target, bool isCollection)
{
    public PropertyInfo Clr { get; } = clr;

    public IEdmNavigationProperty Edm { get; } = edm;

    public FeedType Target { get; } = target;

    public bool IsCollection { get; } = isCollection;

    public string Name => Clr.Name;

    public Func<object, object?> Get { get; } = FeedProperty.Getter(clr);
}
