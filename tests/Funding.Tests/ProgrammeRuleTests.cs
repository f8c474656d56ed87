using System.Net;
using System.Text.Json.Nodes;
using Mep.ServiceDefaults.Errors;

namespace Mep.Funding.Tests;

/// <summary>Programme rules are data finance edits: an edit that leaves out a rule's value is refused, not read as 0 or false.</summary>
public sealed class ProgrammeRuleTests(FundingApi api) : IClassFixture<FundingApi>
{
    private const string Path = "/api/funding/programmes/digitalpakt-2019-ni";

    private async Task<HttpResponseMessage> PutWithAsync(Action<JsonNode> change)
    {
        var programme = await FundingApi.GetOkAsync(api.Finance, Path);
        var rules = JsonNode.Parse(programme.GetProperty("rules").GetRawText())!;
        change(rules);
        return await FundingApi.SendAsync(api.Finance, HttpMethod.Put, Path, new
        {
            name = programme.GetProperty("name").GetString(), source = programme.GetProperty("source").GetString(), rules,
        }, ifMatch: programme.GetProperty("eTag").GetString());
    }

    [Fact]
    public async Task Rules_without_the_settlement_conditions_or_the_base_amounts_binding_are_a_400_and_change_nothing()
    {
        var before = (await FundingApi.GetOkAsync(api.Finance, Path)).GetProperty("rules").GetRawText();
        var audited = await Measures.CountAsync(api, "audit_entries", "entity = 'programme'");

        var emptySettlement = await PutWithAsync(rules => rules["settlement"] = new JsonObject());
        var unboundBase = await PutWithAsync(rules => rules["baseAmount"]!.AsObject().Remove("boundToSchool"));
        var noRate = await PutWithAsync(rules => rules.AsObject().Remove("fundingRate"));

        // A missing required field is a validation problem naming it ("Required."), whether the JSON reader or a Validate notices it.
        await emptySettlement.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);
        await unboundBase.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);
        await noRate.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.Equal(before, (await FundingApi.GetOkAsync(api.Finance, Path)).GetProperty("rules").GetRawText());
        Assert.Equal(audited, await Measures.CountAsync(api, "audit_entries", "entity = 'programme'"));
    }

    [Fact]
    public async Task A_programme_date_outside_the_calculation_window_is_a_422_naming_the_rule_and_changes_nothing()
    {
        var before = (await FundingApi.GetOkAsync(api.Finance, Path)).GetProperty("rules").GetRawText();

        var farFuture = await PutWithAsync(rules => rules["dates"]!["measuresUntil"] = "9999-12-31");

        var problem = await farFuture.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal("date-outside-calculation-window", problem.GetProperty("rule").GetString());
        Assert.Equal(before, (await FundingApi.GetOkAsync(api.Finance, Path)).GetProperty("rules").GetRawText());
    }

    [Fact]
    public async Task A_complete_edit_with_the_current_etag_is_stored_and_audited()
    {
        var audited = await Measures.CountAsync(api, "audit_entries", "entity = 'programme' AND action = 'rulesChanged'");

        var changed = await PutWithAsync(rules => rules["safetySurchargeRate"] = 0.25m);

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(0.25m, (await FundingApi.GetOkAsync(api.Finance, Path)).GetProperty("rules").GetProperty("safetySurchargeRate").GetDecimal());
        Assert.Equal(audited + 1, await Measures.CountAsync(api, "audit_entries", "entity = 'programme' AND action = 'rulesChanged'"));
    }
}
