using System.Net;
using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Tests;

public sealed class ProgrammeParticipationTests(SchoolsApi api) : IClassFixture<SchoolsApi>
{
    [Fact]
    public async Task A_planner_records_all_four_measures_and_reads_them_back()
    {
        var id = await api.Planner.RegisterSchoolAsync();
        var programmes = SchoolsApi.Programmes(
            pilot: new { participates = true, since = "2016-08-01" },
            standard: new { status = "planned", wave = 2, targetYear = 2020, joinedOn = (string?)null },
            portal: new { participates = true, onboardedOn = "2020-09-01" },
            mobile: new { participates = true, mdmEnrolledOn = "2020-10-15" });

        var response = await api.Planner.PutAsync($"/api/schools/{id}/programmes", Json.Body(programmes));

        var stored = (await response.ReadJsonAsync()).GetProperty("programmes");
        Assert.True(stored.GetProperty("mepPilot").GetProperty("participates").GetBoolean());
        Assert.Equal("planned", stored.GetProperty("mepStandard").GetProperty("status").GetString());
        Assert.Equal(2, stored.GetProperty("mepStandard").GetProperty("wave").GetInt32());
        Assert.Equal("2020-09-01", stored.GetProperty("portal").GetProperty("onboardedOn").GetString());
        Assert.Equal("2020-10-15", stored.GetProperty("mobileLearning").GetProperty("mdmEnrolledOn").GetString());
    }

    [Theory]
    [InlineData("portal-before-offer-start", null, null, "2020-07-31", null)]
    [InlineData("mobile-learning-before-offer-start", null, null, null, "2019-12-01")]
    [InlineData("mep-standard-joined-needs-date", "joined", null, null, null)]
    [InlineData("mep-standard-planned-needs-target-year", "planned", null, null, null)]
    public async Task A_participation_that_breaks_a_programme_rule_is_a_422_naming_the_rule(
        string rule, string? standardStatus, string? joinedOn, string? portalDate, string? mdmDate)
    {
        var id = await api.Planner.RegisterSchoolAsync();
        var programmes = SchoolsApi.Programmes(
            standard: standardStatus is null ? null : new { status = standardStatus, wave = (int?)null, targetYear = (int?)null, joinedOn },
            portal: portalDate is null ? null : new { participates = true, onboardedOn = portalDate },
            mobile: mdmDate is null ? null : new { participates = true, mdmEnrolledOn = mdmDate });

        var response = await api.Planner.PutAsync($"/api/schools/{id}/programmes", Json.Body(programmes));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal(rule, problem.GetProperty("rule").GetString());
        var stored = await (await api.Planner.GetAsync($"/api/schools/{id}")).ReadJsonAsync();
        Assert.Equal("none", stored.GetProperty("programmes").GetProperty("mepStandard").GetProperty("status").GetString());
        Assert.False(stored.GetProperty("programmes").GetProperty("portal").GetProperty("participates").GetBoolean());
    }

    [Fact]
    public async Task Leaving_out_a_programme_is_a_400_rather_than_resetting_it()
    {
        var id = await api.Planner.RegisterSchoolAsync();

        var response = await api.Planner.PutAsync($"/api/schools/{id}/programmes", Json.Raw("""{"mepPilot": {"participates": true}}"""));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.Equal(["mepStandard", "mobileLearning", "portal"], problem.ErrorFields());
    }

    [Fact]
    public async Task A_media_concept_without_its_date_is_refused()
    {
        var id = await api.Planner.RegisterSchoolAsync();

        var undated = await api.Planner.PutAsync($"/api/schools/{id}/media-concept", Json.Body(new { status = "fullConcept", dated = (string?)null }));

        var problem = await undated.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal("media-concept-needs-date", problem.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task A_dated_media_concept_is_recorded_with_its_date()
    {
        var id = await api.Planner.RegisterSchoolAsync();

        var dated = await api.Planner.PutAsync($"/api/schools/{id}/media-concept", Json.Body(new { status = "requirementProfile", dated = "2021-02-01" }));

        var concept = (await dated.ReadJsonAsync()).GetProperty("mediaConcept");
        Assert.Equal("requirementProfile", concept.GetProperty("status").GetString());
        Assert.Equal("2021-02-01", concept.GetProperty("dated").GetString());
    }
}
