using System.Net;
using Mep.Schools.DemoData;

namespace Mep.Schools.Tests;

public sealed class DemoCityTests(SchoolsApi api) : IClassFixture<SchoolsApi>
{
    private async Task<DemoCity.Result> SeedAsync(string? existingKey)
    {
        await using var scope = api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DemoCity>().SeedAsync(existingKey, CancellationToken.None);
    }

    [Fact]
    public async Task The_demo_city_has_99_schools_with_the_council_papers_schools_and_figures()
    {
        var first = await SeedAsync(null);

        Assert.Equal(99, first.SchoolsTotal);
        var measureFour = await api.Database.ScalarAsync<long>("""
            SELECT count(*) FROM schools WHERE mep_standard = 'Planned' AND mep_standard_target_year = 2020 AND name IN
            ('GS Am Welfenplatz', 'GS Otfried-Preußler-Schule', 'GY Goetheschule', 'GY Limmer', 'GY Ricarda-Huch-Schule', 'IGS Leonore-Goldschmidt-Schule')
            """);
        Assert.Equal(6, measureFour);
        Assert.Equal(6, await api.Database.ScalarAsync<long>("SELECT count(*) FROM schools WHERE mep_pilot"));
        Assert.Equal(5_080, await api.Database.ScalarAsync<long>(
            "SELECT sum(y.pupils) FROM school_years y JOIN schools s ON s.id = y.school_id WHERE s.mep_pilot AND y.start_year = 2018"));
        Assert.Equal(55, await api.Database.ScalarAsync<long>("SELECT count(*) FROM schools WHERE type = 'GS'"));
        Assert.InRange(await api.Database.ScalarAsync<long>("SELECT count(*) FROM rooms"), 2_000, 3_500);
    }

    [Fact]
    public async Task Seeding_the_demo_city_again_creates_nothing_and_keeps_the_demo_schools_key()
    {
        var first = await SeedAsync(null);

        var second = await SeedAsync(first.DemoSchoolKey);

        Assert.Equal(0, second.SchoolsCreated);
        Assert.Equal(99, second.SchoolsTotal);
        Assert.Equal(first.DemoSchoolKey, second.DemoSchoolKey);
        var mine = await (await api.ClientWithSchoolKey(first.DemoSchoolKey).GetAsync("/api/schools/mine")).ReadJsonAsync();
        Assert.Equal(DemoCity.DemoSchoolName, mine.GetProperty("name").GetString());
        var other = await api.ClientWithSchoolKey(first.DemoSchoolKey).GetAsync($"/api/schools/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task Seeding_the_demo_city_publishes_each_schools_media_concept_as_recorded_once_and_seeding_again_publishes_none()
    {
        await SeedAsync(null);
        await SeedAsync(null);

        Assert.Equal(99, await api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE message_type = 'Mep.Contracts.Schools.MediaConceptRecorded'"));
        Assert.Equal(99, await api.Database.ScalarAsync<long>("""
            SELECT count(*) FROM outbox_messages o JOIN schools s ON s.id::text = o.aggregate_id
            WHERE o.message_type = 'Mep.Contracts.Schools.MediaConceptRecorded' AND o.body::jsonb->>'schoolId' = s.id::text
              AND o.body::jsonb->>'status' = s.media_concept AND (o.body::jsonb->>'dated') IS NOT DISTINCT FROM s.media_concept_dated::text
            """));
    }

    [Fact]
    public async Task The_demo_rollout_has_the_pilots_accepted_the_measure_four_schools_in_building_work_and_the_rest_planned_in_waves()
    {
        await SeedAsync(null);

        var plan = await (await api.Planner.GetAsync("/api/schools/rollout/plan?groupBy=wave")).ReadJsonAsync();

        var groups = plan.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!);
        Assert.Equal(["1", "2", "3", "4", "5", "6", "7"], groups.Keys.ToArray());
        Assert.Equal(6, groups["1"].GetProperty("byStatus").GetProperty("accepted").GetInt32());
        Assert.Equal(6, groups["2"].GetProperty("byStatus").GetProperty("buildingWork").GetInt32());
        Assert.Equal(87, groups.Where(g => g.Key is "3" or "4" or "5" or "6" or "7").Sum(g => g.Value.GetProperty("byStatus").GetProperty("planned").GetInt32()));
        Assert.Equal(99, groups.Values.Sum(g => g.GetProperty("schools").GetInt32()));
        var pilotCoverage = groups["1"].GetProperty("coverage");
        Assert.Equal(pilotCoverage.GetProperty("rooms").GetInt32(), pilotCoverage.GetProperty("wlanAccepted").GetInt32());
        Assert.Contains(plan.GetProperty("lateMilestones").EnumerateArray(), l =>
            l.GetProperty("schoolName").GetString() == "GY Goetheschule" && l.GetProperty("milestone").GetString() == "buildingWork");
        Assert.Equal(0, groups["1"].GetProperty("lateMilestones").GetInt32()); // accepted schools have nothing late
        Assert.Equal(6, await api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%SchoolAcceptedIntoMepStandard'"));
    }
}
