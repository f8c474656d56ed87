using System.Text.Json;
using Mep.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Mep.ServiceDefaults.Messaging;

public static class IntegrationEvents
{
    /// <summary>Events travel as web JSON (camelCase, enums by name), the same on the outbox and the wire.</summary>
    public static readonly JsonSerializerOptions Json = CreateJsonOptions();

    private static readonly Dictionary<string, Type> Types = typeof(SchoolType).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true, Namespace: not null } && t.Namespace.StartsWith("Mep.Contracts.", StringComparison.Ordinal))
        .ToDictionary(t => t.FullName!, StringComparer.Ordinal);

    /// <summary>
    /// Records an integration event in the outbox of this context. It is published only if, and after,
    /// the same SaveChanges commits: never an event for a change that rolled back, never a change without its event.
    /// </summary>
    public static void AddIntegrationEvent<TEvent>(this DbContext db, TEvent integrationEvent, string aggregateId, DateTimeOffset now)
        where TEvent : class
    {
        var type = typeof(TEvent);
        if (!Types.ContainsKey(type.FullName!))
        {
            throw new InvalidOperationException($"{type.FullName} is not an integration event of Mep.Contracts.");
        }

        db.Set<OutboxMessage>().Add(OutboxMessage.Create(Guid.CreateVersion7(now), type.FullName!, aggregateId,
            JsonSerializer.Serialize(integrationEvent, Json), now));
    }

    internal static Type? ResolveType(string messageType) => Types.GetValueOrDefault(messageType);

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        return options;
    }
}
