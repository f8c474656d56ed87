using System.Linq.Expressions;
using System.Reflection;
using Microsoft.OData.Edm;
using Microsoft.OData.ModelBuilder;

namespace Mep.Feeds;

/// <summary>
/// A service's OData feed as declared in its Feeds folder: entity sets over read types, each with its key, who may read it and
/// where its rows come from. Microsoft.AspNetCore.OData serves it; this is the one place that says what a service publishes.
/// </summary>
/// <remarks>
/// Read types are classes with settable (or init) properties, named as the feed shows them (PascalCase). A property whose type
/// is another set's read type (or a list of them) is a navigation property for $expand; a list of primitives or enums is a
/// collection property for any/all.
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
    /// The rows this caller may see, before any query option is applied: a school key's rows are limited here (and in every
    /// navigation the read type projects), so no $filter, $expand, $apply or $count can reach further.
    /// </param>
    public FeedBuilder EntitySet<TRow>(string name, string typeName, Expression<Func<TRow, object?>> key, string policy,
        Func<HttpContext, IQueryable<TRow>> rows)
        where TRow : class
    {
        _sets.Add(new FeedSet(name, typeName, typeof(TRow), KeyProperties(key), policy, context => rows(context)));
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

/// <summary>An entity set: its name, read type, key, the policy a reader needs and the rows a caller may see.</summary>
internal sealed record FeedSet(string Name, string TypeName, Type RowType, IReadOnlyList<PropertyInfo> Keys, string Policy,
    Func<HttpContext, IQueryable> Rows);

/// <summary>The EDM model of a feed, built once at start by the library's convention model builder from the read types.</summary>
internal sealed class FeedModel
{
    public FeedModel(string serviceNamespace, IReadOnlyList<FeedSet> sets)
    {
        Namespace = serviceNamespace;
        Sets = sets;
        var builder = new ODataConventionModelBuilder { Namespace = serviceNamespace, ContainerName = "Container" };
        foreach (var set in sets)
        {
            var type = builder.AddEntityType(set.RowType);
            type.Name = set.TypeName;
            foreach (var key in set.Keys)
            {
                type.HasKey(key);
            }

            // A composite key in its declared order (the builder would sort it by name): clients build /Set(A=…,B=…) from it.
            foreach (var key in type.Keys)
            {
                key.Order = set.Keys.ToList().IndexOf(key.PropertyInfo);
            }

            builder.AddEntitySet(set.Name, type);
        }

        // The convention builder names enums by their CLR namespace (Mep.Contracts.Assets.DeviceKind); spreadsheet users and the
        // qualified literals (Mep.Assets.DeviceKind'Tablet') know one namespace per feed.
        foreach (var type in builder.StructuralTypes)
        {
            type.Namespace = serviceNamespace;
        }

        foreach (var enumType in builder.EnumTypes)
        {
            if (sets.Any(s => s.TypeName == enumType.Name))
            {
                throw new InvalidOperationException(
                    $"The feed's enum {enumType.Name} has the name of an entity type in {serviceNamespace}; give the entity type another name.");
            }

            enumType.Namespace = serviceNamespace;
        }

        Edm = builder.GetEdmModel();
    }

    public string Namespace { get; }

    public IReadOnlyList<FeedSet> Sets { get; }

    public IEdmModel Edm { get; }

    public FeedSet SetOf(Type rowType) => Sets.Single(s => s.RowType == rowType);
}
