using System.Text.Json;

namespace Mep.Funding.Tests;

/// <summary>The OpenAPI document says what the service reads: a generated client must be able to send what the service accepts.</summary>
public sealed class OpenApiContractTests(FundingApi api) : IClassFixture<FundingApi>
{
    [Fact]
    public async Task A_programme_rule_that_may_be_left_out_is_documented_as_nullable_around_its_reference()
    {
        var baseAmount = (await ProgrammeRulesAsync()).GetProperty("baseAmount");

        Assert.True(baseAmount.GetProperty("nullable").GetBoolean());
        Assert.Equal("#/components/schemas/Funding.Programmes.BaseAmountRule",
            Assert.Single(baseAmount.GetProperty("allOf").EnumerateArray()).GetProperty("$ref").GetString());
    }

    [Fact]
    public async Task A_programme_rule_that_is_required_stays_a_plain_reference()
    {
        var dates = (await ProgrammeRulesAsync()).GetProperty("dates");

        Assert.Equal("#/components/schemas/Funding.Programmes.ProgrammeDates", dates.GetProperty("$ref").GetString());
    }

    [Fact]
    public async Task Each_export_declares_its_file_type_and_the_problems_the_report_gives()
    {
        var paths = (await (await api.CreateClient().GetAsync("/swagger/v1/swagger.json")).ReadJsonAsync()).GetProperty("paths");

        foreach (var (path, mediaType) in new[]
                 {
                     ("/api/funding/reports/schools.csv", "text/csv"),
                     ("/api/funding/reports/schools.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                     ("/api/funding/cost-tables/{code}/xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                     ("/api/funding/reports/loans.csv", "text/csv"),
                     ("/api/funding/reports/loans.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                 })
        {
            var responses = paths.GetProperty(path).GetProperty("get").GetProperty("responses");
            Assert.Equal([mediaType], responses.GetProperty("200").GetProperty("content").EnumerateObject().Select(media => media.Name));
            Assert.True(responses.TryGetProperty("404", out _), $"{path} names its 404");
        }
    }

    private async Task<JsonElement> ProgrammeRulesAsync() =>
        (await (await api.CreateClient().GetAsync("/swagger/v1/swagger.json")).ReadJsonAsync())
            .GetProperty("components").GetProperty("schemas").GetProperty("Funding.Programmes.ProgrammeRules").GetProperty("properties");
}
