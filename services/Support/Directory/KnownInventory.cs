using MassTransit;
using Mep.Contracts.Assets;
using Mep.Contracts.Schools;
using Mep.Messaging;
using Mep.Support.Data;

namespace Mep.Support.Directory;

/// <summary>
/// A device as Support knows it from Assets' events: enough to check a reported serial, to route by ownership, and to decide who pays
/// a repair (make, warranty, purchase date, the parents' contract) and report it per model.
/// </summary>
public sealed class KnownDevice : ReplicaRow
{
    public Guid DeviceId { get; internal set; }
    public Guid SchoolId { get; internal set; }
    public string SerialNumber { get; internal set; } = string.Empty;
    public DeviceKind Kind { get; internal set; }
    public TabletOwnership? Ownership { get; internal set; }
    public bool Retired { get; internal set; }

    /// <summary>Null until Assets told its status (device events before repairs carried it only in the classification).</summary>
    public DeviceStatus? Status { get; internal set; }
    public FundingSource? FundingSource { get; internal set; }
    public string? Manufacturer { get; internal set; }
    public string? Model { get; internal set; }

    /// <summary>The last day of this device's own manufacturer warranty, where Assets recorded one.</summary>
    public DateOnly? WarrantyEnd { get; internal set; }
    public DateOnly? PurchaseDate { get; internal set; }

    /// <summary>The provider under the parents' contract of a parent-financed pupil tablet (who repairs it at no cost to the city).</summary>
    public string? ContractProvider { get; internal set; }

    /// <summary>
    /// When the device's facts (serial, kind, ownership, funding source, money, make) were true at Assets; <see cref="ReplicaRow.AsOf"/>
    /// is the time of its school and status. The facts have a time of their own because only the full events (registration, correction,
    /// republication) carry them: a status change or move that overtakes the registration makes the row's state newer than the
    /// registration, and the registration must still bring the serial and make that nothing else tells.
    /// </summary>
    public DateTimeOffset FactsAsOf { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>Where the device is and its status, as a registration or republication tells them; a retired status retires it.</summary>
    internal void ApplyState(Guid schoolId, DeviceStatus status) =>
        (SchoolId, Status, Retired) = (schoolId, status, status == DeviceStatus.Retired);

    /// <summary>
    /// What a full device event true at <paramref name="asOf"/> tells of its facts, unless the row holds newer facts. Financials and make
    /// were added to the events later: an event without them (null) leaves what the row holds; so does a correction, which carries no
    /// serial (<paramref name="serialNumber"/> null).
    /// </summary>
    internal void ApplyFacts(DateTimeOffset asOf, DeviceClassification classification, DeviceFinancials? financials, DeviceMake? make,
        string? serialNumber)
    {
        if (FactsAsOf > asOf)
        {
            return;
        }

        (Kind, Ownership, FundingSource, FactsAsOf) = (classification.Kind, classification.Ownership, classification.FundingSource, asOf);
        if (serialNumber is not null)
        {
            SerialNumber = Mep.Contracts.Assets.SerialNumber.Normalise(serialNumber);
        }

        if (financials is not null)
        {
            (PurchaseDate, ContractProvider) = (financials.PurchaseDate, financials.ParentContract?.Provider);
        }

        if (make is not null)
        {
            (Manufacturer, Model, WarrantyEnd) = (make.Manufacturer, make.Model, make.WarrantyEnd);
        }
    }
}

/// <summary>A school's room as Support knows it from Schools' RoomRecorded events.</summary>
public sealed class KnownRoom : ReplicaRow
{
    public Guid RoomId { get; internal set; }
    public Guid SchoolId { get; internal set; }
    public string BuildingName { get; internal set; } = string.Empty;
    public string Number { get; internal set; } = string.Empty;
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
        bus.AddConsumer<DeviceStatusChangedConsumer>();
        bus.AddConsumer<DeviceStatesRepublishedConsumer>();
        bus.AddConsumer<RoomRecordedConsumer>();
        return bus;
    }

    /// <summary>The device's row, locked; or a new one any state will overwrite (an update may overtake the registration).</summary>
    private static Task<KnownDevice> KnownAsync(SupportDbContext db, Guid deviceId, CancellationToken cancellationToken) =>
        ReplicaRows.LockOrAddAsync(db, deviceId, NewDevice, cancellationToken);

    private static KnownDevice NewDevice(Guid id) => new() { DeviceId = id };

    public sealed class DevicesRegisteredConsumer(SupportDbContext db, TimeProvider clock) : IdempotentConsumer<DevicesRegistered, SupportDbContext>(db, clock)
    {
        protected override string ConsumerName => "support/devices-registered";

        protected override async Task HandleAsync(DevicesRegistered message, ConsumeContext<DevicesRegistered> context)
        {
            var known = await ReplicaRows.LockOrAddAsync(Db, [.. message.Devices.Select(d => d.DeviceId)], NewDevice, context.CancellationToken);
            foreach (var registered in message.Devices)
            {
                var device = known[registered.DeviceId];
                device.ApplyFacts(message.OccurredAt, registered.Classification, registered.Financials, registered.Make, registered.SerialNumber);
                device.ApplyIfNotOlder(message.OccurredAt, () => device.ApplyState(message.SchoolId, registered.Classification.Status));
            }
        }
    }

