using System.Net;
using System.Text.Json;
using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Tests;

/// <summary>The list's filters, sorting and paging, on a small city of its own.</summary>
public sealed class SchoolListTests(SchoolListTests.City city) : IClassFixture<SchoolListTests.City>
{
    public sealed class City : IAsyncLifetime
    {
        public SchoolsApi Api { get; } = new();

        public async Task InitializeAsync()
        {
            await ((IAsyncLifetime)Api).InitializeAsync();
            await Api.Planner.RegisterSchoolAsync("GS Am Bach", "GS", "Nord");
            await Api.Planner.RegisterSchoolAsync("GS Bergfeld", "GS", "Mitte");
            await Api.Planner.RegisterSchoolAsync("GY Goethe 100%", "GY", "Mitte");
            await Api.Planner.RegisterSchoolAsync("IGS Linden", "IGS", "Linden-Limmer");
            var pilot = await Api.Planner.RegisterSchoolAsync("OBS Pilot", "OBS", "Nord");
            var programmes = SchoolsApi.Programmes(pilot: new { participates = true, since = "2016-08-01" });
            (await Api.Planner.PutAsync($"/api/schools/{pilot}/programmes", Json.Body(programmes))).EnsureSuccessStatusCode();
        }

        public Task DisposeAsync() => ((IAsyncLifetime)Api).DisposeAsync();
    }

    private async Task<JsonElement> ListAsync(string query) => await (await city.Api.Planner.GetAsync("/api/schools" + query)).ReadJsonAsync();

    private static List<string> Names(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("name").GetString()!)];

    [Fact]
    public async Task Without_parameters_the_list_is_sorted_by_name_with_totals()
    {
        var page = await ListAsync("");

        Assert.Equal(["GS Am Bach", "GS Bergfeld", "GY Goethe 100%", "IGS Linden", "OBS Pilot"], Names(page));
        Assert.Equal(5, page.GetProperty("totalItems").GetInt32());
        Assert.Equal(1, page.GetProperty("totalPages").GetInt32());
    }

    [Fact]
    public async Task Filters_by_type_district_programme_and_search_combine()
    {
        Assert.Equal(["GS Am Bach", "GS Bergfeld"], Names(await ListAsync("?type=gs")));
        Assert.Equal(["GS Am Bach", "OBS Pilot"], Names(await ListAsync("?district=Nord")));
        Assert.Equal(["GS Bergfeld"], Names(await ListAsync("?district=Mitte&type=GS")));
        Assert.Equal(["OBS Pilot"], Names(await ListAsync("?programme=mepPilot")));
        Assert.Equal(["IGS Linden"], Names(await ListAsync("?search=lind")));
    }

    [Fact]
    public async Task Search_treats_percent_and_underscore_as_text_not_wildcards()
    {
        Assert.Equal(["GY Goethe 100%"], Names(await ListAsync("?search=100%25")));
        Assert.Empty(Names(await ListAsync("?search=_")));
    }

    [Fact]
    public async Task Sorting_descending_and_paging_return_the_requested_slice()
    {
        var page = await ListAsync("?sort=-name&page=2&pageSize=2");

        Assert.Equal(["GY Goethe 100%", "GS Bergfeld"], Names(page));
        Assert.Equal(2, page.GetProperty("pageNumber").GetInt32());
        Assert.Equal(3, page.GetProperty("totalPages").GetInt32());
    }

    [Theory]
    [InlineData("?sort=pupils", "sort")]
    [InlineData("?type=XY", "type")]
    [InlineData("?programme=everything", "programme")]
    [InlineData("?pageSize=1000", "pageSize")]
    [InlineData("?page=0", "page")]
    public async Task Invalid_list_parameters_are_a_400_naming_the_parameter(string query, string field)
    {
        var response = await city.Api.Planner.GetAsync("/api/schools" + query);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.Equal([field], problem.ErrorFields());
    }

    [Fact]
    public async Task A_page_parameter_that_is_not_a_number_is_a_400_problem()
    {
        var response = await city.Api.Planner.GetAsync("/api/schools?page=abc");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.MalformedRequest);
        Assert.Contains("page", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
