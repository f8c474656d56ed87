using System.Net;
using System.Text.Json;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Tests;

/// <summary>The OpenAPI document says what the service does: its limits, its answers, who may call and what money is.</summary>
public sealed class OpenApiContractTests(SchoolsApi api) : IClassFixture<SchoolsApi>
{
    [Fact]
    public async Task A_name_one_character_over_the_documented_maximum_is_refused_with_a_validation_problem_naming_it()
    {
        var document = await DocumentAsync();
        var maxLength = Schema(document, "Schools.Register.SchoolDetailsRequest").GetProperty("properties").GetProperty("name").GetProperty("maxLength").GetInt32();

        var atMaximum = await api.Planner.PostAsync("/api/schools", Json.Body(SchoolsHttp.SchoolBody(TestSchoolNumbers.Next(), name: new string('n', maxLength))));
        var overMaximum = await api.Planner.PostAsync("/api/schools", Json.Body(SchoolsHttp.SchoolBody(TestSchoolNumbers.Next(), name: new string('n', maxLength + 1))));

        Assert.Equal(HttpStatusCode.Created, atMaximum.StatusCode);
        Assert.Equal(["name"], (await overMaximum.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }

    [Fact]
    public async Task The_document_declares_201_for_registering_a_school_and_registering_answers_201()
    {
        var responses = (await DocumentAsync()).GetProperty("paths").GetProperty("/api/schools").GetProperty("post").GetProperty("responses");

        var registered = await api.Planner.PostAsync("/api/schools", Json.Body(SchoolsHttp.SchoolBody(TestSchoolNumbers.Next())));

        Assert.True(responses.TryGetProperty("201", out _));
        Assert.False(responses.TryGetProperty("200", out _));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
    }

    [Fact]
    public async Task Operations_name_the_roles_that_may_call_them_and_no_policy_names()
    {
        var document = await DocumentAsync();
        var change = document.GetProperty("paths").GetProperty("/api/schools/{id}").GetProperty("put");

        Assert.Equal([PlatformRoles.Planner, PlatformRoles.Admin], change.GetProperty("x-roles").EnumerateArray().Select(role => role.GetString()));
        Assert.Contains("Roles: planner, admin.", change.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(SchoolsAccess.Write, document.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(SchoolsAccess.Read, document.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operation_only_staff_may_call_offers_only_the_staff_token_and_answers_403_to_a_school_key()
    {
        var change = (await DocumentAsync()).GetProperty("paths").GetProperty("/api/schools/{id}").GetProperty("put");
        var school = await api.Planner.RegisterSchoolAsync();
        var keyClient = api.ClientWithSchoolKey((await api.Admin.IssueKeyAsync(school)).Key);

        var byKey = await keyClient.PutAsync($"/api/schools/{school}", Json.Body(SchoolsHttp.SchoolBody(TestSchoolNumbers.Next())));

        Assert.Equal(["Bearer"], change.GetProperty("security").EnumerateArray().SelectMany(requirement => requirement.EnumerateObject()).Select(s => s.Name));
        Assert.True(change.GetProperty("responses").TryGetProperty("403", out _));
        await byKey.AssertProblemAsync(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task Money_is_documented_as_a_decimal_in_whole_cents_with_its_maximum()
    {
        var monthlyCost = Schema(await DocumentAsync(), "Schools.Rollout.BroadbandRequest").GetProperty("properties").GetProperty("monthlyCost");

        Assert.Equal("number", monthlyCost.GetProperty("type").GetString());
        Assert.Equal("decimal", monthlyCost.GetProperty("format").GetString());
        Assert.Equal(0.01m, monthlyCost.GetProperty("multipleOf").GetDecimal());
        Assert.Equal(1_000_000m, monthlyCost.GetProperty("maximum").GetDecimal());
    }

    [Fact]
    public async Task A_write_that_checks_if_match_documents_the_header_and_its_412()
    {
        var change = (await DocumentAsync()).GetProperty("paths").GetProperty("/api/schools/{id}").GetProperty("put");
        var school = await api.Planner.RegisterSchoolAsync();

        var stale = await api.Planner.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/schools/{school}")
        {
            Content = Json.Body(SchoolsHttp.SchoolBody(TestSchoolNumbers.Next())),
            Headers = { { "If-Match", "\"1\"" } },
        });

        Assert.Contains(change.GetProperty("parameters").EnumerateArray(), parameter => parameter.GetProperty("name").GetString() == "If-Match");
        Assert.True(change.GetProperty("responses").TryGetProperty("412", out _));
        await stale.AssertProblemAsync(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
    }

    private async Task<JsonElement> DocumentAsync() => await (await api.CreateClient().GetAsync("/swagger/v1/swagger.json")).ReadJsonAsync();

    private static JsonElement Schema(JsonElement document, string name) => document.GetProperty("components").GetProperty("schemas").GetProperty(name);
}
