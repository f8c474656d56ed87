using Mep.Contracts.Schools;
using Mep.Schools.Rollout;
using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Tests;

/// <summary>The derived status and the dependency rules, on facts alone (no database).</summary>
public sealed class RolloutAssessmentTests
{
    private static readonly Guid Main = Guid.NewGuid();
    private static readonly Guid Classroom = Guid.NewGuid();
    private static readonly Guid StaffRoom = Guid.NewGuid();

    private static BuildingFacts Building(WorkStatus all) => new(Main, "Hauptgebäude", all, all, all);

    private static RoomFacts ClassroomWith(WlanCoverage wlan, Guid? boardSystem = null) =>
        new(Classroom, Main, "1.01", RoomKind.Classroom, wlan, 2, wlan == WlanCoverage.Planned ? 0 : 2, true, boardSystem, WorkStatus.NotStarted);

    private static RoomFacts StaffRoomWith(WlanCoverage wlan) =>
        new(StaffRoom, Main, "0.L", RoomKind.StaffRoom, wlan, 1, wlan == WlanCoverage.Planned ? 0 : 1, false, null, WorkStatus.NotStarted);

    private static RolloutFacts Facts(
        bool inPlan = true, DateOnly? surveyed = null, DateOnly? accepted = null, BroadbandStatus broadband = BroadbandStatus.Planned,
        WorkStatus network = WorkStatus.NotStarted, params RoomFacts[] rooms) =>
        new(inPlan, surveyed, accepted, broadband, [Building(network)], rooms);

    private static readonly DateOnly Day = new(2025, 3, 1);

    [Fact]
    public void Each_step_of_the_way_gives_its_status()
    {
        var rooms = new[] { ClassroomWith(WlanCoverage.Planned), StaffRoomWith(WlanCoverage.Planned) };

        Assert.Equal(RolloutStatus.NotInPlan, RolloutAssessment.Of(Facts(inPlan: false, rooms: rooms)).Status);
        Assert.Equal(RolloutStatus.Planned, RolloutAssessment.Of(Facts(rooms: rooms)).Status);
        Assert.Equal(RolloutStatus.Surveyed, RolloutAssessment.Of(Facts(surveyed: Day, rooms: rooms)).Status);
        Assert.Equal(RolloutStatus.BuildingWork, RolloutAssessment.Of(Facts(surveyed: Day, broadband: BroadbandStatus.Ordered, rooms: rooms)).Status);
        Assert.Equal(RolloutStatus.BuildingWork,
            RolloutAssessment.Of(Facts(surveyed: Day, broadband: BroadbandStatus.Ordered, network: WorkStatus.Done, rooms: rooms)).Status);
        Assert.Equal(RolloutStatus.Equipping,
            RolloutAssessment.Of(Facts(surveyed: Day, broadband: BroadbandStatus.Connected, network: WorkStatus.Done, rooms: rooms)).Status);
        Assert.Equal(RolloutStatus.Accepted, RolloutAssessment.Of(Facts(surveyed: Day, accepted: Day, broadband: BroadbandStatus.Connected,
            network: WorkStatus.Done, rooms: [ClassroomWith(WlanCoverage.Accepted, Guid.NewGuid()), StaffRoomWith(WlanCoverage.Accepted)])).Status);
    }

    [Fact]
    public void Equipped_needs_every_room_done_and_names_the_room_missing_wlan()
    {
        var almost = RolloutAssessment.Of(Facts(surveyed: Day, broadband: BroadbandStatus.Connected, network: WorkStatus.Done,
            rooms: [ClassroomWith(WlanCoverage.Accepted, Guid.NewGuid()), StaffRoomWith(WlanCoverage.Installed)]));

        Assert.True(almost.BuildingWorkDone);
        Assert.False(almost.Equipped);
        var open = Assert.Single(almost.OpenForAcceptance);
        Assert.Equal("room-not-done", open.Rule);
        Assert.Equal(StaffRoom, open.RoomId);
        Assert.Equal("Room 0.L (building Hauptgebäude): WLAN installed but not measured and accepted.", open.Message);
        Assert.Equal([Classroom], almost.DoneRooms);
    }

