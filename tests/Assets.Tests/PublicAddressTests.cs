using System.Net;
using System.Net.Http.Headers;
using Mep.ServiceDefaults.Auth;

namespace Mep.Assets.Tests;

/// <summary>
/// Absolute links in the Assets feed (@odata.context, nextLink) start with the platform's configured public address, never
/// with a Host or X-Forwarded-Host a client wrote: a forged one must not send the next page's request elsewhere.
/// </summary>
public sealed class PublicAddressTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    private const string PublicBase = "https://mep.example-city.de";

    [Fact]
    public async Task A_forged_host_through_the_edge_never_reaches_the_feeds_links()
    {
        await using var assets = await ServiceProcess.StartAsync(ServiceProcess.BuiltService("Assets"), new Dictionary<string, string>
        {
            ["ConnectionStrings:Database"] = api.Database.ConnectionString,
            ["ConnectionStrings:Broker"] = api.Broker.AmqpUrl,
            ["Auth:SigningKey"] = TestTokens.SigningKey,
            ["Auth:Issuer"] = TestTokens.Issuer,
            ["Auth:Audience"] = TestTokens.Audience,
            ["Edge:PublicBaseAddress"] = PublicBase,
        });
        await using var edge = await EdgeProxy.StartAsync(new Dictionary<string, Uri> { ["assets"] = assets.BaseAddress });
        using var client = new HttpClient { BaseAddress = edge.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/assets/odata/Devices?$top=1");
        request.Headers.Host = "evil.example";
        request.Headers.Add("X-Forwarded-Host", "evil.example");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(PlatformRoles.Finance));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var feed = await response.ReadJsonAsync();
        Assert.Equal($"{PublicBase}/api/assets/odata/$metadata#Devices", feed.GetProperty("@odata.context").GetString());
    }
}