    public sealed class DeviceUpdatedConsumer(SupportDbContext db, TimeProvider clock) : IdempotentConsumer<DeviceUpdated, SupportDbContext>(db, clock)
    {
        protected override string ConsumerName => "support/device-updated";

        protected override async Task HandleAsync(DeviceUpdated message, ConsumeContext<DeviceUpdated> context)
        {
            var device = await KnownAsync(Db, message.DeviceId, context.CancellationToken);
            // The event carries no serial (a correction comes with the full registration's serial in a later resync).
            device.ApplyFacts(message.OccurredAt, message.Classification, message.Financials, message.Make, serialNumber: null);
            if (!device.Retired)
            {
                device.ApplyIfNotOlder(message.OccurredAt, () => (device.SchoolId, device.Status) = (message.SchoolId, message.Classification.Status));
            }
        }
    }

    public sealed class DeviceMovedConsumer(SupportDbContext db, TimeProvider clock) : IdempotentConsumer<DeviceMoved, SupportDbContext>(db, clock)
    {
        protected override string ConsumerName => "support/device-moved";

        protected override async Task HandleAsync(DeviceMoved message, ConsumeContext<DeviceMoved> context)
        {
            var device = await KnownAsync(Db, message.DeviceId, context.CancellationToken);
            device.ApplyIfNotOlder(message.OccurredAt, () => device.SchoolId = message.ToSchoolId);
        }
    }

    public sealed class DeviceRetiredConsumer(SupportDbContext db, TimeProvider clock) : IdempotentConsumer<DeviceRetired, SupportDbContext>(db, clock)
    {
        protected override string ConsumerName => "support/device-retired";

        protected override async Task HandleAsync(DeviceRetired message, ConsumeContext<DeviceRetired> context)
        {
            var device = await KnownAsync(Db, message.DeviceId, context.CancellationToken);
            // Retiring is final: whatever arrives later or earlier, the device stays retired.
            device.ApplyFinal(message.OccurredAt, () => (device.SchoolId, device.Retired, device.Status) = (message.SchoolId, true, DeviceStatus.Retired));
        }
    }

    /// <summary>In service, in repair, lost: what a repair case shows of the device. Retiring is final here too (as <see cref="DeviceRetiredConsumer"/>).</summary>
    public sealed class DeviceStatusChangedConsumer(SupportDbContext db, TimeProvider clock) : IdempotentConsumer<DeviceStatusChanged, SupportDbContext>(db, clock)
    {
        protected override string ConsumerName => "support/device-status-changed";

        protected override async Task HandleAsync(DeviceStatusChanged message, ConsumeContext<DeviceStatusChanged> context)
        {
            var device = await KnownAsync(Db, message.DeviceId, context.CancellationToken);
            if (message.To == DeviceStatus.Retired)
            {
                device.ApplyFinal(message.OccurredAt, () => (device.SchoolId, device.Retired, device.Status) = (message.SchoolId, true, DeviceStatus.Retired));
            }
            else if (!device.Retired)
            {
                device.ApplyIfNotOlder(message.OccurredAt, () => (device.SchoolId, device.Status) = (message.SchoolId, message.To));
            }
        }
    }

    /// <summary>
    /// Assets' whole inventory again, on a resync: it fills in what rows kept from before Support kept a device's make, warranty and
    /// purchase (a repair's payer and report need them), and mends what an event lost. Each device only where its state is not older
    /// than the row's; a retired device stays retired.
    /// </summary>
    public sealed class DeviceStatesRepublishedConsumer(SupportDbContext db, TimeProvider clock)
        : IdempotentConsumer<DeviceStatesRepublished, SupportDbContext>(db, clock)
    {
        protected override string ConsumerName => "support/device-states-republished";

        protected override async Task HandleAsync(DeviceStatesRepublished message, ConsumeContext<DeviceStatesRepublished> context)
        {
            var known = await ReplicaRows.LockOrAddAsync(Db, [.. message.Devices.Select(d => d.DeviceId)], NewDevice, context.CancellationToken);
            foreach (var state in message.Devices)
            {
                var device = known[state.DeviceId];
                device.ApplyFacts(state.AsOf, state.Classification, state.Financials, state.Make, state.SerialNumber);
                void Apply() => device.ApplyState(message.SchoolId, state.Classification.Status);

                if (state.Classification.Status == DeviceStatus.Retired)
                {
                    device.ApplyFinal(state.AsOf, Apply);
                }
                else if (!device.Retired)
                {
                    device.ApplyIfNotOlder(state.AsOf, Apply);
                }
            }
        }
    }

    public sealed class RoomRecordedConsumer(SupportDbContext db, TimeProvider clock) : IdempotentConsumer<RoomRecorded, SupportDbContext>(db, clock)
    {
        protected override string ConsumerName => "support/room-recorded";

        protected override async Task HandleAsync(RoomRecorded message, ConsumeContext<RoomRecorded> context)
        {
            var room = await ReplicaRows.LockOrAddAsync(Db, message.RoomId, id => new KnownRoom { RoomId = id }, context.CancellationToken);
            room.ApplyIfNotOlder(message.OccurredAt, () => (room.SchoolId, room.BuildingName, room.Number) =
                (message.SchoolId, message.BuildingName, message.Number));
        }
    }
}
