using System.Net;
using Mep.ServiceDefaults.Errors;

namespace Mep.Support.Tests;

/// <summary>A list never answers as if a filter it does not know had been applied: an unknown query parameter is refused by name.</summary>
public sealed class UnknownQueryParameterTests(SupportApi api) : IClassFixture<SupportApi>
{
    [Fact]
    public async Task Unknown_ticket_list_parameters_are_a_400_naming_each_of_them()
    {
        var response = await api.Agent.GetAsync("/api/support/tickets?search=printer&owner=agent-anna&status=new");

        Assert.Equal(["owner", "search"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }

    [Fact]
    public async Task Every_declared_ticket_list_parameter_is_accepted_in_any_letter_case()
    {
        var school = await api.SchoolAsync();

        var response = await api.Agent.GetAsync(
            $"/api/support/tickets?schoolId={school.Id}&SchoolNumber={school.Number}&status=new&group=desk&level=1&category=mail&priority=P3"
            + "&open=true"
            + "&assignee=agent-anna&mine=false&Q=Drucker&dueBefore=2026-12-01T00:00:00Z&breached=false&sort=due&page=1&PageSize=5");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_endpoint_without_query_parameters_refuses_any()
    {
        var response = await api.Agent.GetAsync($"/api/support/tickets/{Guid.NewGuid()}?expand=comments");

        Assert.Equal(["expand"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }

    [Fact]
    public async Task The_odata_feed_still_reads_its_query_options()
    {
        var response = await api.Agent.GetAsync("/api/support/odata/Tickets?$filter=Level%20eq%201&$select=Id&$top=2&$count=true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
