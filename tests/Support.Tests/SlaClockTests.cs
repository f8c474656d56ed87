using System.Text.Json;

namespace Mep.Support.Tests;

/// <summary>SLA clocks through the API on a fixed clock: office hours Mon-Fri 07:30-16:00 Berlin, the default policies.</summary>
public sealed class SlaClockTests : IAsyncLifetime
{
    private readonly TestClock _clock = new(SupportApi.FridayAfternoon);
    private readonly SupportApi _api;

    public SlaClockTests() => _api = SupportApi.WithClock(_clock);

    public Task InitializeAsync() => _api.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_api).DisposeAsync();

    private static DateTimeOffset Berlin(int year, int month, int day, int hour, int minute) =>
        new DateTimeOffset(new DateTime(year, month, day, hour, minute, 0),
            Mep.Support.Sla.BusinessCalendar.Berlin.GetUtcOffset(new DateTime(year, month, day, hour, minute, 0))).ToUniversalTime();

    private static DateTimeOffset? Due(JsonElement ticket, string clock, string target) =>
        SupportApi.Timer(ticket, clock, target).GetProperty("dueAt") is { ValueKind: JsonValueKind.String } due ? due.GetDateTimeOffset() : null;

    [Fact]
    public async Task A_ticket_opened_Friday_15_50_with_a_two_hour_first_response_target_is_due_Monday_09_20()
    {
        var school = await _api.SchoolAsync();

        // High impact, medium urgency: P2, whose total first-response target is 120 business minutes.
        var ticket = await SupportApi.OpenAsync(_api.ClientFor(school), SupportApi.Report("portal", impact: "high", urgency: "medium"));

        Assert.Equal("p2", ticket.GetProperty("priority").GetString());
        Assert.Equal(120, SupportApi.Timer(ticket, "total", "firstResponse").GetProperty("targetMinutes").GetInt32());
        Assert.Equal(Berlin(2026, 11, 16, 9, 20), Due(ticket, "total", "firstResponse"));
        // 75 % of 120 minutes: 10 minutes on Friday, 80 on Monday from 07:30.
        Assert.Equal(Berlin(2026, 11, 16, 8, 50), SupportApi.Timer(ticket, "total", "firstResponse").GetProperty("warnAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Easter_Monday_Whit_Monday_German_Unity_Day_and_Reformation_Day_are_skipped_and_St_Martin_is_not()
    {
        var school = await _api.SchoolAsync();
        var cases = new[]
        {
            // Opened at 15:00 on the working day before the holiday weekend/day, 2 hours: 1 hour that day, 1 hour after the holiday(s).
            (Opened: Berlin(2026, 4, 2, 15, 0), Due: Berlin(2026, 4, 7, 8, 30)), // Maundy Thursday: Good Friday, Easter Monday skipped
            (Opened: Berlin(2026, 5, 22, 15, 0), Due: Berlin(2026, 5, 26, 8, 30)), // Friday before Whit Monday
            (Opened: Berlin(2025, 10, 2, 15, 0), Due: Berlin(2025, 10, 6, 8, 30)), // Thursday before German Unity Day (a Friday)
            (Opened: Berlin(2025, 10, 30, 15, 0), Due: Berlin(2025, 11, 3, 8, 30)), // Thursday before Reformation Day (a Friday)
            (Opened: Berlin(2025, 11, 10, 15, 0), Due: Berlin(2025, 11, 11, 8, 30)), // Monday before St. Martin: a working day
        };

        foreach (var (opened, due) in cases)
        {
            _clock.Set(opened);
            var ticket = await SupportApi.OpenAsync(_api.ClientFor(school), SupportApi.Report("portal", impact: "high", urgency: "medium"));
            Assert.Equal(due, Due(ticket, "total", "firstResponse"));
        }
    }

    [Fact]
    public async Task Time_waiting_for_the_school_does_not_count_and_the_clock_resumes_when_the_school_answers()
    {
        var school = await _api.SchoolAsync();
        _clock.Set(Berlin(2026, 11, 16, 8, 0));
        var opened = await SupportApi.OpenAsync(_api.ClientFor(school), SupportApi.Report("portal", impact: "high", urgency: "medium"));
        var id = opened.GetProperty("id").GetGuid();
        var resolutionDue = Due(opened, "total", "resolution")!.Value;

        _clock.Set(Berlin(2026, 11, 16, 9, 0));
        await SupportApi.PostOkAsync(_api.Agent, $"/api/support/tickets/{id}/status", new { status = "waitingForSchool", note = "Which room?" });
        _clock.Set(Berlin(2026, 11, 17, 9, 0)); // a whole business day later
        var paused = await SupportApi.GetOkAsync(_api.Agent, $"/api/support/tickets/{id}");
        await SupportApi.PostOkAsync(_api.ClientFor(school), $"/api/support/tickets/{id}/comments", new { body = "Room 1.04." });
        var resumed = await SupportApi.GetOkAsync(_api.Agent, $"/api/support/tickets/{id}");

        Assert.Null(Due(paused, "total", "resolution"));
        Assert.Equal(60m, SupportApi.Timer(paused, "total", "resolution").GetProperty("elapsedMinutes").GetDecimal());
        Assert.Equal("inProgress", resumed.GetProperty("status").GetString());
        // The whole waiting time (8.5 business hours) is added to the due time.
        Assert.Equal(Berlin(2026, 11, 17, 9, 0), resumed.GetProperty("updatedAt").GetDateTimeOffset());
        Assert.Equal(resolutionDue.AddDays(1), Due(resumed, "total", "resolution"));
    }

    [Fact]
    public async Task Each_level_has_its_own_clock_and_the_total_runs_across_levels()
    {
        var school = await _api.SchoolAsync();
        _clock.Set(Berlin(2026, 11, 16, 8, 0));
        var opened = await SupportApi.OpenAsync(_api.ClientFor(school), SupportApi.Report("portal", impact: "medium", urgency: "medium"));
        var id = opened.GetProperty("id").GetGuid();

        _clock.Set(Berlin(2026, 11, 16, 9, 0));
        await SupportApi.PostOkAsync(_api.Agent, $"/api/support/tickets/{id}/escalation", new { reason = "Needs the directory service" });
        _clock.Set(Berlin(2026, 11, 16, 11, 30));
        var ticket = await SupportApi.PostOkAsync(_api.Agent, $"/api/support/tickets/{id}/status", new { status = "resolved" });

        Assert.Equal(2, ticket.GetProperty("level").GetInt32());
        Assert.Equal(60m, SupportApi.Timer(ticket, "level1", "resolution").GetProperty("elapsedMinutes").GetDecimal());
        Assert.False(SupportApi.Timer(ticket, "level1", "resolution").GetProperty("active").GetBoolean());
        Assert.Equal(150m, SupportApi.Timer(ticket, "level2", "resolution").GetProperty("elapsedMinutes").GetDecimal());
        Assert.Equal(210m, SupportApi.Timer(ticket, "total", "resolution").GetProperty("elapsedMinutes").GetDecimal());
        Assert.Equal(Berlin(2026, 11, 16, 11, 30), SupportApi.Timer(ticket, "level2", "resolution").GetProperty("metAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, SupportApi.Timer(ticket, "level1", "resolution").GetProperty("metAt").ValueKind);
        Assert.False(ticket.GetProperty("firstContactResolution").GetBoolean());
    }

    [Fact]
    public async Task A_fault_the_school_solved_itself_is_recorded_at_level_0_with_no_clock()
    {
        var school = await _api.SchoolAsync();

        var ticket = await SupportApi.OpenAsync(_api.ClientFor(school), SupportApi.Report("portal", fields: ("solvedBySchool", true)));

        Assert.Equal((0, "school", "resolved"), (ticket.GetProperty("level").GetInt32(), ticket.GetProperty("group").GetString(), ticket.GetProperty("status").GetString()));
        Assert.Empty(ticket.GetProperty("sla").EnumerateArray());
    }
}
