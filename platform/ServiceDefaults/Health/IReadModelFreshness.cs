namespace Mep.ServiceDefaults.Health;

/// <summary>
/// When the service last applied an event to its read models (registered by the messaging module). Readiness reports it, so an
/// operator sees how stale a service is whose broker is away.
/// </summary>
public interface IReadModelFreshness
{
    Task<DateTimeOffset?> LastEventAppliedAtAsync(CancellationToken cancellationToken);
}
