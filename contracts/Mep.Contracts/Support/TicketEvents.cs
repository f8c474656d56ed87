using System.Text.Json.Serialization;

namespace Mep.Contracts.Support;

// Events carry enum members by name, also where a serializer has no enum converter of its own (MassTransit's): the relay
// publishes the outbox's JSON as stored, and integers (older messages) are still read.
/// <summary>How urgent a ticket is, derived from its impact and urgency (P1 highest).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TicketPriority>))]
public enum TicketPriority
{
    P1,
    P2,
    P3,
    P4,
}

/// <summary>
/// A school reported a fault (or recorded one it solved itself, at level 0). Staffing counts ticket load per school
/// and month from these; <paramref name="Category"/> is the code of a support category (portal, network, ...).
/// </summary>
/// <param name="Level">0 (school), 1 (service desk), 2 (IT department) or 3 (external: provider, vendor, contractor).</param>
public sealed record TicketOpened(
    Guid TicketId, long Number, Guid SchoolId, string Category, TicketPriority Priority, int Level, string Group, Guid? DeviceId,
    bool SolvedBySchool, DateTimeOffset OccurredAt);

/// <summary>A ticket moved to another level (up: escalation, down: de-escalation), by hand or on an SLA breach.</summary>
public sealed record TicketEscalated(
    Guid TicketId, Guid SchoolId, int FromLevel, int ToLevel, string FromGroup, string ToGroup, string Reason, bool Automatic,
    DateTimeOffset OccurredAt);

/// <summary>A ticket was resolved. First-contact resolution: solved by the service desk it first reached, with no escalation, no wait on the school and no reopening.</summary>
public sealed record TicketResolved(
    Guid TicketId, Guid SchoolId, int Level, string Group, bool FirstContactResolution, DateTimeOffset OccurredAt);

/// <summary>A resolved ticket was reopened: the fault is back or the solution did not hold.</summary>
public sealed record TicketReopened(Guid TicketId, Guid SchoolId, DateTimeOffset OccurredAt);

/// <summary>
/// A service-level target of a ticket reached 75 % (<paramref name="Stage"/> "warning") or 100 % ("breach") of its business
/// time. <paramref name="Clock"/> is "total" or "level1".."level3"; <paramref name="Target"/> "firstResponse" or "resolution".
/// The group is to be notified; sent once per ticket, clock, target and stage.
/// </summary>
public sealed record SlaThresholdReached(
    Guid TicketId, Guid SchoolId, string Clock, string Target, string Stage, string Group, DateTimeOffset DueAt, DateTimeOffset OccurredAt);

/// <summary>Contractor (CSS) hours were booked on a ticket against the school's system-support budget.</summary>
public sealed record ContractorHoursBooked(
    Guid TicketId, Guid SchoolId, Guid BookingId, decimal Hours, decimal Amount, int BudgetYear, bool OverBudget, DateTimeOffset OccurredAt);

/// <summary>
/// A change of a ticket that its school sees: the status moved (by staff, by the school, by a merge) or staff answered the school
/// publicly. Published for the school's own software (webhooks), so it carries nothing internal: no comment text, no internal
/// notes, no people, no groups. Statuses are the API's camelCase names ("waitingForSchool").
/// </summary>
/// <param name="PreviousStatus">The status before this change; null when only an answer was added.</param>
/// <param name="Answered">Staff wrote a public comment to the school in this change.</param>
public sealed record TicketChanged(
    Guid TicketId, long Number, Guid SchoolId, string Status, string? PreviousStatus, bool Answered, DateTimeOffset OccurredAt);
