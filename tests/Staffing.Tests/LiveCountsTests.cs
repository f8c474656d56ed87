using System.Net;
using System.Text.Json;
using Mep.Contracts.Assets;

namespace Mep.Staffing.Tests;

/// <summary>Counts kept from Assets' events: exact per category, and the same whatever order and however often events arrive.</summary>
public sealed class LiveCountsTests(StaffingApi api) : IClassFixture<StaffingApi>
{
    private static readonly DateTimeOffset T0 = new(2026, 9, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A school's counts as the API shows them, in category order.</summary>
    private static int[] Counts(JsonElement response)
    {
        var c = response.GetProperty("counts");
        return [.. new[] { "pupilTablets", "teacherTablets", "loanTablets", "classSetTablets", "computerRoomDevices", "boardSystems", "boardSystemComponents",
            "networkDevices" }.Select(name => c.GetProperty(name).GetInt32())];
    }

    private async Task WaitForCountsAsync(Guid school, int[] expected) =>
        await Eventually.AssertAsync(async () => Counts(await api.CountsAsync(school)).SequenceEqual(expected),
            $"school {school} has counts {string.Join(",", expected)}");

    [Fact]
    public async Task Devices_in_use_count_per_category_and_a_board_system_counts_once_whatever_its_components()
    {
        var school = (await api.SchoolAsync()).Id;
        var fiveParts = Guid.NewGuid();
        var twoParts = Guid.NewGuid();
        await api.PublishAsync(new BoardSystemRegistered(fiveParts, school, Guid.NewGuid(), T0));
        await api.PublishAsync(new BoardSystemRegistered(twoParts, school, Guid.NewGuid(), T0));
        await api.PublishAsync(new DevicesRegistered(school, [
            .. StaffingApi.Many(4, DeviceKind.Tablet, TabletOwnership.ParentFinancedPupil),
            .. StaffingApi.Many(3, DeviceKind.Tablet, TabletOwnership.Teacher),
            .. StaffingApi.Many(2, DeviceKind.Tablet, TabletOwnership.Loan),
            .. StaffingApi.Many(16, DeviceKind.Tablet, TabletOwnership.SchoolClassSet),
            .. StaffingApi.Many(5, DeviceKind.ComputerRoomDevice),
            .. StaffingApi.Many(2, DeviceKind.NetworkDevice),
            .. Enumerable.Range(0, 5).Select(_ => StaffingApi.Device(DeviceKind.BoardSystemComponent, boardSystem: fiveParts)),
            .. Enumerable.Range(0, 2).Select(_ => StaffingApi.Device(DeviceKind.BoardSystemComponent, boardSystem: twoParts)),
            StaffingApi.Device(DeviceKind.Tablet, TabletOwnership.Teacher, DeviceStatus.Ordered),
            StaffingApi.Device(DeviceKind.Tablet, TabletOwnership.Teacher, DeviceStatus.Lost),
        ], T0));

        await WaitForCountsAsync(school, [4, 3, 2, 16, 5, 2, 7, 2]);
    }

    [Fact]
    public async Task Redelivered_and_reordered_events_give_exactly_the_counts_of_the_events_in_order()
    {
        var a = (await api.SchoolAsync()).Id;
        var b = (await api.SchoolAsync()).Id;
        var teacher = Enumerable.Range(0, 6).Select(_ => StaffingApi.Device(DeviceKind.Tablet, TabletOwnership.Teacher)).ToList();
        var computers = Enumerable.Range(0, 4).Select(_ => StaffingApi.Device(DeviceKind.ComputerRoomDevice)).ToList();
        var kept = Guid.NewGuid();
        var dismantled = Guid.NewGuid();
        // What Assets published, in the order it happened.
        object[] history =
        [
            new DevicesRegistered(a, [.. teacher, .. computers], T0),
            new BoardSystemRegistered(kept, a, Guid.NewGuid(), T0.AddMinutes(1)),
            new BoardSystemRegistered(dismantled, a, Guid.NewGuid(), T0.AddMinutes(1)),
            new DeviceUpdated(teacher[0].DeviceId, a, null, StaffingApi.Classification(DeviceKind.Tablet, TabletOwnership.Loan), T0.AddMinutes(2)),
            new DeviceStatusChanged(teacher[1].DeviceId, a, DeviceStatus.InService, DeviceStatus.InRepair, T0.AddMinutes(3)),
            new DeviceStatusChanged(teacher[2].DeviceId, a, DeviceStatus.InService, DeviceStatus.InRepair, T0.AddMinutes(3)),
            new DeviceStatusChanged(teacher[2].DeviceId, a, DeviceStatus.InRepair, DeviceStatus.Retired, T0.AddMinutes(4)),
            new DeviceRetired(teacher[2].DeviceId, a, T0.AddMinutes(4)),
            new DeviceStatusChanged(teacher[3].DeviceId, a, DeviceStatus.InService, DeviceStatus.Lost, T0.AddMinutes(4)),
            new DeviceMoved(computers[0].DeviceId, a, b, null, null, T0.AddMinutes(5)),
            new DeviceMoved(computers[1].DeviceId, a, b, null, null, T0.AddMinutes(5)),
            new DeviceMoved(computers[1].DeviceId, b, a, null, null, T0.AddMinutes(6)),
            new BoardSystemDismantled(dismantled, a, T0.AddMinutes(7)),
        ];
        var applied = await api.AppliedAsync();

        // Newest first, and every event twice with the same message id (a redelivery).
        foreach (var message in history.Reverse())
        {
            var id = Guid.NewGuid();
            await api.PublishAsync((dynamic)message, id);
            await api.PublishAsync((dynamic)message, id);
        }

        await api.WaitUntilAppliedAsync(applied + history.Length, "every event of the history applied once");
        // The inbox count above can be reached early: a school's registration overtaken by its update may still be applied after
        // "applied" was read, standing in for one of the history's events. So wait for the history's last effects as well.
        await Eventually.AssertAsync(async () => Counts(await api.CountsAsync(a)).SequenceEqual([0, 3, 1, 0, 3, 1, 0, 0])
            && Counts(await api.CountsAsync(b)).SequenceEqual([0, 0, 0, 0, 1, 0, 0, 0]), "the history's counts");
        // a: teacher tablets 6 - 1 (now loan) - 1 retired - 1 lost = 3 (the one in repair counts); loan 1; computers 4 - 1 moved = 3;
        // one board system left. b: the computer that moved and stayed.
        var countsOfA = Counts(await api.CountsAsync(a));
        var countsOfB = Counts(await api.CountsAsync(b));
        Assert.Equal([0, 3, 1, 0, 3, 1, 0, 0], countsOfA);
        Assert.Equal([0, 0, 0, 0, 1, 0, 0, 0], countsOfB);
    }

    [Fact]
    public async Task A_rebuild_empties_the_replica_asks_for_a_resync_and_the_republished_state_gives_the_same_counts()
    {
        var school = (await api.SchoolAsync()).Id;
        List<RegisteredDevice> devices =
            [.. StaffingApi.Many(3, DeviceKind.Tablet, TabletOwnership.Teacher), .. StaffingApi.Many(2, DeviceKind.ComputerRoomDevice)];
        var board = Guid.NewGuid();
        await api.PublishAsync(new DevicesRegistered(school, devices, T0));
        await api.PublishAsync(new BoardSystemRegistered(board, school, Guid.NewGuid(), T0));
        await api.PublishAsync(new DeviceRetired(devices[0].DeviceId, school, T0.AddMinutes(1)));
        int[] before = [0, 2, 0, 0, 2, 1, 0, 0];
        await WaitForCountsAsync(school, before);

        var rebuild = await api.Admin.PostAsync("/api/staffing/admin/replica/rebuild", null);
        Assert.Equal(HttpStatusCode.Accepted, rebuild.StatusCode);
        var emptied = Counts(await api.CountsAsync(school));
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0], emptied);
        Assert.Equal(1, await api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE message_type = 'Mep.Contracts.Replication.ReplicaResyncRequested'"));

        // Assets answers the request with its current state.
        await api.PublishAsync(new DeviceStatesRepublished(school, [
            .. devices.Select((d, i) => new RepublishedDevice(d.DeviceId, null, d.SerialNumber,
                i == 0 ? d.Classification with { Status = DeviceStatus.Retired } : d.Classification, i == 0 ? T0.AddMinutes(1) : T0)),
        ], T0.AddHours(1)));
        await api.PublishAsync(new BoardSystemStatesRepublished(school, [new RepublishedBoardSystem(board, Guid.NewGuid(), Dismantled: false, T0)],
            T0.AddHours(1)));

        await WaitForCountsAsync(school, before);
        var recount = await StaffingApi.SendOkAsync(api.Admin, HttpMethod.Post, "/api/staffing/admin/replica/recount", new { });
        Assert.True(recount.GetProperty("schools").GetInt32() >= 1);
        var recounted = Counts(await api.CountsAsync(school));
        Assert.Equal(before, recounted);
    }

    [Fact]
    public async Task Counts_are_for_staff_who_read_staffing()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await api.ClientAs("vendor").GetAsync("/api/staffing/counts")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().GetAsync("/api/staffing/counts")).StatusCode);
    }

    [Fact]
    public async Task A_planner_does_not_rebuild_the_replica()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Planner.PostAsync("/api/staffing/admin/replica/rebuild", null)).StatusCode);
    }

    [Fact]
    public async Task An_unknown_schools_counts_are_a_404_problem()
    {
        var missing = await api.Planner.GetAsync($"/api/staffing/counts/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }
}
