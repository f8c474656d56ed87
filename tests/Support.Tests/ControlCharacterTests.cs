using System.Net;
using Mep.ServiceDefaults.Errors;

namespace Mep.Support.Tests;

/// <summary>
/// NUL and other control characters in a path, query or body are refused before they reach PostgreSQL, and requests that carry
/// them never disturb the requests that come after them.
/// </summary>
public sealed class ControlCharacterTests(SupportApi api) : IClassFixture<SupportApi>
{
    [Theory]
    [InlineData("/api/support/tickets?group=desk%00", "group")]
    [InlineData("/api/support/tickets?category=mail%00x&open=true", "category")]
    [InlineData("/api/support/tickets?status=new%1B", "status")]
    [InlineData("/api/support/odata/Tickets?$filter=Title%20eq%20'a%00b'", "$filter")]
    public async Task A_control_character_in_a_query_value_is_a_400_naming_the_parameter(string path, string field)
    {
        var response = await api.Agent.GetAsync(path);

        Assert.Equal([field], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }

    /// <remarks>A NUL in the path never gets this far: the server refuses it while reading the request line.</remarks>
    [Fact]
    public async Task A_control_character_in_a_path_segment_is_a_400_naming_the_route_parameter()
    {
        var body = new { openingHours = new[] { new { day = "monday", opens = "07:30", closes = "16:00" } } };

        var response = await api.Admin.PutAsync("/api/support/sla/calendars/sch%1Bool/opening-hours", Json.Body(body));

        Assert.Equal(["code"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }

    [Fact]
    public async Task A_nul_byte_in_a_json_text_is_a_400_naming_the_field()
    {
        var school = await api.SchoolAsync();

        var response = await api.ClientFor(school).PostAsync("/api/support/tickets",
            Json.Body(SupportApi.Report("mail", fields: ("reporterPhone", "0511 \u0000 168"))));

        Assert.Equal(["reporterPhone"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }

    /// <summary>
    /// The report: after requests with %00 in query values, later ordinary reads failed on and off with Npgsql's "The underlying
    /// reader doesn't have as many fields as expected" and "Received unexpected backend message DataRow". Every combination of
    /// the list's filters is its own SQL statement (two: count and page), more than a connection prepares, so statements are
    /// prepared and evicted while the NUL requests run, one after another and side by side.
    /// </summary>
    [Fact]
    public async Task Ordinary_reads_in_parallel_all_succeed_after_many_requests_with_nul_bytes()
    {
        var school = await api.SchoolAsync();
        for (var i = 0; i < 3; i++)
        {
            await SupportApi.OpenAsync(api.ClientFor(school), SupportApi.Report("mail"));
        }

        // Two rounds prepare every list's statements, churning through the slots a connection prepares; the third carries a NUL
        // into statements that are being prepared again, in place of others.
        var lists = Filters().ToList();
        foreach (var group in new[] { "desk", "desk", "de%00sk", "desk" })
        {
            foreach (var filters in lists)
            {
                await api.Agent.GetAsync($"/api/support/tickets?group={group}{filters}");
            }
        }

        await Task.WhenAll(lists.Select(filters => api.Agent.GetAsync($"/api/support/tickets?group=de%00sk{filters}")));

        var reads = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            var response = await api.Agent.GetAsync($"/api/support/tickets?group=desk{lists[i % lists.Count]}");
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.Equal([], reads.Where(read => read.StatusCode != HttpStatusCode.OK).Select(read => $"{(int)read.StatusCode} {read.Body}"));
    }

    /// <summary>Every combination of six list filters (64), each one more statement for PostgreSQL.</summary>
    private static IEnumerable<string> Filters()
    {
        string[] filters = ["&status=new", "&level=1", "&category=mail", "&priority=P3", "&open=true", "&pageSize=5"];
        for (var mask = 0; mask < 1 << filters.Length; mask++)
        {
            yield return string.Concat(filters.Where((_, bit) => (mask & (1 << bit)) != 0));
        }
    }
}
