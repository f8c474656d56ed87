using System.Text.Json;

namespace Mep.Support.Tests;

/// <summary>
/// What a school's software is told of its tickets (Schools' webhooks): Support writes TicketChanged to its outbox with each change the
/// school sees (a status, a public answer from staff), and with nothing else; the event carries no comment text.
/// </summary>
public sealed class TicketChangedEventTests(SupportApi api) : IClassFixture<SupportApi>
{
    private async Task<JsonElement[]> TicketChangedEventsAsync(Guid ticket) =>
        [.. JsonDocument.Parse(await api.Database.ScalarAsync<string>($"""
            SELECT coalesce(json_agg(body::json ORDER BY sequence), '[]')::text FROM outbox_messages
            WHERE message_type = 'Mep.Contracts.Support.TicketChanged' AND aggregate_id = '{ticket}'
            """) ?? "[]").RootElement.EnumerateArray()];

    private static (string? Status, string? Previous, bool Answered) Change(JsonElement e) =>
        (e.GetProperty("status").GetString(), e.GetProperty("previousStatus").GetString(), e.GetProperty("answered").GetBoolean());

    [Fact]
    public async Task Status_changes_and_public_staff_answers_are_told_and_internal_notes_and_the_schools_own_comments_are_not()
    {
        var school = await api.SchoolAsync();
        var own = api.ClientFor(school);
        var ticket = (await SupportApi.OpenAsync(own, SupportApi.Report("mail"))).GetProperty("id").GetGuid();

        await SupportApi.PostOkAsync(api.Agent, $"/api/support/tickets/{ticket}/comments", new { body = "Quota of the office mailbox.", @internal = true });
        await SupportApi.PostOkAsync(own, $"/api/support/tickets/{ticket}/comments", new { body = "It also happens in the library." });
        await SupportApi.PostOkAsync(api.Agent, $"/api/support/tickets/{ticket}/comments", new { body = "We are on it.", @internal = false });
        await SupportApi.PostOkAsync(api.Agent, $"/api/support/tickets/{ticket}/status", new { status = "waitingForSchool" });
        await SupportApi.PostOkAsync(own, $"/api/support/tickets/{ticket}/comments", new { body = "The office PC is number 4." });
        await SupportApi.PostOkAsync(api.Agent, $"/api/support/tickets/{ticket}/status", new { status = "resolved" });

        var events = await TicketChangedEventsAsync(ticket);

        Assert.Equal(
        [
            ("new", null, true),
            ("waitingForSchool", "new", false),
            ("inProgress", "waitingForSchool", false),
            ("resolved", "inProgress", false),
        ], events.Select(Change));
        Assert.All(events, e => Assert.Equal(school.Id, e.GetProperty("schoolId").GetGuid()));
        var bodies = string.Join("\n", events.Select(e => e.GetRawText()));
        Assert.DoesNotContain("Quota", bodies, StringComparison.Ordinal);
        Assert.DoesNotContain("on it", bodies, StringComparison.Ordinal);
        Assert.DoesNotContain("agent-anna", bodies, StringComparison.Ordinal);
    }
}
