using System.Text.Json;
using Mep.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Mep.Messaging;

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
        where TEvent : class =>
        db.AddIntegrationEvent(Serialize(integrationEvent), aggregateId, now);

    /// <summary>Records an event serialized beforehand (<see cref="SerializeInBackground{TEvent}"/>); otherwise as above.</summary>
    public static void AddIntegrationEvent(this DbContext db, SerializedIntegrationEvent integrationEvent, string aggregateId, DateTimeOffset now) =>
        db.Set<OutboxMessage>().Add(OutboxMessage.Create(Guid.CreateVersion7(now), integrationEvent.MessageType, aggregateId, integrationEvent.Body, now));

    /// <summary>
    /// Serializes a large event on another thread while the caller writes to the database, so that the JSON is ready when
    /// the database step is done instead of after it. The event must not change meanwhile.
    /// </summary>
    public static Task<SerializedIntegrationEvent> SerializeInBackground<TEvent>(TEvent integrationEvent)
        where TEvent : class =>
        Task.Run(() => Serialize(integrationEvent));

    private static SerializedIntegrationEvent Serialize<TEvent>(TEvent integrationEvent)
        where TEvent : class
    {
        var type = typeof(TEvent);
        if (!Types.ContainsKey(type.FullName!))
        {
            throw new InvalidOperationException($"{type.FullName} is not an integration event of Mep.Contracts.");
        }

        return new SerializedIntegrationEvent(type.FullName!, JsonSerializer.Serialize(integrationEvent, Json));
    }

    internal static Type? ResolveType(string messageType) => Types.GetValueOrDefault(messageType);

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        return options;
    }
}

/// <summary>An integration event as the outbox stores it: its type name in <c>Mep.Contracts</c> and its JSON.</summary>
public sealed record SerializedIntegrationEvent(string MessageType, string Body);
