using System.Net;
using System.Text.Json;

namespace Mep.Assets.Tests;

/// <summary>The OData feed at /api/assets/odata as a spreadsheet or script uses it, against real PostgreSQL.</summary>
public sealed class DeviceFeedTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    private async Task<(TestSchool School, HttpClient Client)> SchoolWithDevicesAsync()
    {
        var school = await api.SchoolAsync(rooms: 1);
        var client = api.ClientFor(school);
        var registered = await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([
            AssetsApi.Tablet("F-05", "teacher", ("mdmState", "enrolled"), ("mdmEnrolledOn", "2021-03-05"), ("purchasePrice", 400.50m), ("purchaseDate", "2021-03-01")),
            AssetsApi.Tablet("F-04", "loan", ("fundingSource", "immediateEquipmentLoan"), ("purchasePrice", 320m), ("purchaseDate", "2020-09-15")),
            AssetsApi.Tablet("F-03", "parentFinancedPupil", ("subsidyCategory", "butAsylbLG"), ("purchaseDate", "2019-08-01")),
            AssetsApi.Device("F-02", "computerRoomDevice", ("status", "delivered"), ("purchasePrice", 900m), ("purchaseDate", "2022-01-20")),
            AssetsApi.Device("F-01", "networkDevice", ("status", "ordered"), ("manufacturer", "Lancom")),
        ]));
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
        return (school, client);
    }

    private static async Task<JsonElement> FeedAsync(HttpClient client, string query, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await client.GetAsync($"/api/assets/odata/{query}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{query}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static List<string> Serials(JsonElement page) => [.. page.GetProperty("value").EnumerateArray().Select(d => d.GetProperty("Serial").GetString()!)];

    [Fact]
    public async Task Filter_orderby_select_top_skip_and_count_run_in_the_database()
    {
        var (school, client) = await SchoolWithDevicesAsync();
        var mine = $"SchoolId eq {school.Id}";

        var all = await FeedAsync(client, $"Devices?$filter={mine}&$orderby=Serial&$count=true");
        Assert.Equal(["F-01", "F-02", "F-03", "F-04", "F-05"], Serials(all));
        Assert.Equal(5, all.GetProperty("@odata.count").GetInt32());
        Assert.EndsWith("/api/assets/odata/$metadata#Devices", all.GetProperty("@odata.context").GetString());

        Assert.Equal(["F-03", "F-04", "F-05"], Serials(await FeedAsync(client, $"Devices?$filter={mine} and Kind eq 'Tablet'&$orderby=Serial")));
        Assert.Equal(["F-02", "F-05"], Serials(await FeedAsync(client, $"Devices?$filter={mine} and PurchasePrice gt 329 and PurchasePrice lt 1000&$orderby=Serial")));
        Assert.Equal(["F-02"], Serials(await FeedAsync(client, $"Devices?$filter={mine} and PurchasePrice mul 2 sub 800 gt 200")));
        Assert.Equal(["F-02"], Serials(await FeedAsync(client, $"Devices?$filter={mine} and not (Kind eq 'Tablet' or PurchasePrice eq null)&$orderby=Serial")));
        Assert.Equal(["F-05", "F-04"], Serials(await FeedAsync(client, $"Devices?$filter={mine} and Ownership in ('Teacher','Loan')&$orderby=Serial desc")));
        Assert.Equal(["F-01"], Serials(await FeedAsync(client, $"Devices?$filter={mine} and startswith(tolower(Manufacturer), 'lan')")));
        Assert.Equal(["F-04"], Serials(await FeedAsync(client, $"Devices?$filter={mine} and year(PurchaseDate) eq 2020")));
        Assert.Equal(["F-02", "F-03"], Serials(await FeedAsync(client, $"Devices?$filter={mine}&$orderby=Serial&$skip=1&$top=2")));

        var selected = await FeedAsync(client, $"Devices?$filter={mine} and Serial eq 'F-05'&$select=Serial,PurchasePrice,Kind,PurchaseDate");
        var row = selected.GetProperty("value")[0];
        Assert.Equal(["Serial", "Kind", "PurchaseDate", "PurchasePrice"], row.EnumerateObject().Select(p => p.Name).Where(n => !n.StartsWith('@')));
        Assert.Equal(400.50m, row.GetProperty("PurchasePrice").GetDecimal());
        Assert.Equal("Tablet", row.GetProperty("Kind").GetString());
        Assert.Equal("2021-03-01", row.GetProperty("PurchaseDate").GetString());

        var count = await client.GetAsync($"/api/assets/odata/Devices/$count?$filter={mine} and Kind eq 'Tablet'");
        Assert.Equal("3", await count.Content.ReadAsStringAsync());
    }
}
