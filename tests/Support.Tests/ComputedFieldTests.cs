using System.Net;
using Mep.ServiceDefaults.Errors;

namespace Mep.Support.Tests;

/// <summary>
/// What the service reads out of a report (the impact and urgency it parsed, the serial in the form Assets stores) is not a field a
/// caller sends. Sent anyway, it is refused like any unknown or read-only field, not skipped without a word (the outside-in suite
/// found normalisedSerial and parsedImpact accepted).
/// </summary>
public sealed class ComputedFieldTests(SupportApi api) : IClassFixture<SupportApi>
{
    [Theory]
    [InlineData("normalisedSerial", "DMPX1234ABCD")]
    [InlineData("parsedImpact", "high")]
    public async Task A_computed_field_sent_with_a_ticket_report_is_refused_and_no_ticket_is_opened(string field, string value)
    {
        var school = await api.SchoolAsync();

        var response = await api.ClientFor(school).PostAsync("/api/support/tickets", Json.Body(SupportApi.Report("mail", fields: (field, value))));

        Assert.Equal([$"$.{field}"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.MalformedRequest)).ErrorFields());
        Assert.Equal(0, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM tickets WHERE school_id = '{school.Id}'"));
    }
}
