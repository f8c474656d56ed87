using System.Net;
using Mep.ServiceDefaults.Errors;

namespace Mep.Assets.Tests;

public sealed class DeviceListTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    [Fact]
    public async Task The_list_filters_by_kind_ownership_status_mdm_state_and_funding_sorts_and_pages()
    {
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);
        (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([
            AssetsApi.Tablet("L-05", "teacher", ("mdmState", "enrolled"), ("mdmEnrolledOn", "2021-01-10")),
            AssetsApi.Tablet("L-04", "loan", ("fundingSource", "immediateEquipmentLoan")),
            AssetsApi.Tablet("L-03", "parentFinancedPupil", ("subsidyCategory", "butAsylbLG")),
            AssetsApi.Device("L-02", "computerRoomDevice", ("status", "delivered")),
            AssetsApi.Device("L-01", "networkDevice", ("status", "ordered")),
        ]))).EnsureSuccessStatusCode();

        async Task<List<string>> SerialsAsync(string query)
        {
            var response = await client.GetAsync($"/api/assets/devices?{query}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return [.. (await response.ReadJsonAsync()).GetProperty("items").EnumerateArray().Select(d => d.GetProperty("serialNumber").GetString()!)];
        }

        Assert.Equal(["L-01", "L-02", "L-03", "L-04", "L-05"], await SerialsAsync(""));
        Assert.Equal(["L-05", "L-04", "L-03", "L-02", "L-01"], await SerialsAsync("sort=-serialNumber"));
        Assert.Equal(["L-03", "L-04", "L-05"], await SerialsAsync("kind=tablet"));
        Assert.Equal(["L-03", "L-04"], await SerialsAsync("ownership=loan,parentFinancedPupil"));
        Assert.Equal(["L-03"], await SerialsAsync("subsidyCategory=butAsylbLG"));
        Assert.Equal(["L-01", "L-02"], await SerialsAsync("status=ordered,delivered"));
        Assert.Equal(["L-05"], await SerialsAsync("mdmState=enrolled"));
        Assert.Equal(["L-04"], await SerialsAsync("fundingSource=immediateEquipmentLoan"));
        Assert.Equal(["L-04"], await SerialsAsync("serialNumber=l-04"));
        Assert.Equal(["L-03", "L-04"], await SerialsAsync("page=2&pageSize=2"));
        var page = await (await client.GetAsync("/api/assets/devices?page=3&pageSize=2")).ReadJsonAsync();
        Assert.Equal((5, 3), (page.GetProperty("totalItems").GetInt32(), page.GetProperty("totalPages").GetInt32()));
    }

    [Theory]
    [InlineData("kind=toaster", "kind")]
    [InlineData("status=inService,broken", "status")]
    [InlineData("sort=price", "sort")]
    [InlineData("pageSize=500", "pageSize")]
    public async Task A_bad_filter_is_a_validation_problem_naming_the_parameter(string query, string field)
    {
        var response = await api.Planner.GetAsync($"/api/assets/devices?{query}");

        Assert.Contains(field, (await response.AssertProblemAsync(HttpStatusCode.BadRequest, "urn:mep:problem:validation")).ErrorFields());
    }

    [Theory]
    [InlineData("sort=serialNumber")]
    [InlineData("sort=-serialNumber")]
    [InlineData("sort=-createdAt")]
    [InlineData("status=inService&sort=kind")]
    public async Task Pages_read_from_the_back_half_are_in_order_and_all_pages_together_are_the_whole_list_once(string query)
    {
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);
        (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch(
            Enumerable.Range(1, 7).Select(i => i % 3 == 0 ? AssetsApi.Device($"P{school.Number}-{i}", "computerRoomDevice") : AssetsApi.Tablet($"P{school.Number}-{i}"))))).EnsureSuccessStatusCode();

        async Task<List<string>> SerialsAsync(string parameters) =>
            [.. (await (await client.GetAsync($"/api/assets/devices?{parameters}")).ReadJsonAsync()).GetProperty("items").EnumerateArray()
                .Select(d => d.GetProperty("serialNumber").GetString()!)];

        var whole = await SerialsAsync($"{query}&pageSize=200");
        var paged = new List<string>();
        for (var page = 1; page <= 4; page++)
        {
            paged.AddRange(await SerialsAsync($"{query}&page={page}&pageSize=2"));
        }

        Assert.Equal(7, whole.Count);
        Assert.Equal(whole, paged);
        Assert.Empty(await SerialsAsync($"{query}&page=5&pageSize=2"));
    }

    [Fact]
    public async Task An_unknown_device_list_parameter_is_a_400_naming_it()
    {
        var response = await api.Planner.GetAsync("/api/assets/devices?kind=tablet&colour=black");

        Assert.Equal(["colour"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }
}
