using MassTransit;
using Mep.Contracts.Assets;
using Mep.Schools.Data;
using Mep.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Mep.Schools.Rollout;

/// <summary>
/// Which board systems stand in which rooms, and their components, as Assets reports them: a room's board system counts
/// as installed when Assets says so, not when someone ticks a box. Each event applies once (inbox) and never overwrites
/// newer state with older (AsOf); a change of a room's board system reassesses its school's rollout in the same transaction.
/// </summary>
public static class BoardSystemConsumers
{
    public static IBusRegistrationConfigurator AddBoardSystemConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<Registered>();
        bus.AddConsumer<Dismantled>();
        bus.AddConsumer<ComponentsRegistered>();
        bus.AddConsumer<ComponentUpdated>();
        bus.AddConsumer<ComponentRetired>();
        return bus;
    }

    public sealed class Registered(SchoolsDbContext db, TimeProvider clock, RolloutLedger ledger)
        : IdempotentConsumer<BoardSystemRegistered, SchoolsDbContext>(db, clock)
    {
        protected override string ConsumerName => "schools/board-system-registered";

        protected override async Task HandleAsync(BoardSystemRegistered message, ConsumeContext<BoardSystemRegistered> context)
        {
            var board = await BoardAsync(Db, message.BoardSystemId, context.CancellationToken);
            board.ApplyIfNotOlder(message.OccurredAt, () => (board.SchoolId, board.RoomId) = (message.SchoolId, message.RoomId));

            await ledger.ReassessInTransactionAsync(board.SchoolId, context.CancellationToken);
        }
    }

    public sealed class Dismantled(SchoolsDbContext db, TimeProvider clock, RolloutLedger ledger)
        : IdempotentConsumer<BoardSystemDismantled, SchoolsDbContext>(db, clock)
    {
        protected override string ConsumerName => "schools/board-system-dismantled";

        protected override async Task HandleAsync(BoardSystemDismantled message, ConsumeContext<BoardSystemDismantled> context)
        {
            var board = await BoardAsync(Db, message.BoardSystemId, context.CancellationToken);
            // Dismantling is final: it wins over a registration that arrives after it.
            board.ApplyFinal(message.OccurredAt, () => (board.SchoolId, board.Dismantled) = (message.SchoolId, true));
            await ledger.ReassessInTransactionAsync(message.SchoolId, context.CancellationToken);
        }
    }

    public sealed class ComponentsRegistered(SchoolsDbContext db, TimeProvider clock)
        : IdempotentConsumer<DevicesRegistered, SchoolsDbContext>(db, clock)
    {
        protected override string ConsumerName => "schools/board-components-registered";

        protected override async Task HandleAsync(DevicesRegistered message, ConsumeContext<DevicesRegistered> context)
        {
            var components = message.Devices.Where(d => d.Classification.BoardSystemId is not null).ToList();
            foreach (var device in components)
            {
                var component = await ComponentAsync(Db, device.DeviceId, context.CancellationToken);
                component.SerialNumber ??= device.SerialNumber;
                Classify(component, device.Classification, message.OccurredAt);
            }
        }
    }

    public sealed class ComponentUpdated(SchoolsDbContext db, TimeProvider clock) : IdempotentConsumer<DeviceUpdated, SchoolsDbContext>(db, clock)
    {
        protected override string ConsumerName => "schools/board-component-updated";

        protected override async Task HandleAsync(DeviceUpdated message, ConsumeContext<DeviceUpdated> context)
        {
            var known = await Db.BoardComponents.AnyAsync(c => c.DeviceId == message.DeviceId, context.CancellationToken);
            if (!known && message.Classification.BoardSystemId is null)
            {
                return; // Not a component, and never was one: nothing to keep.
            }

            Classify(await ComponentAsync(Db, message.DeviceId, context.CancellationToken), message.Classification, message.OccurredAt);
        }
    }

    public sealed class ComponentRetired(SchoolsDbContext db, TimeProvider clock) : IdempotentConsumer<DeviceRetired, SchoolsDbContext>(db, clock)
    {
        protected override string ConsumerName => "schools/board-component-retired";

        protected override async Task HandleAsync(DeviceRetired message, ConsumeContext<DeviceRetired> context)
        {
            var locked = await ReplicaRows.LockAsync<BoardComponent>(Db, [message.DeviceId], context.CancellationToken);
            if (locked.Values.SingleOrDefault() is { } component)
            {
                // Retirement is final, whatever arrives after it.
                component.ApplyFinal(message.OccurredAt, () => component.Retired = true);
            }
        }
    }

    /// <summary>The board system and kind a device event reports, unless the component holds newer state already.</summary>
    private static void Classify(BoardComponent component, DeviceClassification classification, DateTimeOffset occurredAt) =>
        component.ApplyIfNotOlder(occurredAt, () =>
            (component.BoardSystemId, component.Kind) = (classification.BoardSystemId, classification.ComponentKind));

    /// <summary>The board system's row, locked; or a new one any state will overwrite.</summary>
    private static Task<InstalledBoardSystem> BoardAsync(SchoolsDbContext db, Guid boardSystemId, CancellationToken cancellationToken) =>
        ReplicaRows.LockOrAddAsync(db, boardSystemId, id => new InstalledBoardSystem { BoardSystemId = id }, cancellationToken);

    private static Task<BoardComponent> ComponentAsync(SchoolsDbContext db, Guid deviceId, CancellationToken cancellationToken) =>
        ReplicaRows.LockOrAddAsync(db, deviceId, id => new BoardComponent { DeviceId = id }, cancellationToken);
}
