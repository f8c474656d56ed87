using MassTransit;
using Mep.Assets.Data;
using Mep.Contracts.Schools;
using Mep.Messaging;

namespace Mep.Assets.Rooms;

/// <summary>A school's room as Assets knows it from Schools' RoomRecorded events: enough to check a device's room belongs to its school.</summary>
public sealed class KnownRoom : ReplicaRow
{
    public Guid RoomId { get; internal set; }
    public Guid SchoolId { get; internal set; }
    public Guid BuildingId { get; internal set; }
    public string BuildingName { get; internal set; } = string.Empty;
    public string Number { get; internal set; } = string.Empty;
    public RoomKind Kind { get; internal set; }
}

public sealed class RoomRecordedConsumer(AssetsDbContext db, TimeProvider clock) : IdempotentConsumer<RoomRecorded, AssetsDbContext>(db, clock)
{
    protected override string ConsumerName => "assets/room-recorded";

    protected override async Task HandleAsync(RoomRecorded message, ConsumeContext<RoomRecorded> context)
    {
        var room = await ReplicaRows.LockOrAddAsync(Db, message.RoomId, id => new KnownRoom { RoomId = id }, context.CancellationToken);
        room.ApplyIfNotOlder(message.OccurredAt, () => (room.SchoolId, room.BuildingId, room.BuildingName, room.Number, room.Kind) =
            (message.SchoolId, message.BuildingId, message.BuildingName, message.Number, message.Kind));
    }
}
