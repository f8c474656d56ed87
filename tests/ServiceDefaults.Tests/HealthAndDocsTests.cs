using System.Net;
using Mep.ServiceDefaults.Errors;

namespace Mep.ServiceDefaults.Tests;

public sealed class HealthAndDocsTests(SchoolsApi api) : IClassFixture<SchoolsApi>
{
    [Fact]
    public async Task Liveness_answers_without_credentials()
    {
        var live = await api.CreateClient().GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Readiness_answers_without_credentials_with_the_database_and_broker_checks()
    {
        var client = api.CreateClient();

        await Eventually.AssertAsync(async () => (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, "ready");
        var ready = await (await client.GetAsync("/health/ready")).ReadJsonAsync();

        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Contains(ready.GetProperty("checks").EnumerateObject(), check => check.Name.Contains("masstransit", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_openapi_document_describes_both_auth_schemes_and_their_refusals()
    {
        var document = await OpenApiDocumentAsync();

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("Bearer").GetProperty("scheme").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("SchoolApiKey").GetProperty("name").GetString());
        var listSchools = document.GetProperty("paths").GetProperty("/api/schools").GetProperty("get").GetProperty("responses");
        Assert.True(listSchools.TryGetProperty("401", out _));
        Assert.True(listSchools.TryGetProperty("403", out _));
    }

    [Fact]
    public async Task The_openapi_document_describes_every_problem_type()
    {
        var document = await OpenApiDocumentAsync();

        var description = document.GetProperty("info").GetProperty("description").GetString()!;
        Assert.All(ProblemTypes.All, problem => Assert.Contains(problem.Type, description, StringComparison.Ordinal));
    }

    private async Task<System.Text.Json.JsonElement> OpenApiDocumentAsync() =>
        await (await api.CreateClient().GetAsync("/swagger/v1/swagger.json")).ReadJsonAsync();

    [Fact]
    public async Task The_swagger_ui_is_served_at_swagger()
    {
        var response = await api.CreateClient().GetAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_safe_incoming_request_id_is_kept_on_the_response()
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-Request-Id", "desk-4711");

        var response = await client.GetAsync("/health/live");

        Assert.Equal("desk-4711", response.Headers.GetValues("X-Request-Id").Single());
    }
}
