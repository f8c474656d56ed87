using System.Net;
using System.Text.Json;

namespace Mep.Assets.Tests;

/// <summary>
/// What Microsoft.AspNetCore.OData brought to the feed, against real PostgreSQL: $apply as GROUP BY, keyset paging with
/// $skiptoken, options inside $expand, relative dates, JSON CSDL; and that a school key's scope holds in all of them.
/// </summary>
public sealed class FeedAggregationAndPagingTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    private static async Task<JsonElement> FeedAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/assets/odata/{query}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static List<JsonElement> Rows(JsonElement page) => [.. page.GetProperty("value").EnumerateArray()];

    /// <summary>Three tablets (two teacher at 329.00 and 400.50, one loan at 329.00) and a network device without a price.</summary>
    private async Task<(TestSchool School, HttpClient Client)> SchoolWithFourDevicesAsync()
    {
        var school = await api.SchoolAsync(rooms: 1);
        var client = api.ClientFor(school);
        (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([
            AssetsApi.Tablet($"AGG-{school.Number}-1"),
            AssetsApi.Tablet($"AGG-{school.Number}-2", "teacher", ("purchasePrice", 400.50m)),
            AssetsApi.Tablet($"AGG-{school.Number}-3", "loan"),
            AssetsApi.Device($"AGG-{school.Number}-4", "networkDevice", ("purchasePrice", null)),
        ]))).EnsureSuccessStatusCode();
        return (school, client);
    }

    [Fact]
    public async Task Apply_groupby_with_aggregates_answers_the_totals_from_one_group_by_statement()
    {
        var (school, _) = await SchoolWithFourDevicesAsync();
        var before = api.Sql.Mark();

        var totals = await FeedAsync(api.Planner,
            $"Devices?$apply=filter(SchoolId eq {school.Id})/groupby((Kind,Ownership),aggregate($count as Devices,PurchasePrice with sum as Total,PurchasePrice with max as Highest))&$orderby=Kind,Ownership");

        var rows = Rows(totals).Select(r => (r.GetProperty("Kind").GetString(), r.GetProperty("Ownership").GetString(), r.GetProperty("Devices").GetInt32(),
            r.GetProperty("Total").GetDecimal())).ToList();
        Assert.Equal([("NetworkDevice", null, 1, 0m), ("Tablet", "Teacher", 2, 729.50m), ("Tablet", "Loan", 1, 329.00m)], rows.OrderBy(r => r.Item1).ThenByDescending(r => r.Item2 == "Teacher"));
        var sql = Assert.Single(api.Sql.Since(before), c => c.Contains("FROM devices AS d", StringComparison.Ordinal));
        Assert.Contains("GROUP BY", sql, StringComparison.Ordinal);
        Assert.Contains("sum(", sql, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_countdistinct_and_average_answer_per_school_number()
    {
        var (school, _) = await SchoolWithFourDevicesAsync();

        var page = await FeedAsync(api.Planner,
            $"Devices?$apply=filter(SchoolNumber eq '{school.Number}')/groupby((SchoolNumber,SchoolName),aggregate(Model with countdistinct as Models,PurchasePrice with average as AveragePrice))");

        var row = Assert.Single(Rows(page));
        Assert.Equal((school.Number, 2), (row.GetProperty("SchoolNumber").GetString(), row.GetProperty("Models").GetInt32()));
        Assert.Equal(352.83m, Math.Round(row.GetProperty("AveragePrice").GetDecimal(), 2));
    }

    [Fact]
    public async Task Under_a_school_key_apply_expand_and_every_count_hold_only_its_own_rows()
    {
        var (mine, client) = await SchoolWithFourDevicesAsync();
        var (other, otherClient) = await SchoolWithFourDevicesAsync();
        var system = (await (await otherClient.PostAsync("/api/assets/board-systems", Json.Body(new { roomId = other.Rooms[0] }))).ReadJsonAsync()).GetProperty("id").GetGuid();
        (await otherClient.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([
            AssetsApi.Device($"AGG-{other.Number}-WB", "boardSystemComponent", ("componentKind", "whiteboard"), ("roomId", other.Rooms[0]), ("boardSystemId", system)),
        ]))).EnsureSuccessStatusCode();

        var groups = Rows(await FeedAsync(client, "Devices?$apply=groupby((SchoolId),aggregate($count as Devices))"));
        Assert.Equal((mine.Id, 4), (Assert.Single(groups).GetProperty("SchoolId").GetGuid(), groups[0].GetProperty("Devices").GetInt32()));
        Assert.Equal(4, Assert.Single(Rows(await FeedAsync(client, $"Devices?$apply=filter(SchoolId eq {other.Id} or SchoolId eq {mine.Id})/aggregate($count as Devices)")))
            .GetProperty("Devices").GetInt32());
        Assert.Equal("4", await client.GetStringAsync($"/api/assets/odata/Devices/$count?$filter=SchoolId ne {Guid.Empty}"));
        Assert.Equal(4, (await FeedAsync(client, "Devices?$count=true&$top=1")).GetProperty("@odata.count").GetInt32());
        Assert.Empty(Rows(await FeedAsync(client, "BoardSystems?$expand=Components($count=true)")));
        var expanded = await FeedAsync(client, $"Devices?$expand=BoardSystem($select=Id)&$filter=BoardSystemId eq {system} or SchoolId eq {other.Id}");
        Assert.Empty(Rows(expanded));
        Assert.Equal(5, (await FeedAsync(otherClient, "Devices?$count=true&$expand=BoardSystem")).GetProperty("@odata.count").GetInt32());
    }

    [Fact]
    public async Task Skiptoken_paging_over_10000_rows_visits_each_row_exactly_once_while_rows_are_inserted()
    {
        var school = await api.SchoolAsync(rooms: 1);
        using var client = api.ClientFor(school);
        for (var batch = 0; batch < 2; batch++)
        {
            var rows = Enumerable.Range(batch * 5_000, 5_000).Select(i => (object)AssetsApi.Tablet($"SKIP-{school.Number}-{i:00000}"));
            (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch(rows))).EnsureSuccessStatusCode();
        }

        Assert.Equal("10000", await client.GetStringAsync("/api/assets/odata/Devices/$count"));
        client.DefaultRequestHeaders.Add("Prefer", "odata.maxpagesize=500");
        var seen = new List<string>();
        var inserted = 0;
        var url = "/api/assets/odata/Devices?$select=Id,Serial&$orderby=Serial desc";
        while (url is not null)
        {
            var page = await FeedAsync(client, url[url.IndexOf("Devices", StringComparison.Ordinal)..]);
            seen.AddRange(Rows(page).Select(r => r.GetProperty("Serial").GetString()!));
            url = page.TryGetProperty("@odata.nextLink", out var next) ? next.GetString() : null;
            if (url is not null)
            {
                Assert.Contains("$skiptoken=", Uri.UnescapeDataString(url), StringComparison.Ordinal);
                // A row sorting before the page read next, and one after it: neither may shift what is still to come.
                (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([
                    AssetsApi.Tablet($"SKIP-{school.Number}-0{inserted:0000}A"), AssetsApi.Tablet($"SKIP-{school.Number}-ZZ{inserted:0000}"),
                ]))).EnsureSuccessStatusCode();
                inserted++;
            }
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        // Every row stored before the first page, once; rows inserted meanwhile appear once if they sort after the page read.
        Assert.Superset(Enumerable.Range(0, 10_000).Select(i => $"SKIP-{school.Number}-{i:00000}").ToHashSet(), seen.ToHashSet());
        Assert.Equal(20, inserted);
    }

    [Fact]
    public async Task Options_inside_expand_filter_order_and_count_a_board_systems_components()
    {
        var school = await api.SchoolAsync(rooms: 1);
        using var client = api.ClientFor(school);
        var system = (await (await client.PostAsync("/api/assets/board-systems", Json.Body(new { roomId = school.Rooms[0] }))).ReadJsonAsync()).GetProperty("id").GetGuid();
        (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([
            AssetsApi.Device($"EXP-{school.Number}-A", "boardSystemComponent", ("componentKind", "whiteboard"), ("roomId", school.Rooms[0]), ("boardSystemId", system)),
            AssetsApi.Device($"EXP-{school.Number}-B", "boardSystemComponent", ("componentKind", "miniPc"), ("roomId", school.Rooms[0]), ("boardSystemId", system)),
            AssetsApi.Device($"EXP-{school.Number}-C", "boardSystemComponent", ("componentKind", "appleTv"), ("roomId", school.Rooms[0]), ("boardSystemId", system)),
        ]))).EnsureSuccessStatusCode();

        var row = Assert.Single(Rows(await FeedAsync(client,
            "BoardSystems?$expand=Components($select=Serial;$filter=ComponentKind ne 'Whiteboard';$orderby=Serial desc;$top=1;$count=true)")));

        Assert.Equal(2, row.GetProperty("Components@odata.count").GetInt32());
        Assert.Equal([$"EXP-{school.Number}-C"], row.GetProperty("Components").EnumerateArray().Select(c => c.GetProperty("Serial").GetString()));
    }

    [Fact]
    public async Task A_relative_date_filter_compares_the_date_column_with_todays_date_as_a_parameter()
    {
        var (school, client) = await SchoolWithFourDevicesAsync();
        var before = api.Sql.Mark();

        var page = await FeedAsync(client, "Devices?$filter=PurchaseDate lt now()&$select=Serial");

        Assert.Equal(3, Rows(page).Count);
        var sql = Assert.Single(api.Sql.Since(before), c => c.Contains("FROM devices AS d", StringComparison.Ordinal));
        Assert.Contains("d.purchase_date < @", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("date_part", sql, StringComparison.Ordinal);
        Assert.Equal(school.Number, (await FeedAsync(client, "Devices?$filter=PurchaseDate ge 2020-08-01&$select=SchoolNumber&$top=1")).GetProperty("value")[0]
            .GetProperty("SchoolNumber").GetString());
    }

    [Fact]
    public async Task Compute_adds_a_column_calculated_in_sql()
    {
        var (_, client) = await SchoolWithFourDevicesAsync();

        var page = await FeedAsync(client, "Devices?$filter=PurchasePrice ne null&$compute=PurchasePrice mul 2 as Doubled&$select=Serial,Doubled&$orderby=Serial");

        Assert.Equal([658.00m, 801.00m, 658.00m], Rows(page).Select(r => r.GetProperty("Doubled").GetDecimal()));
    }

    [Fact]
    public async Task Metadata_is_served_as_json_csdl_when_asked_for()
    {
        var metadata = await api.Planner.GetAsync("/api/assets/odata/$metadata?$format=application/json");

        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        var csdl = JsonDocument.Parse(await metadata.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("4.0", csdl.GetProperty("$Version").GetString());
        Assert.Equal("EntityType", csdl.GetProperty("Mep.Assets").GetProperty("Device").GetProperty("$Kind").GetString());
    }

    /// <summary>Queries written to hurt: each is a 400 problem document that says why, never a 5xx.</summary>
    [Theory]
    [InlineData("Devices?$top=99999999999")]
    [InlineData("Devices?$top=100001")]
    [InlineData("Devices?$skip=-1")]
    [InlineData("Devices?$skip=99999999999")]
    [InlineData("Devices?$filter=frobnicate(Serial) eq 1")]
    [InlineData("Devices?$filter=geo.distance(Serial, Serial) lt 1")]
    [InlineData("Devices?$apply=groupby(")]
    [InlineData("Devices?$apply=groupby((Nope))")]
    [InlineData("Devices?$apply=aggregate(Serial with frobnicate as X)")]
    [InlineData("Devices?$apply=aggregate(Serial with sum as X)")]
    [InlineData("Devices?$apply=groupby((Kind))/groupby((Serial))")]
    [InlineData("Devices?$compute=Serial as")]
    [InlineData("Devices?$skiptoken=garbage")]
    [InlineData("Devices?$skiptoken=Id-not-a-guid")]
    [InlineData("Devices?$expand=BoardSystem($expand=Components($expand=BoardSystem))")]
    [InlineData("Devices?$orderby=Serial,Kind,Status,Model,Manufacturer,CreatedAt,Id")]
    [InlineData("Devices?$filter=Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x' and Serial eq 'x'")]
    [InlineData("Devices?$filter=Serial eq 'unterminated")]
    [InlineData("Devices?$count=maybe")]
    public async Task Abusive_queries_are_400_problems_never_a_5xx(string query)
    {
        var response = await api.Planner.GetAsync($"/api/assets/odata/{query}");

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{query}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A thousand ORs and a thousand levels of parentheses: the parser's own depth limit or ours answers, never the stack.</summary>
    [Theory]
    [InlineData(1_000, false)]
    [InlineData(1_000, true)]
    public async Task A_thousand_ors_or_nested_parentheses_are_400_problems(int count, bool nested)
    {
        var filter = nested
            ? new string('(', count) + "Serial eq 'x'" + new string(')', count)
            : string.Join(" or ", Enumerable.Range(0, count).Select(i => $"Serial eq 'S{i}'"));

        var response = await api.Planner.GetAsync($"/api/assets/odata/Devices?$filter={Uri.EscapeDataString(filter)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
