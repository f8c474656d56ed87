using Mep.Contracts.Schools;
using Mep.Schools.Buildings;

namespace Mep.Schools.Tests;

/// <summary>A room's own behaviour, on the domain type alone: no database, no HTTP (the API tests cover the way there).</summary>
public sealed class RoomAggregateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    private static Room Added(string? description = " Blick zum Hof ") => Room.Add(Guid.NewGuid(), Guid.NewGuid(), " A 1.12 ", RoomKind.Classroom, description, Now);

    [Fact]
    public void A_room_keeps_its_number_and_description_without_surrounding_spaces()
    {
        var room = Added();

        Assert.Equal(("A 1.12", "Blick zum Hof"), (room.Number, room.Description));
    }

    [Fact]
    public void A_blank_description_is_no_description()
    {
        Assert.Null(Added(description: "   ").Description);
    }

    [Fact]
    public void A_change_replaces_number_kind_and_description_and_dates_it()
    {
        var room = Added();

        room.Change(" A 1.14 ", RoomKind.ComputerRoom, null, Now.AddDays(1));

        Assert.Equal(("A 1.14", RoomKind.ComputerRoom, null, Now.AddDays(1), Now),
            (room.Number, room.Kind, room.Description, room.UpdatedAt, room.CreatedAt));
    }
}
