using System.Net;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;

namespace Mep.Support.Tests;

/// <summary>Contractor (CSS) hours against a school's system-support budget: exact to the cent, a booking beyond the budget flagged.</summary>
public sealed class ContractorHoursTests(SupportApi api) : IClassFixture<SupportApi>
{
    [Fact]
    public async Task Bookings_add_up_to_the_cent_and_the_one_beyond_the_budget_is_flagged_with_its_overrun()
    {
        var school = await api.SchoolAsync(atMepStandard: false, rooms: 1);
        var finance = api.ClientAs(PlatformRoles.Finance, "finance-fritz");
        Assert.Equal(HttpStatusCode.OK, (await finance.PutAsync("/api/support/contractor/rates/2026-01-01", Json.Body(new { hourlyRate = 58.37m }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await finance.PutAsync($"/api/support/schools/{school.Id}/system-support-budget/2026", Json.Body(new { amount = 300.00m }))).StatusCode);
        var ticket = await SupportApi.OpenAsync(api.ClientFor(school), SupportApi.Report("printer", fields: [("needsOnSite", true), ("roomId", school.Rooms[0])]));
        Assert.Equal("css", ticket.GetProperty("group").GetString());
        var path = $"/api/support/tickets/{ticket.GetProperty("id").GetGuid()}/contractor-hours";

        var first = await SupportApi.PostOkAsync(api.Agent, path, new { workedOn = "2026-11-10", hours = 2.25m, description = "Printer driver on 12 PCs" });
        var second = await SupportApi.PostOkAsync(api.Agent, path, new { workedOn = "2026-11-12", hours = 2.75m, description = "Network printer queue" });
        var status = await SupportApi.GetOkAsync(api.ClientFor(school), $"/api/support/schools/{school.Id}/system-support-budget/2026");

        // 2.25 h x 58.37 = 131.3325 -> 131.33; 2.75 h x 58.37 = 160.5175 -> 160.52; together 291.85 of 300.00.
        Assert.Equal(131.33m, first.GetProperty("booking").GetProperty("amount").GetDecimal());
        Assert.False(first.GetProperty("budget").GetProperty("overBudget").GetBoolean());
        Assert.Equal(160.52m, second.GetProperty("booking").GetProperty("amount").GetDecimal());
        Assert.Equal((5.00m, 291.85m, 8.15m, false), (status.GetProperty("bookedHours").GetDecimal(), status.GetProperty("bookedAmount").GetDecimal(),
            status.GetProperty("remaining").GetDecimal(), status.GetProperty("overBudget").GetBoolean()));

        var beyond = await SupportApi.PostOkAsync(api.Agent, path, new { workedOn = "2026-11-13", hours = 0.5m, description = "Follow-up" });

        // 0.5 h x 58.37 = 29.185 -> 29.19 (away from zero); 321.04 booked, 21.04 over.
        Assert.Equal(29.19m, beyond.GetProperty("booking").GetProperty("amount").GetDecimal());
        Assert.Equal((321.04m, 0m, true, 21.04m), (beyond.GetProperty("budget").GetProperty("bookedAmount").GetDecimal(),
            beyond.GetProperty("budget").GetProperty("remaining").GetDecimal(), beyond.GetProperty("budget").GetProperty("overBudget").GetBoolean(),
            beyond.GetProperty("budget").GetProperty("overrun").GetDecimal()));
    }

    [Fact]
    public async Task A_booking_and_the_tickets_bookings_name_the_school_by_number_and_name()
    {
        var school = await api.SchoolAsync(atMepStandard: false, rooms: 1);
        var ticket = await SupportApi.OpenAsync(api.ClientFor(school), SupportApi.Report("printer", fields: [("needsOnSite", true), ("roomId", school.Rooms[0])]));
        var path = $"/api/support/tickets/{ticket.GetProperty("id").GetGuid()}/contractor-hours";

        var booked = (await SupportApi.PostOkAsync(api.Agent, path, new { workedOn = "2026-11-10", hours = 1m, description = "Toner" })).GetProperty("booking");
        var listed = Assert.Single((await SupportApi.GetOkAsync(api.Agent, path)).EnumerateArray());

        var expected = (school.Number, $"GY Testschule {school.Number}");
        Assert.Equal(expected, (booked.GetProperty("schoolNumber").GetString(), booked.GetProperty("schoolName").GetString()));
        Assert.Equal(expected, (listed.GetProperty("schoolNumber").GetString(), listed.GetProperty("schoolName").GetString()));
    }

    [Fact]
    public async Task Hours_are_booked_only_on_tickets_the_contractor_holds()
    {
        var school = await api.SchoolAsync();
        var deskTicket = await SupportApi.OpenAsync(api.ClientFor(school), SupportApi.Report("mail"));

        var refused = await api.Agent.PostAsync($"/api/support/tickets/{deskTicket.GetProperty("id").GetGuid()}/contractor-hours",
            Json.Body(new { workedOn = "2026-11-10", hours = 1m, description = "x" }));

        await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal(0, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM contractor_bookings WHERE school_id = '{school.Id}'"));
    }

    [Fact]
    public async Task Another_school_never_sees_a_schools_budget()
    {
        var school = await api.SchoolAsync();
        var other = await api.SchoolAsync();

        var foreign = await api.ClientFor(other).GetAsync($"/api/support/schools/{school.Id}/system-support-budget/2026");

        await foreign.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"amount": null}""")]
    public async Task A_budget_without_an_amount_is_a_400_naming_amount_and_stores_nothing(string body)
    {
        var school = await api.SchoolAsync();
        var finance = api.ClientAs(PlatformRoles.Finance, "finance-fritz");

        var response = await finance.PutAsync($"/api/support/schools/{school.Id}/system-support-budget/2026", Json.Raw(body));

        Assert.Equal(["amount"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
        Assert.Equal(0, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM system_support_budgets WHERE school_id = '{school.Id}'"));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"hourlyRate": null}""")]
    public async Task A_contractor_rate_without_an_hourly_rate_is_a_400_naming_hourly_rate(string body)
    {
        var finance = api.ClientAs(PlatformRoles.Finance, "finance-fritz");

        var response = await finance.PutAsync("/api/support/contractor/rates/2031-01-01", Json.Raw(body));

        Assert.Equal(["hourlyRate"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }
}
