using MassTransit;
using Mep.Assets.Data;
using Mep.Contracts.Schools;
using Mep.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Mep.Assets.Rooms;

/// <summary>A school's room as Assets knows it from Schools' RoomRecorded events: enough to check a device's room belongs to its school.</summary>
public sealed class KnownRoom
{
    public Guid RoomId { get; internal set; }
    public Guid SchoolId { get; internal set; }
    public Guid BuildingId { get; internal set; }
    public string BuildingName { get; internal set; } = string.Empty;
    public string Number { get; internal set; } = string.Empty;
    public RoomKind Kind { get; internal set; }

    /// <summary>When the state held here was true at Schools; an older event arriving late does not overwrite it.</summary>
    public DateTimeOffset AsOf { get; internal set; }
}

public sealed class RoomRecordedConsumer(AssetsDbContext db, TimeProvider clock) : IdempotentConsumer<RoomRecorded, AssetsDbContext>(db, clock)
{
    protected override string ConsumerName => "assets/room-recorded";

    protected override async Task HandleAsync(RoomRecorded message, ConsumeContext<RoomRecorded> context)
    {
        // Locked, so two events of one room handled at once compare and write one after the other.
        var room = (await Db.KnownRooms.FromSql($"SELECT * FROM known_rooms WHERE room_id = {message.RoomId} FOR UPDATE")
            .AsTracking().ToListAsync(context.CancellationToken)).SingleOrDefault();
        if (room is null)
        {
            room = new KnownRoom { RoomId = message.RoomId, AsOf = DateTimeOffset.MinValue };
            Db.KnownRooms.Add(room);
        }

        if (room.AsOf <= message.OccurredAt)
        {
            (room.SchoolId, room.BuildingId, room.BuildingName, room.Number, room.Kind, room.AsOf) =
                (message.SchoolId, message.BuildingId, message.BuildingName, message.Number, message.Kind, message.OccurredAt);
        }
    }
}
