using Mep.Assets.BoardSystems;
using Mep.Assets.Data;
using Mep.Contracts.Assets;
using Mep.Messaging;

namespace Mep.Assets.Devices;

/// <summary>
/// What the Assets service tells the others, recorded in its outbox with the change itself. A device's events
/// are ordered per device (its row version serialises writes to it); a board system's per system.
/// </summary>
public static class DeviceIntegrationEvents
{
    public static string AggregateId(Guid deviceId) => $"device:{deviceId}";

    /// <summary>A school's registrations and the republications of its devices: one aggregate, so a republication leaves after the registrations written before it.</summary>
    public static string SchoolRegistrationsAggregateId(Guid schoolId) => $"school-registrations:{schoolId}";

    /// <summary>
    /// One event for all devices of a registration, ordered with the school's other registrations. A later event about one of
    /// these devices is ordered per device, so a consumer may meet it first when several relays run: consumers keyed by
    /// device keep the newer state. Serialized in the background: for 5,000 devices it is some 2.6 MB of JSON, ready by the
    /// time the devices are copied (bench/AssetsBench).
    /// </summary>
    public static Task<SerializedIntegrationEvent> SerializeDevicesRegistered(Guid schoolId, IReadOnlyList<Device> devices, DateTimeOffset now) =>
        IntegrationEvents.SerializeInBackground(
            new DevicesRegistered(schoolId, devices.Select(d => new RegisteredDevice(d.Id, d.RoomId, d.SerialNumber, d.Classification, d.Financials, d.Make)).ToList(), now));

    public static void DevicesRegistered(this AssetsDbContext db, Guid schoolId, SerializedIntegrationEvent registration, DateTimeOffset now) =>
        db.AddIntegrationEvent(registration, SchoolRegistrationsAggregateId(schoolId), now);

    /// <summary>After any change of the device's facts, a financial one alone included (<see cref="Device.Update"/> compares all of them).</summary>
    public static void DeviceUpdated(this AssetsDbContext db, Device device, DateTimeOffset now) =>
        db.AddIntegrationEvent(new DeviceUpdated(device.Id, device.SchoolId, device.RoomId, device.Classification, now, device.Financials, device.Make),
            AggregateId(device.Id), now);

    /// <summary>The status change, and when the device was retired that fact on its own.</summary>
    public static void DeviceStatusChanged(this AssetsDbContext db, Device device, DeviceStatus from, DateTimeOffset now)
    {
        db.AddIntegrationEvent(new DeviceStatusChanged(device.Id, device.SchoolId, from, device.Status, now), AggregateId(device.Id), now);
        if (device.Status == DeviceStatus.Retired)
        {
            db.AddIntegrationEvent(new DeviceRetired(device.Id, device.SchoolId, now), AggregateId(device.Id), now);
        }
    }

    public static void DeviceMoved(this AssetsDbContext db, Device device, (Guid School, Guid? Room) from, DateTimeOffset now) =>
        db.AddIntegrationEvent(new DeviceMoved(device.Id, from.School, device.SchoolId, from.Room, device.RoomId, now), AggregateId(device.Id), now);

    public static void BoardSystemRegistered(this AssetsDbContext db, BoardSystem system, DateTimeOffset now) =>
        db.AddIntegrationEvent(new BoardSystemRegistered(system.Id, system.SchoolId, system.RoomId, now), $"board-system:{system.Id}", now);

    public static void BoardSystemDismantled(this AssetsDbContext db, BoardSystem system, DateTimeOffset now) =>
        db.AddIntegrationEvent(new BoardSystemDismantled(system.Id, system.SchoolId, now), $"board-system:{system.Id}", now);

    /// <summary>The current state of up to 5,000 of a school's devices, for a resync; see <see cref="Inventory.InventoryRepublication"/>.</summary>
    public static void DeviceStatesRepublished(this AssetsDbContext db, Guid schoolId, IReadOnlyList<RepublishedDevice> devices, DateTimeOffset now) =>
        db.AddIntegrationEvent(new DeviceStatesRepublished(schoolId, devices, now), SchoolRegistrationsAggregateId(schoolId), now);

    public static void BoardSystemStatesRepublished(this AssetsDbContext db, Guid schoolId, IReadOnlyList<RepublishedBoardSystem> systems,
        DateTimeOffset now) =>
        db.AddIntegrationEvent(new BoardSystemStatesRepublished(schoolId, systems, now), SchoolRegistrationsAggregateId(schoolId), now);
}
