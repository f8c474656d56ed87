using System.Net;
using System.Text.Json;
using Mep.ServiceDefaults.Errors;
using Mep.Support.Data;
using Mep.Support.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

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

    /// <summary>
    /// The ticket write path prepares its inserts (<see cref="PreparedStatements"/> under SaveChanges, <see cref="NewRowsBatch"/>).
    /// A value PostgreSQL refuses at Bind (a NUL, 22021; the API refuses it before, so it is sent here past the API, as a bug
    /// elsewhere could) must leave the connection's prepared statements as they were: on the same connection, the same prepared
    /// inserts then write, and the API reads them back.
    /// </summary>
    [Fact]
    public async Task A_nul_byte_refused_by_a_prepared_insert_leaves_its_connection_usable()
    {
        var school = await api.SchoolAsync();
        var ticketId = (await SupportApi.OpenAsync(api.ClientFor(school), SupportApi.Report("mail"))).GetProperty("id").GetGuid();
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SupportDbContext>();
        await db.Database.OpenConnectionAsync();
        Func<Task>[] saves = [() => db.SaveChangesAsync(), () => NewRowsBatch.SaveAsync(db, [], CancellationToken.None)];

        for (var round = 0; round < 6; round++)
        {
            var save = saves[round % 2];
            db.ChangeTracker.Clear();
            db.TicketHistory.Add(new TicketHistoryEntry(ticketId, DateTimeOffset.UtcNow, "test", "note", null, null, null, "a \u0000 b"));
            var refused = await Assert.ThrowsAsync<DbUpdateException>(save);
            Assert.Equal(PostgresErrorCodes.CharacterNotInRepertoire, Assert.IsType<PostgresException>(refused.InnerException).SqlState);

            db.ChangeTracker.Clear();
            db.TicketHistory.Add(new TicketHistoryEntry(ticketId, DateTimeOffset.UtcNow, "test", "note", null, null, null, $"round {round}"));
            await save();
        }

        // Both inserts stayed prepared: EF's (with RETURNING id) and the batch's.
        Assert.Equal(2, await db.Database.SqlQuery<int>(
            $"SELECT count(*)::int AS \"Value\" FROM pg_prepared_statements WHERE statement LIKE 'INSERT INTO ticket_history %'").SingleAsync());
        var history = await (await api.Agent.GetAsync($"/api/support/tickets/{ticketId}/history")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["round 0", "round 1", "round 2", "round 3", "round 4", "round 5"],
            history.EnumerateArray().Where(entry => entry.GetProperty("change").GetString() == "note").Select(entry => entry.GetProperty("note").GetString()));
    }

    [Theory]
    [InlineData("INSERT INTO tickets (id) VALUES (@p0);\nINSERT INTO ticket_history (note) VALUES (@p1)\nRETURNING id;\n", true)]
    [InlineData("INSERT INTO ticket_history (note) VALUES (@p0)\nRETURNING id;\nUPDATE tickets SET status = @p1 WHERE id = @p2;\n", false)]
    [InlineData("UPDATE tickets SET status = @p0 WHERE id = @p1;\n", false)]
    public void Only_batches_of_inserts_are_prepared_of_what_SaveChanges_sends(string sql, bool prepared) =>
        Assert.Equal(prepared, PreparedStatements.Qualifies(CommandSource.SaveChanges, sql));

    [Theory]
    [InlineData("-- prepared\n\nSELECT k.school_id FROM known_schools AS k WHERE k.school_id = @schoolId LIMIT 2", CommandSource.LinqQuery, true)]
    [InlineData("SELECT t.id FROM tickets AS t WHERE t.group_code = @group", CommandSource.LinqQuery, false)]
    [InlineData("INSERT INTO idempotent_requests (caller) VALUES (@p0) ON CONFLICT DO NOTHING", CommandSource.ExecuteSqlRaw, false)]
    public void Only_tagged_queries_are_prepared_of_the_rest(string sql, CommandSource source, bool prepared) =>
        Assert.Equal(prepared, PreparedStatements.Qualifies(source, sql));

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
