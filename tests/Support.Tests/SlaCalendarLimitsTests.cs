using System.Net;
using System.Text.Json;

namespace Mep.Support.Tests;

/// <summary>
/// Dates that feed SLA calculations stay in a sane window, and a calculation that cannot be done does not fail the write that asks
/// for it. A host of its own: the tests change the calendar every ticket uses.
/// </summary>
public sealed class SlaCalendarLimitsTests : IAsyncLifetime
{
    private readonly SupportApi _api = new();

    public Task InitializeAsync() => _api.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_api).DisposeAsync();

    [Fact]
    public async Task A_school_holiday_from_year_1_to_2099_is_refused_with_422_and_not_stored()
    {
        var response = await _api.Admin.PostAsync("/api/support/sla/school-holidays",
            Json.Body(new { name = "Endless holidays", firstDay = "0001-01-01", lastDay = "2099-08-02" }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:domain-rule");
        Assert.Equal("date-outside-calculation-window", problem.GetProperty("rule").GetString());
        var stored = await SupportApi.GetOkAsync(_api.Admin, "/api/support/sla/school-holidays");
        Assert.DoesNotContain(stored.EnumerateArray(), h => h.GetProperty("name").GetString() == "Endless holidays");
    }

    [Fact]
    public async Task A_school_holiday_longer_than_62_days_is_refused_with_422()
    {
        var response = await _api.Admin.PostAsync("/api/support/sla/school-holidays",
            Json.Body(new { name = "Summer and autumn", firstDay = "2027-07-01", lastDay = "2027-09-01" }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:domain-rule");
        Assert.Equal("school-holiday-span", problem.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task A_ticket_on_a_calendar_without_opening_hours_is_stored_and_its_clocks_say_why_they_have_no_due_time()
    {
        var school = await _api.SchoolAsync();
        var closed = await _api.Admin.PutAsync("/api/support/sla/calendars/office-hours/opening-hours", Json.Body(new { openingHours = Array.Empty<object>() }));
        Assert.Equal(HttpStatusCode.NoContent, closed.StatusCode);

        var ticket = await SupportApi.OpenAsync(_api.ClientFor(school), SupportApi.Report("portal", impact: "high", urgency: "medium"));

        var stored = await SupportApi.GetOkAsync(_api.Agent, $"/api/support/tickets/{ticket.GetProperty("id").GetGuid()}");
        var firstResponse = SupportApi.Timer(stored, "total", "firstResponse");
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null, true), (firstResponse.GetProperty("dueAt").ValueKind,
            firstResponse.GetProperty("warnAt").ValueKind, firstResponse.GetProperty("active").GetBoolean()));
        Assert.Equal("The business calendar has no opening hours, so business time never passes and nothing can fall due.",
            firstResponse.GetProperty("noDueTimeReason").GetString());
    }
}
