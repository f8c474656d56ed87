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

/// <summary>
/// What Funding needs of a device's money without asking Assets: when and for how much it was bought, over how long it is written
/// off, and for a parent-financed pupil tablet the parents' contract (the city's BuT and sibling subsidies are shares of its rate).
/// Added after the first events: consumers read null as "not told".
/// </summary>
public sealed record DeviceFinancials(DateOnly? PurchaseDate, decimal? PurchasePrice, int? UsefulLifeMonths, ParentContract? ParentContract);

/// <summary>The parents' contract for a pupil's tablet (typically 36 x 10.90 EUR); it starts on the device's purchase date.</summary>
public sealed record ParentContract(decimal MonthlyRate, int Months, string? Provider);

/// <summary>
/// Devices entered one school's inventory in one registration (a single device, or a batch of up to 5,000 from the school's
/// inventory software), in the order of the request. One event per registration, not per device: a city-wide import is
/// tens of events to relay, not a hundred thousand. Later events about one of these devices refer to it by
/// <see cref="RegisteredDevice.DeviceId"/>.
/// </summary>
public sealed record DevicesRegistered(Guid SchoolId, IReadOnlyList<RegisteredDevice> Devices, DateTimeOffset OccurredAt);

/// <summary>One device of <see cref="DevicesRegistered"/>, as it was registered.</summary>
/// <param name="Financials">Purchase and contract facts (Funding); null from publishers before they were added.</param>
public sealed record RegisteredDevice(
    Guid DeviceId, Guid? RoomId, string SerialNumber, DeviceClassification Classification, DeviceFinancials? Financials = null, DeviceMake? Make = null);

/// <summary>A device's recorded facts changed (model, ownership, board system membership, ...); carries the state after the change.</summary>
public sealed record DeviceUpdated(
    Guid DeviceId, Guid SchoolId, Guid? RoomId, DeviceClassification Classification, DateTimeOffset OccurredAt, DeviceFinancials? Financials = null,
    DeviceMake? Make = null);

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

/// <summary>
/// The current state of some of one school's devices (up to 5,000 per event), published again on a resync
/// (<see cref="Replication.ReplicaResyncRequested"/> or an admin's republish), retired devices included. A consumer applies each
/// device only where <see cref="RepublishedDevice.AsOf"/> is newer than what it holds, so a resync never undoes a later change.
/// </summary>
public sealed record DeviceStatesRepublished(Guid SchoolId, IReadOnlyList<RepublishedDevice> Devices, DateTimeOffset OccurredAt);

/// <param name="AsOf">When the device last changed: the <c>OccurredAt</c> of the latest event about it.</param>
public sealed record RepublishedDevice(
    Guid DeviceId, Guid? RoomId, string SerialNumber, DeviceClassification Classification, DateTimeOffset AsOf, DeviceFinancials? Financials = null,
    DeviceMake? Make = null);

/// <summary>The current state of one school's board systems, dismantled ones included, published again on a resync.</summary>
public sealed record BoardSystemStatesRepublished(Guid SchoolId, IReadOnlyList<RepublishedBoardSystem> BoardSystems, DateTimeOffset OccurredAt);

/// <param name="AsOf">When the system last changed (set up or dismantled).</param>
public sealed record RepublishedBoardSystem(Guid BoardSystemId, Guid RoomId, bool Dismantled, DateTimeOffset AsOf);
