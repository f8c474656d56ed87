using System.Net;
using Mep.Contracts;
using Mep.Contracts.Assets;
using Mep.Contracts.Support;

namespace Mep.Staffing.Tests;

/// <summary>The OData feeds (Excel, Power BI): live counts, snapshots and ticket load, filtered and counted in PostgreSQL.</summary>
public sealed class StaffingFeedTests(StaffingApi api) : IClassFixture<StaffingApi>
{
    [Fact]
    public async Task A_schools_counts_snapshots_and_ticket_load_are_served_as_odata_sets_with_filter_and_count()
    {
        var school = (await api.SchoolAsync(SchoolType.FoeS, "Herrenhausen-Stöcken")).Id;
        await api.PublishAsync(new DevicesRegistered(school, [.. StaffingApi.Many(12, DeviceKind.Tablet, TabletOwnership.Teacher)], DateTimeOffset.UtcNow));
        await api.PublishAsync(new TicketOpened(Guid.NewGuid(), 1, school, "portal", TicketPriority.P3, 1, "service-desk", null, false,
            new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)));
        await Eventually.AssertAsync(async () => (await api.CountsAsync(school)).GetProperty("counts").GetProperty("teacherTablets").GetInt32() == 12
            && await api.Database.ScalarAsync<long>($"SELECT count(*) FROM ticket_load WHERE school_id = '{school}'") == 1, "devices and ticket arrived");
        await StaffingApi.SendOkAsync(api.Admin, HttpMethod.Post, "/api/staffing/admin/history/snapshot", new { });
        var finance = api.ClientAs("finance");

        var counts = await StaffingApi.GetOkAsync(finance, $"/api/staffing/odata/SchoolCounts?$filter=District eq 'Herrenhausen-Stöcken'&$count=true");
        var fte = await StaffingApi.GetOkAsync(finance, $"/api/staffing/odata/FteSnapshots?$filter=SchoolId eq {school} and ModelCode eq 'hannover-mep-2020'");
        var load = await StaffingApi.GetOkAsync(finance, $"/api/staffing/odata/TicketLoad?$filter=SchoolId eq {school}");

        Assert.Equal(1, counts.GetProperty("@odata.count").GetInt32());
        var row = Assert.Single(counts.GetProperty("value").EnumerateArray());
        Assert.Equal(("FöS", 12), (row.GetProperty("SchoolType").GetString(), row.GetProperty("TeacherTablets").GetInt32()));
        Assert.Equal(12 / 1500m, Assert.Single(fte.GetProperty("value").EnumerateArray()).GetProperty("Fte").GetDecimal());
        Assert.Equal(("2026-03-01", 1), (Assert.Single(load.GetProperty("value").EnumerateArray()).GetProperty("Month").GetString(),
            load.GetProperty("value")[0].GetProperty("Tickets").GetInt32()));
    }

    [Fact]
    public async Task The_feeds_metadata_describes_the_fte_snapshots_set()
    {
        var metadata = await api.ClientAs("finance").GetAsync("/api/staffing/odata/$metadata");

        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        Assert.Contains("EntitySet Name=\"FteSnapshots\"", await metadata.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Posts_are_counted_in_the_feed()
    {
        var posts = await StaffingApi.GetOkAsync(api.ClientAs("finance"), "/api/staffing/odata/Posts/$count");

        Assert.Equal(7, posts.GetInt32());
    }

    [Fact]
    public async Task A_vendor_gets_403_on_the_feed()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await api.ClientAs("vendor").GetAsync("/api/staffing/odata/SchoolCounts")).StatusCode);
    }
}
