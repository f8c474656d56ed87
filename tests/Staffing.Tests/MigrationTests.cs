using Mep.Staffing.Data;

namespace Mep.Staffing.Tests;

public sealed class MigrationTests(StaffingApi api) : IClassFixture<StaffingApi>
{
    [Fact]
    public async Task The_ef_model_and_the_migrated_schema_agree()
    {
        await using var scope = api.Services.CreateAsyncScope();

        await SchemaAgreement.AssertModelMatchesDatabaseAsync(scope.ServiceProvider.GetRequiredService<StaffingDbContext>());
    }

    [Fact]
    public async Task The_built_in_models_read_back_from_the_migration_as_the_council_paper_and_the_published_models_state_them()
    {
        var models = await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/models");

        var byCode = models.EnumerateArray().ToDictionary(m => m.GetProperty("code").GetString()!, m => m.GetProperty("versions")[0].GetProperty("definition"));
        Assert.Equal(["bremen", "hannover-mep-2020", "ifib-bertelsmann-2017", "stuttgart"], byCode.Keys.Order());
        var hannover = byCode["hannover-mep-2020"];
        Assert.Equal("mepStandard", hannover.GetProperty("countedSchools").GetString());
        Assert.Equal([1500m, 700m, 700m], hannover.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("devicesPerFte").GetDecimal()));
        var boards = hannover.GetProperty("groups")[2].GetProperty("weights").EnumerateArray()
            .Select(w => (w.GetProperty("category").GetString(), w.GetProperty("weight").GetDecimal()));
        Assert.Equal([("boardSystems", 3m), ("classSetTablets", 1m)], boards);
        Assert.Equal(93_730.00m, hannover.GetProperty("costPerFte").GetDecimal());
        Assert.Equal(400m, byCode["ifib-bertelsmann-2017"].GetProperty("groups")[0].GetProperty("devicesPerFte").GetDecimal());
        Assert.Equal(2400m, byCode["bremen"].GetProperty("groups")[0].GetProperty("devicesPerFte").GetDecimal());
        var stuttgart = byCode["stuttgart"].GetProperty("ftePerSchoolType").EnumerateArray()
            .ToDictionary(t => t.GetProperty("schoolType").GetString()!, t => t.GetProperty("fte").GetDecimal());
        Assert.Equal((0.33m, 0.5m, 1.0m, 0.33m), (stuttgart["GS"], stuttgart["GY"], stuttgart["BBS"], stuttgart["FöS"]));
    }

    [Fact]
    public async Task The_current_posts_read_back_from_the_migration_as_the_council_paper_states_them()
    {
        var posts = await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/posts");

        Assert.Equal(18.5m, posts.EnumerateArray().Sum(p => p.GetProperty("posts").GetDecimal()));
        Assert.Equal(7, posts.GetArrayLength());
    }
}
