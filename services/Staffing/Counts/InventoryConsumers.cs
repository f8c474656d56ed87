using MassTransit;
using Mep.Contracts.Assets;
using Mep.Messaging;
using Mep.Staffing.Data;

namespace Mep.Staffing.Counts;

/// <summary>
/// Assets' events, applied to the replica once each (inbox) and part by part newest-wins (<see cref="InventoryReplica"/>):
/// redelivered, reordered or replayed events leave the counts exactly as Assets' state implies.
/// </summary>
public static class InventoryConsumers
{
    public static IBusRegistrationConfigurator AddInventoryConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<Registered>();
        bus.AddConsumer<Updated>();
        bus.AddConsumer<StatusChanged>();
        bus.AddConsumer<Moved>();
        bus.AddConsumer<Retired>();
        bus.AddConsumer<DevicesRepublished>();
        bus.AddConsumer<BoardSystemSetUp>();
        bus.AddConsumer<BoardSystemTakenDown>();
        bus.AddConsumer<BoardSystemsRepublished>();
        return bus;
    }

    public sealed class Registered(StaffingDbContext db, TimeProvider clock) : IdempotentConsumer<DevicesRegistered, StaffingDbContext>(db, clock)
    {
        protected override string ConsumerName => "staffing/devices-registered";

        protected override Task HandleAsync(DevicesRegistered message, ConsumeContext<DevicesRegistered> context) =>
            InventoryReplica.ApplyDevicesAsync(Db,
                message.Devices.Select(d => DeviceFact.Full(d.DeviceId, message.SchoolId, d.Classification, message.OccurredAt)).ToList(),
                [], Clock.GetUtcNow(), context.CancellationToken);
    }

    public sealed class Updated(StaffingDbContext db, TimeProvider clock) : IdempotentConsumer<DeviceUpdated, StaffingDbContext>(db, clock)
    {
        protected override string ConsumerName => "staffing/device-updated";

        protected override Task HandleAsync(DeviceUpdated message, ConsumeContext<DeviceUpdated> context) =>
            InventoryReplica.ApplyDevicesAsync(Db, [DeviceFact.Full(message.DeviceId, message.SchoolId, message.Classification, message.OccurredAt)],
                [], Clock.GetUtcNow(), context.CancellationToken);
    }

    public sealed class StatusChanged(StaffingDbContext db, TimeProvider clock) : IdempotentConsumer<DeviceStatusChanged, StaffingDbContext>(db, clock)
    {
        protected override string ConsumerName => "staffing/device-status-changed";

        protected override Task HandleAsync(DeviceStatusChanged message, ConsumeContext<DeviceStatusChanged> context) =>
            InventoryReplica.ApplyDevicesAsync(Db, [DeviceFact.StatusOnly(message.DeviceId, message.SchoolId, message.To, message.OccurredAt)],
                [], Clock.GetUtcNow(), context.CancellationToken);
    }

    public sealed class Moved(StaffingDbContext db, TimeProvider clock) : IdempotentConsumer<DeviceMoved, StaffingDbContext>(db, clock)
    {
        protected override string ConsumerName => "staffing/device-moved";

        protected override Task HandleAsync(DeviceMoved message, ConsumeContext<DeviceMoved> context) =>
            InventoryReplica.ApplyDevicesAsync(Db, [DeviceFact.SchoolOnly(message.DeviceId, message.ToSchoolId, message.OccurredAt)],
                [message.FromSchoolId], Clock.GetUtcNow(), context.CancellationToken);
    }

    /// <summary>Also reported as a status change to Retired; applying both is harmless, and either alone is enough.</summary>
    public sealed class Retired(StaffingDbContext db, TimeProvider clock) : IdempotentConsumer<DeviceRetired, StaffingDbContext>(db, clock)
    {
        protected override string ConsumerName => "staffing/device-retired";

        protected override Task HandleAsync(DeviceRetired message, ConsumeContext<DeviceRetired> context) =>
            InventoryReplica.ApplyDevicesAsync(Db, [DeviceFact.StatusOnly(message.DeviceId, message.SchoolId, DeviceStatus.Retired, message.OccurredAt)],
                [], Clock.GetUtcNow(), context.CancellationToken);
    }

    public sealed class DevicesRepublished(StaffingDbContext db, TimeProvider clock)
        : IdempotentConsumer<DeviceStatesRepublished, StaffingDbContext>(db, clock)
    {
        protected override string ConsumerName => "staffing/device-states-republished";

        protected override Task HandleAsync(DeviceStatesRepublished message, ConsumeContext<DeviceStatesRepublished> context) =>
            InventoryReplica.ApplyDevicesAsync(Db,
                message.Devices.Select(d => DeviceFact.Full(d.DeviceId, message.SchoolId, d.Classification, d.AsOf)).ToList(),
                [], Clock.GetUtcNow(), context.CancellationToken);
    }

    public sealed class BoardSystemSetUp(StaffingDbContext db, TimeProvider clock) : IdempotentConsumer<BoardSystemRegistered, StaffingDbContext>(db, clock)
    {
        protected override string ConsumerName => "staffing/board-system-registered";

        protected override Task HandleAsync(BoardSystemRegistered message, ConsumeContext<BoardSystemRegistered> context) =>
            InventoryReplica.ApplyBoardSystemsAsync(Db, [new BoardSystemFact(message.BoardSystemId, message.SchoolId, SetUp: true, Dismantled: false)],
                Clock.GetUtcNow(), context.CancellationToken);
    }

    public sealed class BoardSystemTakenDown(StaffingDbContext db, TimeProvider clock)
        : IdempotentConsumer<BoardSystemDismantled, StaffingDbContext>(db, clock)
    {
        protected override string ConsumerName => "staffing/board-system-dismantled";

        protected override Task HandleAsync(BoardSystemDismantled message, ConsumeContext<BoardSystemDismantled> context) =>
            InventoryReplica.ApplyBoardSystemsAsync(Db, [new BoardSystemFact(message.BoardSystemId, message.SchoolId, SetUp: false, Dismantled: true)],
                Clock.GetUtcNow(), context.CancellationToken);
    }

    public sealed class BoardSystemsRepublished(StaffingDbContext db, TimeProvider clock)
        : IdempotentConsumer<BoardSystemStatesRepublished, StaffingDbContext>(db, clock)
    {
        protected override string ConsumerName => "staffing/board-system-states-republished";

        protected override Task HandleAsync(BoardSystemStatesRepublished message, ConsumeContext<BoardSystemStatesRepublished> context) =>
            InventoryReplica.ApplyBoardSystemsAsync(Db,
                message.BoardSystems.Select(b => new BoardSystemFact(b.BoardSystemId, message.SchoolId, SetUp: true, b.Dismantled)).ToList(),
                Clock.GetUtcNow(), context.CancellationToken);
    }
}
