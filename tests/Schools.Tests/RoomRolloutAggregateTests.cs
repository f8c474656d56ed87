using Mep.Contracts.Schools;
using Mep.Schools.Rollout;
using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Tests;

/// <summary>A room's part of the rollout, on the domain type alone: no database, no HTTP (the API tests cover the way there).</summary>
public sealed class RoomRolloutAggregateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    private static RoomRollout Started(RoomKind kind = RoomKind.Classroom) => RoomRollout.Start(Guid.NewGuid(), Guid.NewGuid(), kind, Now);

    [Theory]
    [InlineData(RoomKind.Classroom, true)]
    [InlineData(RoomKind.ComputerRoom, false)]
    [InlineData(RoomKind.StaffRoom, false)]
    public void Only_a_classroom_gets_a_board_system_by_default(RoomKind kind, bool boardSystemPlanned)
    {
        Assert.Equal(boardSystemPlanned, Started(kind).BoardSystemPlanned);
    }

    [Fact]
    public void Every_room_starts_with_wlan_planned()
    {
        Assert.Equal(WlanCoverage.Planned, Started(RoomKind.Other).Wlan);
    }

    [Fact]
    public void A_change_is_taken_as_a_whole()
    {
        var room = Started(RoomKind.ComputerRoom);
        var change = new RoomRolloutChange(WlanCoverage.Installed, 2, 2, true, WorkStatus.InProgress);

        room.Change(change, Now.AddDays(1));

        Assert.Equal((change, Now.AddDays(1)), (room.Current, room.UpdatedAt));
    }

    [Fact]
    public void Access_points_installed_without_any_planned_are_refused()
    {
        var room = Started();

        var refused = Assert.Throws<DomainRuleException>(() =>
            room.Change(new RoomRolloutChange(WlanCoverage.Installed, 0, 1, true, WorkStatus.NotStarted), Now));

        Assert.Equal("access-points-installed-unplanned", refused.Rule);
    }

    [Fact]
    public void A_refused_change_leaves_the_room_as_it_was()
    {
        var room = Started();
        var before = room.Current;

        Assert.Throws<DomainRuleException>(() => room.Change(new RoomRolloutChange(WlanCoverage.Installed, 0, 1, false, WorkStatus.Done), Now.AddDays(1)));

        Assert.Equal((before, Now), (room.Current, room.UpdatedAt));
    }
}
