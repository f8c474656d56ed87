namespace Mep.Contracts.Replication;

/// <summary>
/// A service rebuilt its replica of other services' data from empty (or wants to check it) and asks every owner of
/// such data to publish its current state again: Schools its schools, school years, keys and rooms; Assets every
/// device and board system. The republished state events are safe for every consumer: each keeps the newer state.
/// </summary>
/// <param name="RequestedBy">The asking service ("staffing"), for the owners' logs.</param>
public sealed record ReplicaResyncRequested(Guid RequestId, string RequestedBy, DateTimeOffset OccurredAt);
