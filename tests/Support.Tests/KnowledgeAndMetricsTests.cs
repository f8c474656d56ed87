using System.Globalization;
using System.Text.Json;

namespace Mep.Support.Tests;

/// <summary>
/// The knowledge base's German full-text search, and the figures the service desk is steered by: queues per group,
/// first-contact resolution and tickets per 1,000 devices. Figures are read before and after, so other tests' tickets
/// in this class's database do not matter.
/// </summary>
public sealed class KnowledgeAndMetricsTests(SupportApi api) : IClassFixture<SupportApi>
{
    private static string ThisMonth =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Mep.Support.Sla.BusinessCalendar.Berlin).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static List<string> Titles(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("title").GetString()!)];

    /// <summary>Three articles whose titles end in a tag of their own: on accounts and mail (both say "Passwort"), and on board systems.</summary>
    private async Task<string> ArticlesAsync()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        await SupportApi.PostOkAsync(api.Agent, "/api/support/knowledge/articles", new
        {
            title = $"Passwort eines Schülerkontos zurücksetzen {tag}", category = "accounts",
            body = "Im Schulportal unter Benutzerverwaltung das Passwort zurücksetzen; das neue Passwort gilt nach der Anmeldung. Passwörter laufen nicht ab.",
        });
        await SupportApi.PostOkAsync(api.Agent, "/api/support/knowledge/articles", new
        {
            title = $"Postfach voll {tag}", category = "mail",
            body = "Wenn das Postfach voll ist, alte Nachrichten archivieren. Das Passwort bleibt unverändert.",
        });
        await SupportApi.PostOkAsync(api.Agent, "/api/support/knowledge/articles", new
        {
            title = $"Beamer zeigt kein Bild {tag}", category = "board-system", body = "Eingang am Beamer prüfen, HDMI-Kabel tauschen.",
        });
        return tag;
    }

    [Fact]
    public async Task Article_search_matches_german_word_forms_ranked_by_relevance()
    {
        var tag = await ArticlesAsync();

        // "Passwörter" and "zurückgesetzt" reach "Passwort" and "zurücksetzen" only through German stemming.
        var plural = await SupportApi.GetOkAsync(api.Agent, $"/api/support/knowledge/articles?q={Uri.EscapeDataString($"Passwörter {tag}")}");

        Assert.Equal([$"Passwort eines Schülerkontos zurücksetzen {tag}", $"Postfach voll {tag}"], Titles(plural));
    }

    [Fact]
    public async Task Article_search_filters_by_category()
    {
        var tag = await ArticlesAsync();

        var accountsOnly = await SupportApi.GetOkAsync(api.Agent,
            $"/api/support/knowledge/articles?q={Uri.EscapeDataString($"Passwort {tag}")}&category=accounts");

        Assert.Equal([$"Passwort eines Schülerkontos zurücksetzen {tag}"], Titles(accountsOnly));
    }

    [Fact]
    public async Task Article_search_for_a_word_no_article_has_finds_nothing()
    {
        var tag = await ArticlesAsync();

        var none = await SupportApi.GetOkAsync(api.Agent, $"/api/support/knowledge/articles?q={Uri.EscapeDataString($"Drucker {tag}")}");

        Assert.Equal(0, none.GetProperty("totalItems").GetInt32());
    }

    [Fact]
    public async Task First_contact_resolution_counts_a_ticket_solved_at_level_1_and_not_one_that_was_escalated()
    {
        var before = await FirstContactAsync();
        var school = await api.SchoolAsync();
        var solvedAtOnce = (await SupportApi.OpenAsync(api.Agent, SchoolReport(school, "portal"))).GetProperty("id").GetGuid();
        var escalated = (await SupportApi.OpenAsync(api.Agent, SchoolReport(school, "accounts"))).GetProperty("id").GetGuid();
        await SupportApi.PostOkAsync(api.Agent, $"/api/support/tickets/{escalated}/escalation", new { reason = "Directory service" });
        await SupportApi.PostOkAsync(api.Agent, $"/api/support/tickets/{solvedAtOnce}/status", new { status = "resolved" });
        await SupportApi.PostOkAsync(api.Agent, $"/api/support/tickets/{escalated}/status", new { status = "resolved" });

        var after = await FirstContactAsync();

        Assert.Equal((before.Resolved + 2, before.FirstContact + 1), (after.Resolved, after.FirstContact));
        Assert.Equal(Math.Round(100m * after.FirstContact / after.Resolved, 1), after.Rate);
    }

    /// <summary>A school with four devices and two tickets opened for a room of it (network and wlan: both at the it-department).</summary>
    private async Task<TestSchool> SchoolWithTwoRoomTicketsAsync(string serialPrefix)
    {
        var school = await api.SchoolAsync(devices: [.. Enumerable.Range(1, 4).Select(n => new TestDevice($"{serialPrefix}-{n}"))]);
        await SupportApi.OpenAsync(api.ClientFor(school), SupportApi.Report("network", fields: ("roomId", school.Rooms[0])));
        await SupportApi.OpenAsync(api.ClientFor(school), SupportApi.Report("wlan", fields: ("roomId", school.Rooms[0])));
        return school;
    }

    [Fact]
    public async Task Queues_count_open_tickets_per_group()
    {
        var openBefore = await OpenInQueueAsync("it-department");

        await SchoolWithTwoRoomTicketsAsync("Q");

        Assert.Equal(openBefore + 2, await OpenInQueueAsync("it-department"));
    }

    [Fact]
    public async Task Tickets_per_thousand_devices_are_per_school()
    {
        var school = await SchoolWithTwoRoomTicketsAsync("T");

        var lines = await SupportApi.GetOkAsync(api.Agent, $"/api/support/metrics/tickets-per-devices?from={ThisMonth}&to={ThisMonth}");
        var line = lines.EnumerateArray().Single(l => l.GetProperty("schoolId").GetGuid() == school.Id);
        Assert.Equal((2, 4, 500.00m), (line.GetProperty("tickets").GetInt32(), line.GetProperty("devices").GetInt32(),
            line.GetProperty("ticketsPerThousandDevices").GetDecimal()));
    }

    private static Dictionary<string, object?> SchoolReport(TestSchool school, string category) =>
        SupportApi.Report(category, fields: ("schoolId", school.Id));

    private async Task<(int Resolved, int FirstContact, decimal? Rate)> FirstContactAsync()
    {
        var lines = await SupportApi.GetOkAsync(api.Agent, $"/api/support/metrics/first-contact-resolution?from={ThisMonth}&to={ThisMonth}");
        return lines.EnumerateArray().SingleOrDefault() is { ValueKind: JsonValueKind.Object } line
            ? (line.GetProperty("resolved").GetInt32(), line.GetProperty("firstContact").GetInt32(), line.GetProperty("ratePercent").GetDecimal())
            : (0, 0, null);
    }

    private async Task<int> OpenInQueueAsync(string group) =>
        (await SupportApi.GetOkAsync(api.Agent, "/api/support/queues")).EnumerateArray()
            .Single(q => q.GetProperty("group").GetString() == group).GetProperty("open").GetInt32();
}
