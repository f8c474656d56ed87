using System.Text.Json;

namespace Mep.Support.Tests;

/// <summary>The service on a clock the tests set, which every test starts on Monday 16 November 2026, 08:00 Berlin time.</summary>
public sealed class MondayMorningSupport : IAsyncLifetime
{
    public static readonly DateTimeOffset MondayMorning = new(2026, 11, 16, 8, 0, 0, TimeSpan.FromHours(1));

    public TestClock Clock { get; } = new(MondayMorning);

    public SupportApi Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Api = SupportApi.WithClock(Clock);
        await Api.InitializeAsync();
    }

    public Task DisposeAsync() => ((IAsyncLifetime)Api).DisposeAsync();
}

/// <summary>
/// Work lists by due time, on office hours Mon-Fri 07:30-16:00: a ticket's due times come from its counting SLA timers (the
/// service desk's level-1 targets are the shortest), a wait for the school pauses them, and a due time passed is a breach.
/// </summary>
public sealed class WorkListDueTimeTests : IClassFixture<MondayMorningSupport>
{
    private readonly MondayMorningSupport _support;

    public WorkListDueTimeTests(MondayMorningSupport support)
    {
        _support = support;
        support.Clock.Set(MondayMorningSupport.MondayMorning);
    }

    private SupportApi Api => _support.Api;

    private static DateTimeOffset Monday(int hour, int minute) => new(2026, 11, 16, hour, minute, 0, TimeSpan.FromHours(1));

    [Fact]
    public async Task A_row_shows_when_the_first_response_and_the_resolution_are_due()
    {
        var (school, tickets) = await ArrangeAsync();

        var row = (await WorkListTests.ListAsync(Api.Agent, $"schoolNumber={school.Number}")).EnumerateArray()
            .Single(r => r.GetProperty("number").GetInt64() == tickets.P1);

        // P1 at the service desk: level 1 first response 30 and resolution 240 business minutes, before the total's 60 and 480.
        Assert.Equal((Monday(8, 30), Monday(12, 0), Monday(8, 30)), DueTimes(row));
    }

    [Fact]
    public async Task An_answered_ticket_owes_only_its_resolution()
    {
        var school = await Api.SchoolAsync();
        var p1 = await OpenAsync(school, "high", "high");
        await SupportApi.PostOkAsync(Api.Agent, $"/api/support/tickets/{await IdAsync(p1)}/comments", new { body = "Wir kümmern uns darum." });

        var row = Assert.Single((await WorkListTests.ListAsync(Api.Agent, $"schoolNumber={school.Number}")).EnumerateArray());

        Assert.Equal((null, Monday(12, 0), Monday(12, 0)), DueTimes(row));
    }

    [Fact]
    public async Task Sorted_by_due_time_the_next_deadline_comes_first_and_a_paused_ticket_last()
    {
        var (school, tickets) = await ArrangeAsync();

        var sorted = await WorkListTests.ListAsync(Api.Agent, $"schoolNumber={school.Number}&sort=due");

        Assert.Equal([tickets.P1, tickets.P3, tickets.P4, tickets.Waiting], WorkListTests.Numbers(sorted));
    }

    [Fact]
    public async Task Due_before_an_instant_finds_exactly_the_tickets_due_before_it()
    {
        var (school, tickets) = await ArrangeAsync();

        // P3's first response is due at 10:00 (level 1, 120 minutes), P4's at 12:00 (240).
        var dueBefore = Uri.EscapeDataString(Monday(10, 30).ToString("O"));
        var due = await WorkListTests.ListAsync(Api.Agent, $"schoolNumber={school.Number}&dueBefore={dueBefore}&sort=due");

        Assert.Equal([tickets.P1, tickets.P3], WorkListTests.Numbers(due));
    }

    [Fact]
    public async Task Breached_finds_exactly_the_tickets_past_a_due_time_still_not_met()
    {
        var (school, tickets) = await ArrangeAsync();
        _support.Clock.Set(Monday(11, 0));

        var breached = await WorkListTests.ListAsync(Api.Agent, $"schoolNumber={school.Number}&breached=true&sort=due");
        var onTime = await WorkListTests.ListAsync(Api.Agent, $"schoolNumber={school.Number}&breached=false&sort=due");

        Assert.Equal([tickets.P1, tickets.P3], WorkListTests.Numbers(breached));
        Assert.Equal([tickets.P4, tickets.Waiting], WorkListTests.Numbers(onTime));
    }

    [Fact]
    public async Task The_counts_per_status_say_how_many_are_breached()
    {
        var (school, _) = await ArrangeAsync();
        _support.Clock.Set(Monday(11, 0));

        var counts = await SupportApi.GetOkAsync(Api.Agent, $"/api/support/tickets/counts?schoolNumber={school.Number}");

        Assert.Equal((4, 4, 2),
            (counts.GetProperty("total").GetInt32(), counts.GetProperty("open").GetInt32(), counts.GetProperty("breached").GetInt32()));
        Assert.Equal("new:3 triaged:0 inProgress:0 waitingForSchool:1 waitingForVendor:0 resolved:0 closed:0 reopened:0",
            WorkListTests.ByStatus(counts));
        var byStatus = counts.GetProperty("byStatus").EnumerateArray()
            .ToDictionary(c => c.GetProperty("status").GetString()!, c => c.GetProperty("breached").GetInt32());
        Assert.Equal((2, 0), (byStatus["new"], byStatus["waitingForSchool"]));
    }

    private sealed record Tickets(long P1, long P3, long P4, long Waiting);

    /// <summary>Four service-desk tickets opened at 08:00 in the order P4, P1, P3, and a P1 the desk sent back to wait for the school.</summary>
    private async Task<(TestSchool School, Tickets Tickets)> ArrangeAsync()
    {
        var school = await Api.SchoolAsync();
        var p4 = await OpenAsync(school, "low", "low");
        var p1 = await OpenAsync(school, "high", "high");
        var p3 = await OpenAsync(school, "medium", "medium");
        var waiting = await OpenAsync(school, "high", "high");
        await SupportApi.PostOkAsync(Api.Agent, $"/api/support/tickets/{await IdAsync(waiting)}/status", new { status = "waitingForSchool" });
        return (school, new Tickets(p1, p3, p4, waiting));
    }

    private async Task<long> OpenAsync(TestSchool school, string impact, string urgency) =>
        (await SupportApi.OpenAsync(Api.ClientFor(school), SupportApi.Report("mail", impact, urgency))).GetProperty("number").GetInt64();

    private async Task<Guid> IdAsync(long number) =>
        (await SupportApi.GetOkAsync(Api.Agent, $"/api/support/tickets/by-number/{number}")).GetProperty("id").GetGuid();

    private static (DateTimeOffset? FirstResponse, DateTimeOffset? Resolution, DateTimeOffset? Due) DueTimes(JsonElement row) =>
        (Instant(row, "firstResponseDueAt"), Instant(row, "resolutionDueAt"), Instant(row, "dueAt"));

    private static DateTimeOffset? Instant(JsonElement row, string name) =>
        row.GetProperty(name).ValueKind == JsonValueKind.Null ? null : row.GetProperty(name).GetDateTimeOffset();
}
