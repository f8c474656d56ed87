using Mep.Contracts;
using Mep.Contracts.Assets;
using Mep.Contracts.Support;

namespace Mep.Staffing.Tests;

/// <summary>The nightly snapshot and the trend read from it; tickets per month from Support's events next to devices and need.</summary>
public sealed class HistoryAndTicketLoadTests(StaffingApi api) : IClassFixture<StaffingApi>
{
    [Fact]
    public async Task A_snapshot_records_every_schools_counts_and_fte_and_taking_it_again_the_same_day_replaces_it()
    {
        var school = (await api.SchoolAsync(SchoolType.GY, "Misburg-Anderten")).Id;
        await api.PublishAsync(new DevicesRegistered(school, [.. StaffingApi.Many(150, DeviceKind.Tablet, TabletOwnership.Teacher),
            .. StaffingApi.Many(70, DeviceKind.ComputerRoomDevice)], DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () => (await api.CountsAsync(school)).GetProperty("counts").GetProperty("computerRoomDevices").GetInt32() == 70,
            "devices counted");

        var first = await StaffingApi.SendOkAsync(api.Admin, HttpMethod.Post, "/api/staffing/admin/history/snapshot", new { });
        // 30 more teacher tablets before the same day's snapshot is taken again: the day's point shows the second counts.
        await api.PublishAsync(new DevicesRegistered(school, [.. StaffingApi.Many(30, DeviceKind.Tablet, TabletOwnership.Teacher)], DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () => (await api.CountsAsync(school)).GetProperty("counts").GetProperty("teacherTablets").GetInt32() == 180,
            "more devices counted");
        var again = await StaffingApi.SendOkAsync(api.Admin, HttpMethod.Post, "/api/staffing/admin/history/snapshot", new { });
        var day = first.GetProperty("takenOn").GetString();

        Assert.Equal(4, again.GetProperty("models").GetInt32());
        var history = await StaffingApi.GetOkAsync(api.Planner, $"/api/staffing/history?schoolId={school}&from={day}&to={day}");
        var point = Assert.Single(history.EnumerateArray());
        Assert.Equal(day, point.GetProperty("takenOn").GetString());
        Assert.Equal(day, again.GetProperty("takenOn").GetString());
        Assert.Equal(180, point.GetProperty("devices").GetProperty("teacherTablets").GetInt32());
        Assert.Equal(180 / 1500m + 70 / 700m, point.GetProperty("fte").GetDecimal());
        Assert.Equal(1, await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM fte_snapshots WHERE school_id = '{school}' AND model_code = 'hannover-mep-2020'"));
        var ifib = await StaffingApi.GetOkAsync(api.Planner, $"/api/staffing/history?schoolId={school}&from={day}&to={day}&model=ifib-bertelsmann-2017");
        Assert.Equal(250 / 400m, Assert.Single(ifib.EnumerateArray()).GetProperty("fte").GetDecimal());
    }

    [Fact]
    public async Task A_district_history_whose_exact_fte_has_more_digits_than_a_decimal_holds_is_read_rounded_not_a_500()
    {
        for (var i = 0; i < 8; i++)
        {
            var school = (await api.SchoolAsync(SchoolType.IGS, "Kirchrode-Bemerode-Wülferode")).Id;
            await api.PublishAsync(new DevicesRegistered(school, [.. StaffingApi.Many(800, DeviceKind.ComputerRoomDevice)], DateTimeOffset.UtcNow));
        }

        await Eventually.AssertAsync(async () => await api.Database.ScalarAsync<long>(
                "SELECT coalesce(sum(computer_room_devices), 0) FROM school_counts c JOIN known_schools s USING (school_id) "
                + "WHERE s.district = 'Kirchrode-Bemerode-Wülferode'") == 6_400, "devices counted");
        var day = (await StaffingApi.SendOkAsync(api.Admin, HttpMethod.Post, "/api/staffing/admin/history/snapshot", new { })).GetProperty("takenOn").GetString();

        var history = await StaffingApi.GetOkAsync(api.Planner, $"/api/staffing/history?district=Kirchrode-Bemerode-Wülferode&from={day}&to={day}");

        // Eight times 800/700 (1.142857... to 28 digits) adds up to more digits than a decimal holds: the sum is read at 18 places.
        var fte = Assert.Single(history.EnumerateArray()).GetProperty("fte").GetDecimal();
        Assert.Equal(decimal.Round(8 * (800 / 700m), 17), decimal.Round(fte, 17));
    }

    [Fact]
    public async Task Tickets_count_once_per_event_in_the_berlin_month_they_were_opened_next_to_devices_posts_and_need()
    {
        var school = (await api.SchoolAsync(SchoolType.GS, "Bothfeld-Vahrenheide")).Id;
        await api.PublishAsync(new DevicesRegistered(school, [.. StaffingApi.Many(400, DeviceKind.Tablet, TabletOwnership.SchoolClassSet)], DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () => (await api.CountsAsync(school)).GetProperty("counts").GetProperty("classSetTablets").GetInt32() == 400,
            "devices counted");
        var applied = await api.AppliedAsync();
        var redelivered = Guid.NewGuid();
        TicketOpened Ticket(DateTimeOffset at, bool solvedBySchool = false) =>
            new(Guid.NewGuid(), 1, school, "portal", TicketPriority.P3, solvedBySchool ? 0 : 1, "service-desk", null, solvedBySchool, at);

        var october = Ticket(new DateTimeOffset(2025, 10, 15, 9, 0, 0, TimeSpan.Zero));
        await api.PublishAsync(october, redelivered);
        await api.PublishAsync(october, redelivered);
        // 23:30 UTC on 31 October is 00:30 on 1 November in Berlin: a November ticket.
        await api.PublishAsync(Ticket(new DateTimeOffset(2025, 10, 31, 23, 30, 0, TimeSpan.Zero)));
        var solved = Ticket(new DateTimeOffset(2025, 11, 10, 9, 0, 0, TimeSpan.Zero), solvedBySchool: true);
        await api.PublishAsync(solved);
        // The same ticket's event again under a new message id (a replay after the inbox forgot it): the ticket still counts once.
        await api.PublishAsync(solved);
        await api.WaitUntilAppliedAsync(applied + 4, "the four messages applied");

        var load = await StaffingApi.GetOkAsync(api.Planner, $"/api/staffing/ticket-load?from=2025-10&to=2025-11&schoolId={school}");

        var months = load.GetProperty("months").EnumerateArray().ToList();
        Assert.Equal([("2025-10", 1, 0), ("2025-11", 2, 1)],
            months.Select(m => (m.GetProperty("month").GetString(), m.GetProperty("tickets").GetInt32(), m.GetProperty("solvedBySchool").GetInt32())));
        Assert.Equal([400, 400], months.Select(m => m.GetProperty("devices").GetInt32()));
        Assert.Equal([2.50m, 5.00m], months.Select(m => m.GetProperty("ticketsPer1000Devices").GetDecimal()));
        Assert.Equal([decimal.Round(1 / 18.5m, 2), decimal.Round(2 / 18.5m, 2)], months.Select(m => m.GetProperty("ticketsPerPost").GetDecimal()));
        // No snapshot in those months: devices and need are today's.
        Assert.Equal([400 / 700m, 400 / 700m], months.Select(m => m.GetProperty("needFte").GetDecimal()));
        Assert.All(months, m => Assert.True(m.GetProperty("fromLiveCounts").GetBoolean()));
    }
}
