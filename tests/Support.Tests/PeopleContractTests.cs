using System.Text.Json;

namespace Mep.Support.Tests;

/// <summary>The OpenAPI document tells clients what the people directory refuses and who may keep it.</summary>
public sealed class PeopleContractTests(SupportApi api) : IClassFixture<SupportApi>
{
    [Theory]
    [InlineData("/api/support/tickets/{id}/assignee", "put")]
    [InlineData("/api/support/groups/{code}/members/{subject}", "put")]
    public async Task Naming_someone_the_directory_does_not_know_is_documented_as_a_422(string path, string method)
    {
        var operation = (await DocumentAsync()).GetProperty("paths").GetProperty(path).GetProperty(method);

        Assert.True(operation.GetProperty("responses").TryGetProperty("422", out _));
    }

    [Theory]
    [InlineData("/api/support/people", "get")]
    [InlineData("/api/support/people", "post")]
    [InlineData("/api/support/people/{subject}", "put")]
    [InlineData("/api/support/people/{subject}/deactivation", "post")]
    [InlineData("/api/support/groups/{code}/members/history", "get")]
    public async Task Managing_people_is_documented_for_admins_only(string path, string method)
    {
        var operation = (await DocumentAsync()).GetProperty("paths").GetProperty(path).GetProperty(method);

        Assert.Equal(["admin"], operation.GetProperty("x-roles").EnumerateArray().Select(role => role.GetString()));
    }

    private async Task<JsonElement> DocumentAsync() => await (await api.CreateClient().GetAsync("/swagger/v1/swagger.json")).ReadJsonAsync();
}