    [Fact]
    public void A_planned_board_system_keeps_the_room_open_until_assets_reports_one()
    {
        var withoutBoard = RolloutAssessment.Of(Facts(surveyed: Day, broadband: BroadbandStatus.Connected, network: WorkStatus.Done,
            rooms: [ClassroomWith(WlanCoverage.Accepted)]));

        Assert.False(withoutBoard.Equipped);
        Assert.Equal("Room 1.01 (building Hauptgebäude): board system planned but not installed.", Assert.Single(withoutBoard.OpenForAcceptance).Message);
    }

    [Fact]
    public void A_board_system_before_the_rooms_network_is_a_violation()
    {
        var early = RolloutAssessment.Of(Facts(surveyed: Day, network: WorkStatus.InProgress, rooms: [ClassroomWith(WlanCoverage.Planned, Guid.NewGuid())]));

        var violation = Assert.Single(early.Violations);
        Assert.Equal(("board-system-before-network", Classroom), (violation.Rule, violation.RoomId));
    }

    [Fact]
    public void A_planned_board_system_and_the_wlan_wait_for_the_rooms_network_without_a_violation()
    {
        var waiting = RolloutAssessment.Of(Facts(surveyed: Day, network: WorkStatus.InProgress, rooms: [ClassroomWith(WlanCoverage.Planned)]));

        Assert.Contains(waiting.Blocked, b => b.Rule == "board-system-waits-for-network" && b.RoomId == Classroom);
        Assert.Contains(waiting.Blocked, b => b.Rule == "wlan-waits-for-network" && b.RoomId == Classroom);
        Assert.Empty(waiting.Violations);
    }

    [Fact]
    public void Wlan_before_the_network_and_short_access_points_are_reported()
    {
        var assessment = RolloutAssessment.Of(Facts(surveyed: Day, network: WorkStatus.InProgress,
            rooms: [ClassroomWith(WlanCoverage.Installed) with { AccessPointsInstalled = 1 }]));

        Assert.Equal(["wlan-before-network", "wlan-with-access-points-missing"], assessment.Violations.Select(v => v.Rule).ToArray());
        Assert.Equal("Room 1.01 (building Hauptgebäude): WLAN is installed with 1 of 2 planned access points installed.", assessment.Violations[1].Message);
    }

    [Fact]
    public void Building_work_before_the_survey_is_a_violation()
    {
        var assessment = RolloutAssessment.Of(Facts(network: WorkStatus.InProgress, rooms: [StaffRoomWith(WlanCoverage.Planned)]));

        Assert.Equal(RolloutStatus.BuildingWork, assessment.Status);
        Assert.Contains(assessment.Violations, v => v.Rule == "building-work-before-survey");
    }

    [Fact]
    public void Tablets_count_as_usable_only_with_broadband_and_accepted_wlan_in_every_room()
    {
        var connected = Facts(surveyed: Day, broadband: BroadbandStatus.Connected, network: WorkStatus.Done,
            rooms: [ClassroomWith(WlanCoverage.Accepted), StaffRoomWith(WlanCoverage.Installed)]);

        Assert.False(RolloutAssessment.Of(connected).TabletsUsable);
        Assert.Equal("Mobile devices do not count as usable yet: WLAN is not accepted in 1 room(s): Room 0.L (building Hauptgebäude).",
            Assert.Single(RolloutAssessment.Of(connected).Blocked, b => b.Rule == "tablets-wait-for-wlan").Message);
        Assert.True(RolloutAssessment.Of(connected with { Rooms = [ClassroomWith(WlanCoverage.Accepted), StaffRoomWith(WlanCoverage.Accepted)] }).TabletsUsable);
        Assert.False(RolloutAssessment.Of(connected with
        {
            Broadband = BroadbandStatus.Ordered, Rooms = [ClassroomWith(WlanCoverage.Accepted), StaffRoomWith(WlanCoverage.Accepted)],
        }).TabletsUsable);
    }

