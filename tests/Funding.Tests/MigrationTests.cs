using Mep.Funding.Data;

namespace Mep.Funding.Tests;

public sealed class MigrationTests(FundingApi api) : IClassFixture<FundingApi>
{
    [Fact]
    public async Task The_ef_model_and_the_migrated_schema_agree()
    {
        await using var scope = api.Services.CreateAsyncScope();

        await SchemaAgreement.AssertModelMatchesDatabaseAsync(scope.ServiceProvider.GetRequiredService<FundingDbContext>());
    }

    [Fact]
    public async Task The_migration_brings_the_domain_programmes_with_the_digitalpakt_rules_of_lower_saxony()
    {
        var programmes = await FundingApi.GetOkAsync(api.Finance, "/api/funding/programmes");

        Assert.Equal(["administration-2020", "city-mep-budget", "digitalpakt-2-2025", "digitalpakt-2019-ni", "sofortausstattung-2020",
            "system-support-budget", "teacher-loan-devices-2021"], programmes.EnumerateArray().Select(p => p.GetProperty("code").GetString()).Order());
        var rules = (await FundingApi.GetOkAsync(api.Finance, "/api/funding/programmes/digitalpakt-2019-ni")).GetProperty("rules");
        Assert.Equal((1.0m, 0.0m, 20_186_836.00m), (rules.GetProperty("fundingRate").GetDecimal(), rules.GetProperty("ownShareRate").GetDecimal(),
            rules.GetProperty("pool").GetDecimal()));
        var baseAmount = rules.GetProperty("baseAmount");
        Assert.Equal((30_000.00m, 60, 500.00m, true), (baseAmount.GetProperty("perSchool").GetDecimal(), baseAmount.GetProperty("minimumPupils").GetInt32(),
            baseAmount.GetProperty("perPupilBelowMinimum").GetDecimal(), baseAmount.GetProperty("boundToSchool").GetBoolean()));
        Assert.Equal(17_216_836.00m, rules.GetProperty("perPupilShare").GetProperty("pool").GetDecimal());
        var cap = rules.GetProperty("mobileDeviceCap");
        Assert.Equal((0.2m, 25_000.00m, "2020-03-26"), (cap.GetProperty("shareOfPool").GetDecimal(), cap.GetProperty("perSchool").GetDecimal(),
            cap.GetProperty("eligibleFrom").GetString()));
        var dates = rules.GetProperty("dates");
        Assert.Equal(("2019-05-17", "2023-06-30", "2024-05-15", "2024-12-31"), (dates.GetProperty("measuresFrom").GetString(),
            dates.GetProperty("applicationsUntil").GetString(), dates.GetProperty("approvalsUntil").GetString(), dates.GetProperty("settlementUntil").GetString()));
        Assert.DoesNotContain("runningCosts", rules.GetProperty("eligibleCategories").EnumerateArray().Select(c => c.GetString()));
    }
}
