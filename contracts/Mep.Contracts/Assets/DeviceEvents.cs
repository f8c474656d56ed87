namespace Mep.Contracts.Assets;

/// <summary>
/// What consumers (Staffing, Support, Funding) need to classify a device without asking Assets: its kind,
/// ownership and subsidy category, board system membership and status.
/// </summary>
public sealed record DeviceClassification(
    DeviceKind Kind,
    TabletOwnership? Ownership,
    SubsidyCategory? SubsidyCategory,
    Guid? BoardSystemId,
    BoardComponentKind? ComponentKind,
    FundingSource? FundingSource,
    DeviceStatus Status);

/// <summary>A device entered the inventory (registered by its school or by staff).</summary>
public sealed record DeviceRegistered(
    Guid DeviceId, Guid SchoolId, Guid? RoomId, string SerialNumber, DeviceClassification Classification, DateTimeOffset OccurredAt);

/// <summary>A device's recorded facts changed (model, ownership, board system membership, ...); carries the state after the change.</summary>
public sealed record DeviceUpdated(
    Guid DeviceId, Guid SchoolId, Guid? RoomId, DeviceClassification Classification, DateTimeOffset OccurredAt);

/// <summary>A device moved through its lifecycle (also to <see cref="DeviceStatus.Retired"/>, which <see cref="DeviceRetired"/> reports as well).</summary>
public sealed record DeviceStatusChanged(
    Guid DeviceId, Guid SchoolId, DeviceStatus From, DeviceStatus To, DateTimeOffset OccurredAt);

/// <summary>A device moved to another room or another school.</summary>
public sealed record DeviceMoved(
    Guid DeviceId, Guid FromSchoolId, Guid ToSchoolId, Guid? FromRoomId, Guid? ToRoomId, DateTimeOffset OccurredAt);

/// <summary>A device left the inventory for good; it no longer counts anywhere.</summary>
public sealed record DeviceRetired(Guid DeviceId, Guid SchoolId, DateTimeOffset OccurredAt);

/// <summary>An interactive board system was set up in a room; staffing counts it as three devices, whatever its components.</summary>
public sealed record BoardSystemRegistered(Guid BoardSystemId, Guid SchoolId, Guid RoomId, DateTimeOffset OccurredAt);

/// <summary>A board system was taken out of its room; its components stay in the inventory.</summary>
public sealed record BoardSystemDismantled(Guid BoardSystemId, Guid SchoolId, DateTimeOffset OccurredAt);
