using MassTransit;
using Mep.Contracts.Assets;
using Mep.Contracts.Schools;
using Mep.ServiceDefaults.Messaging;
using Mep.Support.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Directory;

/// <summary>A device as Support knows it from Assets' events: enough to check a reported serial and to route by ownership.</summary>
public sealed class KnownDevice
{
    public Guid DeviceId { get; internal set; }
    public Guid SchoolId { get; internal set; }
    public string SerialNumber { get; internal set; } = string.Empty;
    public DeviceKind Kind { get; internal set; }
    public TabletOwnership? Ownership { get; internal set; }
    public bool Retired { get; internal set; }

    /// <summary>When the state held here was true at Assets; an older event arriving late does not overwrite it.</summary>
    public DateTimeOffset AsOf { get; internal set; }
}

/// <summary>A school's room as Support knows it from Schools' RoomRecorded events.</summary>
public sealed class KnownRoom
{
    public Guid RoomId { get; internal set; }
    public Guid SchoolId { get; internal set; }
    public string BuildingName { get; internal set; } = string.Empty;
    public string Number { get; internal set; } = string.Empty;
    public DateTimeOffset AsOf { get; internal set; }
}

/// <summary>The consumers that keep <see cref="KnownDevice"/> and <see cref="KnownRoom"/>: each message applied once (inbox), older state never over newer.</summary>
public static class KnownInventoryConsumers
{
    public static IBusRegistrationConfigurator AddKnownInventoryConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<DevicesRegisteredConsumer>();
        bus.AddConsumer<DeviceUpdatedConsumer>();
        bus.AddConsumer<DeviceMovedConsumer>();
        bus.AddConsumer<DeviceRetiredConsumer>();
        bus.AddConsumer<RoomRecordedConsumer>();
        return bus;
    }

    /// <summary>The devices of the given ids, locked, so that two events about one device apply one after the other.</summary>
    private static async Task<Dictionary<Guid, KnownDevice>> LockAsync(SupportDbContext db, Guid[] ids, CancellationToken cancellationToken) =>
        await db.KnownDevices.FromSql($"SELECT * FROM known_devices WHERE device_id = ANY({ids}) ORDER BY device_id FOR UPDATE")
            .AsTracking().ToDictionaryAsync(d => d.DeviceId, cancellationToken);

    private static KnownDevice Ensure(SupportDbContext db, Dictionary<Guid, KnownDevice> known, Guid id)
    {
        if (!known.TryGetValue(id, out var device))
        {
            device = new KnownDevice { DeviceId = id, AsOf = DateTimeOffset.MinValue };
            db.KnownDevices.Add(device);
            known[id] = device;
        }

        return device;
    }

    public sealed class DevicesRegisteredConsumer(SupportDbContext db, TimeProvider clock) : IdempotentConsumer<DevicesRegistered, SupportDbContext>(db, clock)
    {
        protected override string ConsumerName => "support/devices-registered";

        protected override async Task HandleAsync(DevicesRegistered message, ConsumeContext<DevicesRegistered> context)
        {
            var known = await LockAsync(Db, [.. message.Devices.Select(d => d.DeviceId)], context.CancellationToken);
            foreach (var registered in message.Devices)
            {
                var device = Ensure(Db, known, registered.DeviceId);
                if (device.AsOf <= message.OccurredAt)
                {
                    (device.SchoolId, device.SerialNumber, device.Kind, device.Ownership, device.Retired, device.AsOf) = (message.SchoolId,
                        SerialNumber.Normalise(registered.SerialNumber), registered.Classification.Kind, registered.Classification.Ownership,
                        registered.Classification.Status == DeviceStatus.Retired, message.OccurredAt);
                }
            }
        }
    }

    public sealed class DeviceUpdatedConsumer(SupportDbContext db, TimeProvider clock) : IdempotentConsumer<DeviceUpdated, SupportDbContext>(db, clock)
    {
        protected override string ConsumerName => "support/device-updated";

        protected override async Task HandleAsync(DeviceUpdated message, ConsumeContext<DeviceUpdated> context)
        {
            var known = await LockAsync(Db, [message.DeviceId], context.CancellationToken);
            var device = Ensure(Db, known, message.DeviceId);
            if (device.AsOf <= message.OccurredAt && !device.Retired)
            {
                // The event carries no serial (a correction comes with the full registration's serial in a later resync).
                (device.SchoolId, device.Kind, device.Ownership, device.AsOf) =
                    (message.SchoolId, message.Classification.Kind, message.Classification.Ownership, message.OccurredAt);
            }
        }
    }

    public sealed class DeviceMovedConsumer(SupportDbContext db, TimeProvider clock) : IdempotentConsumer<DeviceMoved, SupportDbContext>(db, clock)
    {
        protected override string ConsumerName => "support/device-moved";

        protected override async Task HandleAsync(DeviceMoved message, ConsumeContext<DeviceMoved> context)
        {
            var known = await LockAsync(Db, [message.DeviceId], context.CancellationToken);
            var device = Ensure(Db, known, message.DeviceId);
            if (device.AsOf <= message.OccurredAt)
            {
                (device.SchoolId, device.AsOf) = (message.ToSchoolId, message.OccurredAt);
            }
        }
    }

    public sealed class DeviceRetiredConsumer(SupportDbContext db, TimeProvider clock) : IdempotentConsumer<DeviceRetired, SupportDbContext>(db, clock)
    {
        protected override string ConsumerName => "support/device-retired";

        protected override async Task HandleAsync(DeviceRetired message, ConsumeContext<DeviceRetired> context)
        {
            var known = await LockAsync(Db, [message.DeviceId], context.CancellationToken);
            var device = Ensure(Db, known, message.DeviceId);
            // Retiring is final: whatever arrives later or earlier, the device stays retired.
            (device.SchoolId, device.Retired, device.AsOf) = (message.SchoolId, true, device.AsOf > message.OccurredAt ? device.AsOf : message.OccurredAt);
        }
    }

    public sealed class RoomRecordedConsumer(SupportDbContext db, TimeProvider clock) : IdempotentConsumer<RoomRecorded, SupportDbContext>(db, clock)
    {
        protected override string ConsumerName => "support/room-recorded";

        protected override async Task HandleAsync(RoomRecorded message, ConsumeContext<RoomRecorded> context)
        {
            var room = (await Db.KnownRooms.FromSql($"SELECT * FROM known_rooms WHERE room_id = {message.RoomId} FOR UPDATE")
                .AsTracking().ToListAsync(context.CancellationToken)).SingleOrDefault();
            if (room is null)
            {
                room = new KnownRoom { RoomId = message.RoomId, AsOf = DateTimeOffset.MinValue };
                Db.KnownRooms.Add(room);
            }

            if (room.AsOf <= message.OccurredAt)
            {
                (room.SchoolId, room.BuildingName, room.Number, room.AsOf) = (message.SchoolId, message.BuildingName, message.Number, message.OccurredAt);
            }
        }
    }
}
