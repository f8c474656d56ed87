using System.Net;
using Mep.Contracts.Assets;
using Mep.Contracts.Support;
using Mep.ServiceDefaults.Errors;

namespace Mep.Staffing.Tests;

/// <summary>Staffing's lists and feeds by school number, and every row that refers to a school naming it by number and name.</summary>
public sealed class SchoolNumberTests(StaffingApi api) : IClassFixture<StaffingApi>
{
    private static string NameOf(TestSchool school) => $"GY Testschule {school.Number}";

    private async Task<TestSchool> SchoolWithTabletsAsync(int tablets)
    {
        var school = await api.SchoolAsync();
        await api.PublishAsync(new DevicesRegistered(school.Id, [.. StaffingApi.Many(tablets, DeviceKind.Tablet, TabletOwnership.Teacher)],
            DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(
            async () => (await api.CountsAsync(school.Id)).GetProperty("counts").GetProperty("teacherTablets").GetInt32() == tablets,
            "tablets counted");
        return school;
    }

    [Fact]
    public async Task The_history_of_a_school_named_by_its_number_is_that_schools_history()
    {
        var school = await SchoolWithTabletsAsync(30);
        await SchoolWithTabletsAsync(45);
        var day = (await StaffingApi.SendOkAsync(api.Admin, HttpMethod.Post, "/api/staffing/admin/history/snapshot", new { }))
            .GetProperty("takenOn").GetString();

        var history = await StaffingApi.GetOkAsync(api.Planner, $"/api/staffing/history?schoolNumber={school.Number}&from={day}&to={day}");

        var point = Assert.Single(history.EnumerateArray());
        Assert.Equal((1, 30), (point.GetProperty("schools").GetInt32(), point.GetProperty("devices").GetProperty("teacherTablets").GetInt32()));
    }

    [Fact]
    public async Task The_history_of_a_number_no_school_has_is_empty_as_for_an_unknown_id()
    {
        var byNumber = await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/history?schoolNumber=09995");
        var byId = await StaffingApi.GetOkAsync(api.Planner, $"/api/staffing/history?schoolId={Guid.NewGuid()}");

        Assert.Equal((0, 0), (byNumber.GetArrayLength(), byId.GetArrayLength()));
    }

    [Fact]
    public async Task The_ticket_load_of_a_school_named_by_its_number_counts_only_its_tickets()
    {
        var school = await api.SchoolAsync();
        var other = await api.SchoolAsync();
        var applied = await api.AppliedAsync();
        TicketOpened Ticket(Guid schoolId) =>
            new(Guid.NewGuid(), 1, schoolId, "portal", TicketPriority.P3, 1, "service-desk", null, false,
                new DateTimeOffset(2025, 10, 15, 9, 0, 0, TimeSpan.Zero));
        await api.PublishAsync(Ticket(school.Id));
        await api.PublishAsync(Ticket(other.Id));
        await api.PublishAsync(Ticket(other.Id));
        await api.WaitUntilAppliedAsync(applied + 3, "the tickets applied");

        var load = await StaffingApi.GetOkAsync(api.Planner, $"/api/staffing/ticket-load?from=2025-10&to=2025-10&schoolNumber={school.Number}");

        Assert.Equal(1, Assert.Single(load.GetProperty("months").EnumerateArray()).GetProperty("tickets").GetInt32());
        Assert.Equal(school.Id, load.GetProperty("schoolId").GetGuid());
    }

    [Fact]
    public async Task The_ticket_load_of_a_number_no_school_has_is_404_saying_number_as_for_an_unknown_id()
    {
        var byNumber = await (await api.Planner.GetAsync("/api/staffing/ticket-load?schoolNumber=09994"))
            .AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        var byId = await (await api.Planner.GetAsync($"/api/staffing/ticket-load?schoolId={Guid.NewGuid()}"))
            .AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);

        Assert.Equal(("No school with this number exists, or you may not see it.", "No school with this id exists, or you may not see it."),
            (byNumber.GetProperty("detail").GetString(), byId.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task The_history_of_a_number_no_school_has_is_empty_as_a_list_filter_matching_nothing()
    {
        var history = await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/history?schoolNumber=09993");

        Assert.Empty(history.EnumerateArray());
    }

    [Fact]
    public async Task A_school_id_and_a_school_number_of_different_schools_are_refused_naming_both()
    {
        var one = await api.SchoolAsync();
        var other = await api.SchoolAsync();

        var problem = await (await api.Planner.GetAsync($"/api/staffing/history?schoolId={one.Id}&schoolNumber={other.Number}"))
            .AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);

        Assert.Equal(["schoolId", "schoolNumber"], problem.ErrorFields());
    }

    [Fact]
    public async Task Count_and_calculation_rows_name_their_school_by_number_and_name()
    {
        var school = await api.SchoolAsync(district: "Nummern-Nord");

        var counts = Assert.Single((await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/counts?district=Nummern-Nord"))
            .GetProperty("items").EnumerateArray());
        var figure = Assert.Single((await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/calculation/schools?district=Nummern-Nord"))
            .GetProperty("items").EnumerateArray());

        Assert.Equal((school.Number, NameOf(school)), (counts.GetProperty("schoolNumber").GetString(), counts.GetProperty("schoolName").GetString()));
        Assert.Equal((school.Number, NameOf(school)), (figure.GetProperty("schoolNumber").GetString(), figure.GetProperty("schoolName").GetString()));
    }

    [Fact]
    public async Task Every_feed_set_that_refers_to_a_school_filters_by_its_number_and_carries_its_name()
    {
        var school = await SchoolWithTabletsAsync(12);
        var applied = await api.AppliedAsync();
        await api.PublishAsync(
            new TicketOpened(Guid.NewGuid(), 1, school.Id, "portal", TicketPriority.P3, 1, "service-desk", null, false, DateTimeOffset.UtcNow));
        await api.WaitUntilAppliedAsync(applied + 1, "the ticket applied");
        await StaffingApi.SendOkAsync(api.Admin, HttpMethod.Post, "/api/staffing/admin/history/snapshot", new { });

        // One row per school, per snapshot day, per model and day (four models), per month.
        foreach (var (set, count) in new[] { ("SchoolCounts", 1), ("CountSnapshots", 1), ("FteSnapshots", 4), ("TicketLoad", 1) })
        {
            var rows = (await StaffingApi.GetOkAsync(api.Planner,
                $"/api/staffing/odata/{set}?$filter=SchoolNumber eq '{school.Number}'&$select=SchoolId,SchoolNumber,SchoolName"))
                .GetProperty("value").EnumerateArray();
            Assert.Equal(Enumerable.Repeat((school.Id, (string?)school.Number, (string?)NameOf(school)), count),
                rows.Select(r =>
                    (r.GetProperty("SchoolId").GetGuid(), r.GetProperty("SchoolNumber").GetString(), r.GetProperty("SchoolName").GetString())));
        }
    }
}
