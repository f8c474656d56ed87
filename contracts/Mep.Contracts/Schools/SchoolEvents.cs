using System.Text.Json.Serialization;

namespace Mep.Contracts.Schools;

/// <summary>A school was registered. Consumers keep their own copy of what they need of it.</summary>
/// <param name="ContactEmail">The school's contact mail address (its office or IT contact), where Support mails the school about its
/// tickets; null when none is recorded, and in events published before the field existed.</param>
public sealed record SchoolRegistered(
    Guid SchoolId, string Number, string Name, SchoolType Type, string District, DateTimeOffset OccurredAt, string? ContactEmail = null);

/// <summary>A school's master data or programme participation changed; carries the state after the change.</summary>
/// <param name="ContactEmail">As in <see cref="SchoolRegistered"/>: the state after the change.</param>
public sealed record SchoolUpdated(
    Guid SchoolId, string Number, string Name, SchoolType Type, string District, bool AtMepStandard, DateTimeOffset OccurredAt,
    string? ContactEmail = null);

/// <summary>
/// A school was accepted into regular operation in the MEP standard (council paper, measures 1 and 4) after
/// its rollout was complete: from now on staffing counts its devices under the MEP ratios. Published once per
/// school, by the rollout's acceptance.
/// </summary>
public sealed record SchoolAcceptedIntoMepStandard(Guid SchoolId, DateOnly AcceptedOn, DateTimeOffset OccurredAt);

/// <summary>
/// A rollout milestone was reached: for a school surveyed, buildingWork (broadband connected and every building's
/// network done), equipped (every room done), accepted; for a building buildingWork (its technical rooms,
/// distributors and cabling done); for a room equipped (WLAN measured and accepted, its board system installed if
/// planned, a computer room's devices replaced). Mobile devices count as usable once their school is equipped.
/// </summary>
/// <param name="Milestone">surveyed, buildingWork, equipped or accepted.</param>
/// <param name="Scope">school, building or room.</param>
public sealed record RolloutMilestoneReached(
    Guid SchoolId, string Milestone, string Scope, Guid? BuildingId, Guid? RoomId, DateOnly ReachedOn, DateTimeOffset OccurredAt);

/// <summary>
/// A school API key was issued. Other services keep a replica of keys to authenticate schools
/// themselves; they get the SHA-256 hash of the secret, never the secret.
/// </summary>
public sealed record SchoolApiKeyIssued(Guid SchoolId, string KeyId, string SecretHashBase64, DateTimeOffset OccurredAt);

/// <summary>A school API key was revoked; every service refuses it from now on.</summary>
public sealed record SchoolApiKeyRevoked(Guid SchoolId, string KeyId, DateTimeOffset OccurredAt);

// Events carry enum members by name, also where a serializer has no enum converter of its own (MassTransit's): the relay
// publishes the outbox's JSON as stored, and integers (older messages) are still read.
/// <summary>What a room is used as; rollout and inventory plan per kind.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RoomKind>))]
public enum RoomKind
{
    Classroom,
    ComputerRoom,
    StaffRoom,
    Other,
}

/// <summary>
/// A room was added or changed; carries the state after the change. Assets checks against it that a
/// device's room belongs to the device's school.
/// </summary>
public sealed record RoomRecorded(
    Guid SchoolId, Guid BuildingId, Guid RoomId, string BuildingName, string Number, RoomKind Kind, DateTimeOffset OccurredAt);

/// <summary>
/// A school's pupils, teachers and classes of one school year were recorded or corrected; carries the figures after the change.
/// Funding computes the DigitalPakt base amount from pupils, Staffing projects devices per pupil in its scenarios.
/// </summary>
/// <param name="StartYear">Calendar year the school year starts in: 2020 is school year 2020/21.</param>
public sealed record SchoolYearFiguresRecorded(
    Guid SchoolId, int StartYear, int Pupils, int Teachers, int Classes, DateTimeOffset OccurredAt);

/// <summary>How far a school's media education concept (Medienbildungskonzept) is: DigitalPakt applications need at least the requirement profile, settlement the full concept.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MediaConceptStatus>))]
public enum MediaConceptStatus
{
    None,

    /// <summary>The short requirement profile, enough for a DigitalPakt application.</summary>
    RequirementProfile,

    /// <summary>The full media education concept, required by completion of a measure.</summary>
    FullConcept,
}

/// <summary>
/// A school's media education concept was recorded or changed (also republished on a resync); carries the state after the change.
/// Funding refuses a settlement without the full concept.
/// </summary>
public sealed record MediaConceptRecorded(Guid SchoolId, MediaConceptStatus Status, DateOnly? Dated, DateTimeOffset OccurredAt);
