using System.Net;
using Mep.ServiceDefaults.Errors;

namespace Mep.Support.Tests;

/// <summary>A school's IT contact, signed in with a token (role school, school_id), reports and reads tickets as the school's key does.</summary>
public sealed class SchoolContactTests(SupportApi api) : IClassFixture<SupportApi>
{
    [Fact]
    public async Task A_school_contacts_token_opens_a_ticket_for_its_school_that_the_schools_key_then_sees()
    {
        var school = await api.SchoolAsync();
        var contact = api.ClientWithBearer(TestTokens.ForSchoolContact(school.Id.ToString()));

        var opened = await SupportApi.OpenAsync(contact, SupportApi.Report("mail"));

        var id = opened.GetProperty("id").GetGuid();
        Assert.Equal(school.Id, opened.GetProperty("schoolId").GetGuid());
        Assert.Equal(id, (await SupportApi.GetOkAsync(api.ClientFor(school), $"/api/support/tickets/{id}")).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_school_contacts_token_finds_no_ticket_of_another_school()
    {
        var own = await api.SchoolAsync();
        var other = await api.SchoolAsync();
        var idOfOther = (await SupportApi.OpenAsync(api.ClientFor(other), SupportApi.Report("mail"))).GetProperty("id").GetGuid();
        var contact = api.ClientWithBearer(TestTokens.ForSchoolContact(own.Id.ToString()));

        var answer = await contact.GetAsync($"/api/support/tickets/{idOfOther}");

        await answer.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }
}
