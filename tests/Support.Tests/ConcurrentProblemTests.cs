using System.Net;
using System.Text.Json;
using Mep.ServiceDefaults.Errors;

namespace Mep.Support.Tests;

/// <summary>
/// Refusals answered at the same moment are each their own: the outside-in suite once got 500s from the metrics endpoints when
/// many bad month ranges arrived together, because one problem object was shared by every refusal and each request wrote its
/// trace id into it.
/// </summary>
public sealed class ConcurrentProblemTests(SupportApi api) : IClassFixture<SupportApi>
{
    private const int Requests = 400;

    [Fact]
    public async Task Bad_month_ranges_sent_together_each_get_a_400_carrying_their_own_trace_id()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, Requests).Select(async _ =>
        {
            // Seven characters, as the parameter allows, but no month: the endpoint itself refuses it.
            using var answer = await api.Agent.GetAsync("/api/support/metrics/sla-compliance?to=2026-13");
            using var problem = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            return (answer.StatusCode, Type: problem.RootElement.GetProperty("type").GetString(), TraceId: problem.RootElement.GetProperty("traceId").GetString());
        }));

        Assert.All(answers, answer => Assert.Equal((HttpStatusCode.BadRequest, ProblemTypes.MalformedRequest), (answer.StatusCode, answer.Type)));
        Assert.Equal(Requests, answers.Select(answer => answer.TraceId).Distinct().Count());
    }
}
