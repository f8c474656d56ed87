using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mep.Assets.Tests;

/// <summary>The OData feed at /api/assets/odata as a spreadsheet or script uses it, against real PostgreSQL.</summary>
public sealed class DeviceFeedTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    /// <summary>A school with F-01 to F-05 (serials are unique city-wide, so each school's carry its number in front: 40001_F-01).</summary>
    private async Task<(TestSchool School, HttpClient Client)> SchoolWithDevicesAsync()
    {
        var school = await api.SchoolAsync(rooms: 1);
        string F(int n) => $"{school.Number}_F-0{n}";
        var client = api.ClientFor(school);
        var registered = await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([
            AssetsApi.Tablet(F(5), "teacher", ("mdmState", "enrolled"), ("mdmEnrolledOn", "2021-03-05"), ("purchasePrice", 400.50m), ("purchaseDate", "2021-03-01")),
            AssetsApi.Tablet(F(4), "loan", ("fundingSource", "immediateEquipmentLoan"), ("purchasePrice", 320m), ("purchaseDate", "2020-09-15")),
            AssetsApi.Tablet(F(3), "parentFinancedPupil", ("subsidyCategory", "butAsylbLG"), ("purchaseDate", "2019-08-01")),
            AssetsApi.Device(F(2), "computerRoomDevice", ("status", "delivered"), ("purchasePrice", 900m), ("purchaseDate", "2022-01-20")),
            AssetsApi.Device(F(1), "networkDevice", ("status", "ordered"), ("manufacturer", "Lancom")),
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

    /// <summary>The serials of a page without the school number in front.</summary>
    private static List<string> Serials(JsonElement page) =>
        [.. page.GetProperty("value").EnumerateArray().Select(d => d.GetProperty("Serial").GetString()!).Select(s => s[(s.IndexOf('_', StringComparison.Ordinal) + 1)..])];

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

        var selected = await FeedAsync(client, $"Devices?$filter={mine} and endswith(Serial, '_F-05')&$select=Serial,PurchasePrice,Kind,PurchaseDate");
        var row = selected.GetProperty("value")[0];
        Assert.Equal(["Serial", "Kind", "PurchaseDate", "PurchasePrice"], row.EnumerateObject().Select(p => p.Name).Where(n => !n.StartsWith('@')));
        Assert.Equal(400.50m, row.GetProperty("PurchasePrice").GetDecimal());
        Assert.Equal("Tablet", row.GetProperty("Kind").GetString());
        Assert.Equal("2021-03-01", row.GetProperty("PurchaseDate").GetString());

        var count = await client.GetAsync($"/api/assets/odata/Devices/$count?$filter={mine} and Kind eq 'Tablet'");
        Assert.Equal("3", await count.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_filter_order_and_page_of_a_feed_request_run_as_sql_with_parameters_and_only_the_selected_columns()
    {
        var (school, client) = await SchoolWithDevicesAsync();
        var before = api.Sql.Mark();

        await FeedAsync(client, $"Devices?$filter=SchoolId eq {school.Id} and Kind eq 'Tablet' and contains(Model, 'iPad')&$orderby=Serial&$top=50&$count=true&$select=Serial,Kind");

        // The relay polls the outbox meanwhile: only the feed's statements read devices. The library reads the page and then
        // the total in two statements (our own binder sent the total as a scalar subquery of the page).
        var commands = api.Sql.Since(before).Where(c => c.Contains("FROM devices AS d", StringComparison.Ordinal)).Select(c => c.ReplaceLineEndings("\n")).ToList();
        Assert.Equal(2, commands.Count);
        var page = Assert.Single(commands, c => c.StartsWith("SELECT d.serial_number, d.kind, d.id\nFROM devices AS d\n", StringComparison.Ordinal));
        var count = Assert.Single(commands, c => c.StartsWith("SELECT count(*)\nFROM devices AS d\n", StringComparison.Ordinal));
        foreach (var sql in commands)
        {
            // The school key's own scope and the $filter, each in the page and in the count, as parameters.
            Assert.Equal(2, Regex.Count(sql, @"\.school_id = @"));
            // An enum member is a literal the library writes into the SQL (a handful of values, so a handful of plans).
            Assert.Equal(1, Regex.Count(sql, @"\.kind = 'Tablet'"));
            Assert.Equal(1, Regex.Count(sql, @"\.model LIKE"));
            Assert.DoesNotContain(school.Id.ToString(), sql, StringComparison.Ordinal);
        }

        // The page: the requested order, then the key (the library makes the order stable), and the lesser of $top and the page size.
        Assert.Contains("ORDER BY d.serial_number, d.id\nLIMIT LEAST(@", page, StringComparison.Ordinal);
        Assert.DoesNotContain("ORDER BY", count, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_driven_paging_follows_next_links_to_the_last_page_and_top_caps_the_total()
    {
        var (school, client) = await SchoolWithDevicesAsync();
        client.DefaultRequestHeaders.Add("Prefer", "odata.maxpagesize=2");
        var serials = new List<string>();
        var pages = 0;
        var url = $"/api/assets/odata/Devices?$filter=SchoolId eq {school.Id}&$orderby=Serial desc&$count=true";
        while (url is not null)
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("odata.maxpagesize=2", response.Headers.GetValues("Preference-Applied").Single());
            var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(5, page.GetProperty("@odata.count").GetInt32());
            serials.AddRange(Serials(page));
            url = page.TryGetProperty("@odata.nextLink", out var next) ? next.GetString() : null;
            pages++;
        }

        Assert.Equal(["F-05", "F-04", "F-03", "F-02", "F-01"], serials);
        Assert.Equal(3, pages);

        var capped = await FeedAsync(client, $"Devices?$filter=SchoolId eq {school.Id}&$orderby=Serial&$top=3");
        Assert.Equal(["F-01", "F-02"], Serials(capped));
        var rest = await client.GetAsync(capped.GetProperty("@odata.nextLink").GetString());
        var last = JsonDocument.Parse(await rest.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["F-03"], Serials(last));
        Assert.False(last.TryGetProperty("@odata.nextLink", out _));
    }

    [Fact]
    public async Task A_key_lookup_returns_one_entity()
    {
        var (school, client) = await SchoolWithDevicesAsync();
        var id = (await FeedAsync(client, $"Devices?$filter=SchoolId eq {school.Id} and endswith(Serial, '_F-04')")).GetProperty("value")[0].GetProperty("Id").GetGuid();

        var device = await FeedAsync(client, $"Devices({id})?$select=Serial,Ownership");
        Assert.EndsWith("$metadata#Devices(Serial,Ownership)/$entity", device.GetProperty("@odata.context").GetString());
        Assert.Equal(($"{school.Number}_F-04", "Loan"), (device.GetProperty("Serial").GetString(), device.GetProperty("Ownership").GetString()));
    }

    [Fact]
    public async Task An_unknown_key_is_a_404_problem()
    {
        using var client = api.ClientFor(await api.SchoolAsync(rooms: 1));

        var missing = await client.GetAsync($"/api/assets/odata/Devices({Guid.NewGuid()})");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("urn:mep:problem:not-found", JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Expand_any_and_has_reach_board_systems_and_their_components()
    {
        var school = await api.SchoolAsync(rooms: 2);
        using var client = api.ClientFor(school);
        var created = await client.PostAsync("/api/assets/board-systems", Json.Body(new { roomId = school.Rooms[1], label = "Tafel vorne" }));
        var system = (await created.ReadJsonAsync()).GetProperty("id").GetGuid();
        (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([
            AssetsApi.Device("BS-WB", "boardSystemComponent", ("componentKind", "whiteboard"), ("roomId", school.Rooms[1]), ("boardSystemId", system)),
            AssetsApi.Device("BS-PC", "boardSystemComponent", ("componentKind", "miniPc"), ("roomId", school.Rooms[1]), ("boardSystemId", system)),
            AssetsApi.Tablet("BS-TAB"),
        ]))).EnsureSuccessStatusCode();

        var systems = await FeedAsync(client, "BoardSystems?$filter=Components/any(c: c/ComponentKind eq 'Whiteboard')&$expand=Components($select=Serial)");
        var only = Assert.Single(systems.GetProperty("value").EnumerateArray());
        Assert.Equal(system, only.GetProperty("Id").GetGuid());
        Assert.Equal(["BS-PC", "BS-WB"], only.GetProperty("Components").EnumerateArray().Select(c => c.GetProperty("Serial").GetString()).Order());
        Assert.Empty((await FeedAsync(client, "BoardSystems?$filter=Components/all(c: c/ComponentKind eq 'Whiteboard')")).GetProperty("value").EnumerateArray());

        var withSystem = await FeedAsync(client, "Devices?$filter=Kind has Mep.Assets.DeviceKind'BoardSystemComponent'&$orderby=Serial&$select=Serial&$expand=BoardSystem($select=Label)");
        Assert.Equal(["BS-PC", "BS-WB"], Serials(withSystem));
        Assert.Equal("Tafel vorne", withSystem.GetProperty("value")[0].GetProperty("BoardSystem").GetProperty("Label").GetString());
        var tablet = await FeedAsync(client, "Devices?$filter=Serial eq 'BS-TAB'&$expand=BoardSystem");
        Assert.Equal(JsonValueKind.Null, tablet.GetProperty("value")[0].GetProperty("BoardSystem").ValueKind);

        var counts = (await FeedAsync(client, "DeviceCounts")).GetProperty("value")[0];
        Assert.Equal((1, 2, 3, 1), (counts.GetProperty("BoardSystems").GetInt32(), counts.GetProperty("BoardSystemComponents").GetInt32(),
            counts.GetProperty("StaffingBoardSystemsAndClassSets").GetInt32(), counts.GetProperty("StaffingTablets").GetInt32()));
    }

    [Fact]
    public async Task Minimal_metadata_is_the_default()
    {
        var (school, client) = await SchoolWithDevicesAsync();
        var minimal = await client.GetAsync($"/api/assets/odata/Devices?$filter=SchoolId eq {school.Id}&$top=1");
        Assert.Equal("4.0", minimal.Headers.GetValues("OData-Version").Single());
        Assert.Contains("odata.metadata=minimal", minimal.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metadata_none_asked_by_accept_or_format_leaves_out_every_annotation()
    {
        var (school, client) = await SchoolWithDevicesAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/assets/odata/Devices?$filter=SchoolId eq {school.Id}&$top=1&$count=true");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;odata.metadata=none");
        var none = await client.SendAsync(request);
        Assert.Contains("odata.metadata=none", none.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var body = JsonDocument.Parse(await none.Content.ReadAsStringAsync()).RootElement;
        Assert.False(body.TryGetProperty("@odata.context", out _));
        Assert.Equal(["value"], body.EnumerateObject().Select(p => p.Name).Where(n => n.StartsWith('@') || n == "value").Where(n => !n.Contains("count", StringComparison.Ordinal)));

        var viaFormat = await client.GetAsync($"/api/assets/odata/Devices?$filter=SchoolId eq {school.Id}&$top=1&$format=application/json;odata.metadata=none");
        Assert.Contains("odata.metadata=none", viaFormat.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("endswith(Serial, '_F-03')", "F-03")]
    [InlineData("contains(Model, 'iPad') and Ownership eq 'Loan'", "F-04")]
    [InlineData("toupper(Manufacturer) eq 'LANCOM'", "F-01")]
    [InlineData("length(Manufacturer) eq 6", "F-01")]
    [InlineData("substring(Manufacturer, 1, 3) eq 'anc'", "F-01")]
    [InlineData("concat(Manufacturer, '!') eq 'Lancom!'", "F-01")]
    [InlineData("indexof(Manufacturer, 'com') eq 3", "F-01")]
    [InlineData("trim(Manufacturer) eq 'Lancom'", "F-01")]
    [InlineData("month(PurchaseDate) eq 1 and day(PurchaseDate) eq 20", "F-02")]
    [InlineData("year(CreatedAt) ge 2020 and CreatedAt lt now() and Kind eq 'NetworkDevice'", "F-01")]
    [InlineData("round(PurchasePrice) eq 401", "F-05")]
    [InlineData("floor(PurchasePrice) eq 400 and ceiling(PurchasePrice) eq 401", "F-05")]
    [InlineData("PurchasePrice div 2 eq 450", "F-02")]
    [InlineData("PurchasePrice mod 100 eq 20", "F-04")]
    [InlineData("-PurchasePrice lt -899", "F-02")]
    [InlineData("PurchasePrice add 0.5 eq 401", "F-05")]
    [InlineData("MdmState eq 'Enrolled' and MdmEnrolledOn eq 2021-03-05", "F-05")]
    [InlineData("Status in ('Ordered') or Status eq Mep.Assets.DeviceStatus'Delivered'", "F-01,F-02")]
    public async Task Each_filter_function_and_operator_selects_the_devices_it_names(string filter, string expected)
    {
        var (school, client) = await SchoolWithDevicesAsync();
        var page = await FeedAsync(client, $"Devices?$filter=SchoolId eq {school.Id} and ({filter})&$orderby=Serial");
        Assert.Equal(expected.Split(','), Serials(page));
    }

    [Fact]
    public async Task Orderby_takes_several_keys_in_both_directions()
    {
        var (school, client) = await SchoolWithDevicesAsync();
        var page = await FeedAsync(client, $"Devices?$filter=SchoolId eq {school.Id}&$orderby=Kind desc,PurchasePrice asc,Serial desc");
        // By kind name descending: Tablet, NetworkDevice, ComputerRoomDevice; tablets by price: F-04 320, F-03 329, F-05 400.50.
        Assert.Equal(["F-04", "F-03", "F-05", "F-01", "F-02"], Serials(page));
    }
}