    [Fact]
    public void A_computer_room_is_done_only_when_its_devices_are_replaced()
    {
        var computerRoom = new RoomFacts(Guid.NewGuid(), Main, "2.C1", RoomKind.ComputerRoom, WlanCoverage.Accepted, 2, 2, false, null, WorkStatus.InProgress);

        Assert.False(RolloutAssessment.RoomDone(computerRoom));
        Assert.True(RolloutAssessment.RoomDone(computerRoom with { ComputerRoomReplacement = WorkStatus.Done }));
    }

    [Fact]
    public void What_is_open_after_an_acceptance_is_reported_as_a_violation()
    {
        var assessment = RolloutAssessment.Of(Facts(surveyed: Day, accepted: Day, broadband: BroadbandStatus.Connected, network: WorkStatus.Done,
            rooms: [StaffRoomWith(WlanCoverage.Planned)]));

        Assert.Equal(RolloutStatus.Accepted, assessment.Status);
        Assert.Equal("Accepted, but open: Room 0.L (building Hauptgebäude): WLAN missing.",
            Assert.Single(assessment.Violations, v => v.Rule == "open-after-acceptance").Message);
    }

    [Fact]
    public void An_equipped_school_is_ready_for_acceptance()
    {
        var equipped = RolloutAssessment.Of(Facts(surveyed: Day, broadband: BroadbandStatus.Connected, network: WorkStatus.Done,
            rooms: [ClassroomWith(WlanCoverage.Accepted, boardSystem: Guid.NewGuid()), StaffRoomWith(WlanCoverage.Accepted)]));

        Assert.Null(Record.Exception(equipped.EnsureReadyForAcceptance));
    }

    [Fact]
    public void A_school_with_open_items_is_refused_acceptance_with_the_items_under_open_items()
    {
        var assessment = RolloutAssessment.Of(Facts(surveyed: Day, broadband: BroadbandStatus.Connected, network: WorkStatus.Done,
            rooms: [StaffRoomWith(WlanCoverage.Installed)]));

        var refused = Assert.Throws<DomainRuleException>(assessment.EnsureReadyForAcceptance);

        Assert.Equal(("acceptance-needs-every-part-done", "The school cannot be accepted yet: 1 item(s) are open. "
                + "Room 0.L (building Hauptgebäude): WLAN installed but not measured and accepted.", (object?)assessment.OpenForAcceptance),
            (refused.Rule, refused.Message, refused.Extensions["openItems"]));
    }

    [Fact]
    public void A_refused_acceptance_names_ten_open_items_and_counts_the_rest()
    {
        var rooms = Enumerable.Range(1, 12).Select(i => StaffRoomWith(WlanCoverage.Planned) with { Id = Guid.NewGuid(), Number = $"0.{i:00}" }).ToArray();
        var assessment = RolloutAssessment.Of(Facts(surveyed: Day, broadband: BroadbandStatus.Connected, network: WorkStatus.Done, rooms: rooms));

        var refused = Assert.Throws<DomainRuleException>(assessment.EnsureReadyForAcceptance);

        Assert.EndsWith("Room 0.10 (building Hauptgebäude): WLAN missing. And 2 more (see openItems).", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_accepted_school_is_left_for_the_school_to_refuse_a_second_acceptance()
    {
        var accepted = RolloutAssessment.Of(Facts(surveyed: Day, accepted: Day, broadband: BroadbandStatus.Connected, network: WorkStatus.Done,
            rooms: [StaffRoomWith(WlanCoverage.Planned)]));

        Assert.Null(Record.Exception(accepted.EnsureReadyForAcceptance));
    }
}
