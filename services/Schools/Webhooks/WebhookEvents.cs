using System.Text.Json.Serialization;
using Mep.Contracts.Assets;
using Mep.Contracts.Support;

namespace Mep.Schools.Webhooks;

/// <summary>One school's event as its webhooks tell it, before it is kept (<see cref="WebhookEvent"/>).</summary>
/// <param name="Data">The facts a receiver gets under <c>data</c>: one of this file's records.</param>
public sealed record SchoolEvent(Guid SchoolId, string Type, DateTimeOffset OccurredAt, object Data);

/// <summary>
/// What the platform's integration events tell a school's software: only facts the school's own API shows it. A device's pupil
/// reference, subsidy category and parents' contract (a family's data) and a ticket's comments, notes, people and groups never appear.
/// </summary>
public static class WebhookEvents
{
    /// <summary>A registration of 5,000 devices becomes ten deliveries of 500, not one body of megabytes.</summary>
    public const int DevicesPerEvent = 500;

    public static IReadOnlyList<SchoolEvent> Of(DevicesRegistered registered) =>
    [
        .. registered.Devices.Chunk(DevicesPerEvent).Select(devices => new SchoolEvent(registered.SchoolId, WebhookEventTypes.DeviceRegistered,
            registered.OccurredAt, new DevicesRegisteredData([.. devices.Select(d => WebhookDevice.Of(d.DeviceId, d.SerialNumber, d.RoomId, d.Classification))]))),
    ];

    public static IReadOnlyList<SchoolEvent> Of(DeviceUpdated updated) =>
    [
        new(updated.SchoolId, WebhookEventTypes.DeviceChanged, updated.OccurredAt,
            new DeviceUpdatedData(updated.DeviceId, WebhookDevice.Of(updated.DeviceId, null, updated.RoomId, updated.Classification))),
    ];

    /// <summary>Nothing for a retirement: <see cref="DeviceRetired"/> tells it, once.</summary>
    public static IReadOnlyList<SchoolEvent> Of(DeviceStatusChanged changed) => changed.To == DeviceStatus.Retired
        ? []
        : [new(changed.SchoolId, WebhookEventTypes.DeviceChanged, changed.OccurredAt, new DeviceStatusData(changed.DeviceId, changed.From, changed.To))];

    /// <summary>
    /// A move within the school is one event; a move to another school is one for each, and neither learns the other's room.
    /// </summary>
    public static IReadOnlyList<SchoolEvent> Of(DeviceMoved moved) => moved.FromSchoolId == moved.ToSchoolId
        ? [new(moved.ToSchoolId, WebhookEventTypes.DeviceChanged, moved.OccurredAt,
            new DeviceMovedData(moved.DeviceId, DeviceMovedData.WithinSchool, moved.FromRoomId, moved.ToRoomId))]
        :
        [
            new(moved.FromSchoolId, WebhookEventTypes.DeviceChanged, moved.OccurredAt,
                new DeviceMovedData(moved.DeviceId, DeviceMovedData.ToAnotherSchool, moved.FromRoomId, null)),
            new(moved.ToSchoolId, WebhookEventTypes.DeviceChanged, moved.OccurredAt,
                new DeviceMovedData(moved.DeviceId, DeviceMovedData.FromAnotherSchool, null, moved.ToRoomId)),
        ];

    public static IReadOnlyList<SchoolEvent> Of(DeviceRetired retired) =>
        [new(retired.SchoolId, WebhookEventTypes.DeviceRetired, retired.OccurredAt, new DeviceRetiredData(retired.DeviceId))];

    public static IReadOnlyList<SchoolEvent> Of(TicketOpened opened) =>
    [
        new(opened.SchoolId, WebhookEventTypes.TicketOpened, opened.OccurredAt,
            new TicketOpenedData(opened.TicketId, opened.Number, opened.Category, opened.Priority.ToString(), opened.SolvedBySchool ? "resolved" : "new", opened.DeviceId)),
    ];

    public static IReadOnlyList<SchoolEvent> Of(TicketChanged changed) =>
    [
        new(changed.SchoolId, WebhookEventTypes.TicketChanged, changed.OccurredAt,
            new TicketChangedData(changed.TicketId, changed.Number, changed.Status, changed.PreviousStatus, changed.Answered)),
    ];
}

/// <summary>A device as a webhook shows it: what it is, where, in which state (the serial number where the event carries it).</summary>
public sealed record WebhookDevice(
    Guid DeviceId, string? SerialNumber, Guid? RoomId, DeviceKind Kind, TabletOwnership? Ownership, DeviceStatus Status, Guid? BoardSystemId,
    BoardComponentKind? ComponentKind)
{
    public static WebhookDevice Of(Guid deviceId, string? serialNumber, Guid? roomId, DeviceClassification classification) =>
        new(deviceId, serialNumber, roomId, classification.Kind, classification.Ownership, classification.Status, classification.BoardSystemId,
            classification.ComponentKind);
}

/// <summary><c>device.registered</c>: the devices of one registration (or of up to <see cref="WebhookEvents.DevicesPerEvent"/> of them).</summary>
public sealed record DevicesRegisteredData(IReadOnlyList<WebhookDevice> Devices);

/// <summary><c>device.changed</c> with <c>change</c> "updated": the device's recorded facts after the change.</summary>
public sealed record DeviceUpdatedData(Guid DeviceId, WebhookDevice Device)
{
    [JsonPropertyOrder(-1)]
    public string Change => "updated";
}

/// <summary><c>device.changed</c> with <c>change</c> "status": the device moved through its lifecycle.</summary>
public sealed record DeviceStatusData(Guid DeviceId, DeviceStatus From, DeviceStatus To)
{
    [JsonPropertyOrder(-1)]
    public string Change => "status";
}

/// <summary>
/// <c>device.changed</c> with <c>change</c> "moved": to another room of the school, or to or from another school (whose room is not
/// told).
/// </summary>
public sealed record DeviceMovedData(Guid DeviceId, string Direction, Guid? FromRoomId, Guid? ToRoomId)
{
    public const string WithinSchool = "withinSchool";
    public const string ToAnotherSchool = "toAnotherSchool";
    public const string FromAnotherSchool = "fromAnotherSchool";

    [JsonPropertyOrder(-1)]
    public string Change => "moved";
}

/// <summary><c>device.retired</c>.</summary>
public sealed record DeviceRetiredData(Guid DeviceId);

/// <summary><c>ticket.opened</c>: the ticket's number and what it is about; its text is read with the school's key.</summary>
/// <param name="Priority">P1 (highest) to P4.</param>
public sealed record TicketOpenedData(Guid TicketId, long Number, string Category, string Priority, string Status, Guid? DeviceId);

/// <summary><c>ticket.changed</c>: its status now (and before, if it changed) and whether staff answered; read the answer with the school's key.</summary>
public sealed record TicketChangedData(Guid TicketId, long Number, string Status, string? PreviousStatus, bool Answered);
