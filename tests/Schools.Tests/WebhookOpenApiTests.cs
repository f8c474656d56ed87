using System.Text.Json;

namespace Mep.Schools.Tests;

/// <summary>The webhook operations in Schools' OpenAPI document: the answers their code gives and the roles that may call them.</summary>
public sealed class WebhookOpenApiTests(SchoolsApi api) : IClassFixture<SchoolsApi>
{
    private async Task<JsonElement> OperationAsync(string path, string method) =>
        (await (await api.CreateClient().GetAsync("/swagger/v1/swagger.json")).ReadJsonAsync()).GetProperty("paths").GetProperty(path).GetProperty(method);

    private static string[] Answers(JsonElement operation) => [.. operation.GetProperty("responses").EnumerateObject().Select(r => r.Name)];

    private static string[] Roles(JsonElement operation) => [.. operation.GetProperty("x-roles").EnumerateArray().Select(r => r.GetString()!)];

    [Fact]
    public async Task Subscribing_is_for_a_school_key_and_documents_201_404_409_and_422()
    {
        var subscribe = await OperationAsync("/api/schools/{id}/webhooks", "post");

        Assert.Equal(["school"], Roles(subscribe));
        Assert.Superset(new HashSet<string>(["201", "400", "404", "409", "422"]), Answers(subscribe).ToHashSet());
        Assert.DoesNotContain("200", Answers(subscribe));
    }

    [Fact]
    public async Task Redelivering_is_for_the_school_and_admins_and_documents_202_404_and_409()
    {
        var redeliver = await OperationAsync("/api/schools/{id}/webhooks/{subscriptionId}/deliveries/{deliveryId}/redeliver", "post");

        Assert.Equal(["admin", "school"], Roles(redeliver));
        Assert.Superset(new HashSet<string>(["202", "404", "409"]), Answers(redeliver).ToHashSet());
    }

    [Fact]
    public async Task Rotating_a_secret_is_for_a_school_key_and_documents_200_404_and_409()
    {
        var rotate = await OperationAsync("/api/schools/{id}/webhooks/{subscriptionId}/rotate-secret", "post");

        Assert.Equal(["school"], Roles(rotate));
        Assert.Superset(new HashSet<string>(["200", "404", "409"]), Answers(rotate).ToHashSet());
    }
}
