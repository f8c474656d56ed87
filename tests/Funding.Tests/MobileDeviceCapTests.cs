using System.Text.Json.Nodes;

namespace Mep.Funding.Tests;

/// <summary>
/// The authority-wide mobile-device cap (shareOfPool x pool), on a programme whose pool finance lowered to 100,000.00 EUR so that the
/// cap (20,000.00) is reached by two schools: each class has its own database, so the change stays here.
/// </summary>
public sealed class MobileDeviceCapTests(FundingOnADay funding) : IClassFixture<FundingOnADay>
{
    private FundingApi Api => funding.Api;

    [Fact]
    public async Task Two_concurrent_submissions_that_together_exceed_the_authority_cap_cannot_both_pass()
    {
        funding.SetDay(2023, 3, 1);
        await LowerPoolAsync(100_000.00m);
        var schools = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Api.SchoolAsync()));
        // 10,000.00 + 20 % = 12,000.00 each; the cap of 20 % of 100,000.00 = 20,000.00 takes one of them.
        var drafts = new List<Guid>();
        foreach (var school in schools)
        {
            drafts.Add(await Measures.DraftAsync(Api.Planner, Measures.Draft(school, 10_000.00m, category: "mobileDevices")));
        }

        var answers = await Task.WhenAll(drafts.Select(id => Measures.TryStepAsync(Api.Finance, id, "submit")));

        Assert.Equal(1, answers.Count(a => a.IsSuccessStatusCode));
        foreach (var refused in answers.Where(a => !a.IsSuccessStatusCode))
        {
            var problem = await refused.AssertRuleAsync("mobile-device-cap-per-authority");
            Assert.Equal((20_000.00m, 12_000.00m, 12_000.00m), (problem.GetProperty("cap").GetDecimal(), problem.GetProperty("committed").GetDecimal(),
                problem.GetProperty("requested").GetDecimal()));
        }

        Assert.Equal(12_000.00m, await Api.Database.ScalarAsync<decimal>(
            $"SELECT sum(planned_amount + surcharge_amount) FROM applications WHERE category = 'MobileDevices' AND status = 'Submitted'"));
    }

    private async Task LowerPoolAsync(decimal pool)
    {
        var path = $"/api/funding/programmes/{Measures.DigitalPakt}";
        var programme = await FundingApi.GetOkAsync(Api.Finance, path);
        var rules = JsonNode.Parse(programme.GetProperty("rules").GetRawText())!;
        rules["pool"] = pool;
        await FundingApi.SendOkAsync(Api.Finance, HttpMethod.Put, path, new
        {
            name = programme.GetProperty("name").GetString(), source = programme.GetProperty("source").GetString(), rules,
        }, ifMatch: programme.GetProperty("eTag").GetString());
    }
}
