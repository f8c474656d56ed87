using System.Net;
using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Tests;

/// <summary>A school's contact mail address: kept with its master data and told to the other services (Support mails the school there).</summary>
public sealed class SchoolContactMailTests(SchoolsApi api) : IClassFixture<SchoolsApi>
{
    private static object Body(string number, string? contactEmail) => new
    {
        number, name = "GY Kontakt", type = "GY", address = new { street = "Schulstraße 1", postalCode = "30159", city = "Hannover" },
        district = "Mitte", contactEmail,
    };

    [Fact]
    public async Task A_schools_contact_address_is_kept_answered_and_published_with_its_registration_and_changes()
    {
        var number = TestSchoolNumbers.Next();
        var created = await api.Planner.PostAsync("/api/schools", Json.Body(Body(number, " sekretariat@gy-kontakt.example ")));
        var id = (await created.ReadJsonAsync()).GetProperty("id").GetGuid();
        var changed = await api.Planner.PutAsync($"/api/schools/{id}", Json.Body(Body(number, "it@gy-kontakt.example")));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("it@gy-kontakt.example", (await changed.ReadJsonAsync()).GetProperty("contactEmail").GetString());
        Assert.Equal("SchoolRegistered=sekretariat@gy-kontakt.example, SchoolUpdated=it@gy-kontakt.example", await api.Database.ScalarAsync<string>($"""
            SELECT string_agg(replace(message_type, 'Mep.Contracts.Schools.', '') || '=' || (body::jsonb ->> 'contactEmail'), ', ' ORDER BY sequence)
            FROM outbox_messages WHERE aggregate_id = '{id}' AND message_type IN ('Mep.Contracts.Schools.SchoolRegistered', 'Mep.Contracts.Schools.SchoolUpdated')
            """));
    }

    [Fact]
    public async Task A_contact_address_that_is_no_mail_address_is_a_400_naming_the_field()
    {
        var refused = await api.Planner.PostAsync("/api/schools", Json.Body(Body(TestSchoolNumbers.Next(), "Sekretariat Frau Meier")));

        Assert.Equal(["contactEmail"], (await refused.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }
}
