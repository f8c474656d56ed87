using Microsoft.AspNetCore.OData.Extensions;
using Microsoft.AspNetCore.OData.Routing.Conventions;
using Microsoft.AspNetCore.OData.Routing.Template;

using Microsoft.OData.Edm;

namespace Mep.Feeds;

/// <summary>
/// Routes each <see cref="FeedController{TRow}"/> to its entity set: <c>Get</c> answers <c>/Set</c> and <c>/Set/$count</c>,
/// <c>GetByKey</c> answers <c>/Set(key)</c> (and <c>/Set(Key1=…,Key2=…)</c> for a composite key). The library's own conventions
/// find controllers by name; ours are one generic controller per read type.
/// </summary>
internal sealed class FeedRoutingConvention(FeedModel feed) : IODataControllerActionConvention
{
    public int Order => 0;

    public bool AppliesToController(ODataControllerActionContext context) =>
        context.Model == feed.Edm && context.Controller.ControllerType is { IsGenericType: true } type
        && type.GetGenericTypeDefinition() == typeof(FeedController<>);

    public bool AppliesToAction(ODataControllerActionContext context)
    {
        var set = context.Model.EntityContainer.FindEntitySet(feed.SetOf(context.Controller.ControllerType.GenericTypeArguments[0]).Name);
        switch (context.Action.ActionName)
        {
            case "Get":
                context.Action.AddSelector(HttpMethods.Get, context.Prefix, context.Model, new ODataPathTemplate(new EntitySetSegmentTemplate(set)), context.Options?.RouteOptions);
                context.Action.AddSelector(HttpMethods.Get, context.Prefix, context.Model,
                    new ODataPathTemplate(new EntitySetSegmentTemplate(set), CountSegmentTemplate.Instance), context.Options?.RouteOptions);
                return true;
            case "GetByKey":
                context.Action.AddSelector(HttpMethods.Get, context.Prefix, context.Model,
                    new ODataPathTemplate(new EntitySetSegmentTemplate(set), KeyTemplate(set)), context.Options?.RouteOptions);
                return true;
            default:
                return false;
        }
    }

    /// <summary><c>({key})</c> for one key property, <c>(SchoolId={keySchoolId},StartYear={keyStartYear})</c> for several.</summary>
    private static KeySegmentTemplate KeyTemplate(IEdmEntitySet set)
    {
        var keys = set.EntityType.Key().ToList();
        return new KeySegmentTemplate(keys.ToDictionary(k => k.Name, k => keys.Count == 1 ? "{key}" : $"{{key{k.Name}}}"), set.EntityType, set);
    }
}
