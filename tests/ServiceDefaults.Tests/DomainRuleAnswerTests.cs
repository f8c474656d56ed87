using System.Net;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Hosting;
using Mep.ServiceDefaults.Logging;

namespace Mep.ServiceDefaults.Tests;

/// <summary>A refusal by a domain rule is answered like every other 4xx: with the request id and the caller's rate-limit quota.</summary>
public sealed class DomainRuleAnswerTests(SchoolsApi api) : IClassFixture<SchoolsApi>
{
    [Fact]
    public async Task A_domain_rules_refusal_carries_the_request_id_and_the_callers_quota()
    {
        var school = await api.Planner.RegisterSchoolAsync();

        var refused = await api.Planner.PutAsync($"/api/schools/{school}/rollout/broadband", Json.Body(new { status = "connected" }));

        await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.All([StructuredLogging.RequestIdHeader, RateLimits.LimitHeader, RateLimits.RemainingHeader, RateLimits.ResetHeader],
            header => Assert.True(refused.Headers.Contains(header), $"{header} is missing"));
    }
}
