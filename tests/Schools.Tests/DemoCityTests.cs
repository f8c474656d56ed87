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
    public async Task The_demo_city_has_99_schools_with_the_council_papers_schools_and_figures_and_seeding_again_changes_nothing()
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

        var second = await SeedAsync(first.DemoSchoolKey);

        Assert.Equal(0, second.SchoolsCreated);
        Assert.Equal(99, second.SchoolsTotal);
        Assert.Equal(first.DemoSchoolKey, second.DemoSchoolKey);
        var mine = await (await api.ClientWithSchoolKey(first.DemoSchoolKey).GetAsync("/api/schools/mine")).ReadJsonAsync();
        Assert.Equal(DemoCity.DemoSchoolName, mine.GetProperty("name").GetString());
        var other = await api.ClientWithSchoolKey(first.DemoSchoolKey).GetAsync($"/api/schools/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }
}
