using System.Net;
using System.Text.Json;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;

namespace Mep.Support.Tests;

/// <summary>
/// The people directory: assignees and group members are people it knows, not free text; people are recorded from their tokens at
/// their first request, kept by admins, and deactivated (never deleted) when they leave.
/// </summary>
public sealed class PeopleTests(SupportApi api) : IClassFixture<SupportApi>
{
    [Fact]
    public async Task An_sql_like_assignee_is_a_422_naming_assignee_and_the_ticket_is_unchanged()
    {
        var (id, before) = await TicketAsync("mail");

        var response = await AssignAsync(api.Agent, id, "x'); DROP TABLE tickets; --");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal(["assignee"], problem.ErrorFields());
        Assert.Equal("person-unknown", problem.GetProperty("rule").GetString());
        await AssertUnchangedAsync(id, before);
    }

    [Fact]
    public async Task A_4000_character_assignee_is_refused_naming_assignee_and_the_ticket_is_unchanged()
    {
        var (id, before) = await TicketAsync("mail");

        var response = await AssignAsync(api.Agent, id, new string('a', 4_000));

        // Longer than any token's subject can be: over the declared limit, refused before anyone looks it up.
        Assert.Equal(["assignee"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
        await AssertUnchangedAsync(id, before);
    }

    [Fact]
    public async Task An_assignee_who_is_not_a_member_of_the_tickets_vendor_group_is_a_422_naming_assignee()
    {
        await api.PersonAsync("vendor-inside", PlatformRoles.Vendor);
        await api.MemberAsync("tablet-provider", "vendor-inside");
        var (id, before) = await TicketAsync("licensed-software");

        var response = await AssignAsync(api.Agent, id, "vendor-inside");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal(["assignee"], problem.ErrorFields());
        Assert.Equal("assignee-not-in-group", problem.GetProperty("rule").GetString());
        await AssertUnchangedAsync(id, before);
    }

    [Fact]
    public async Task A_member_of_the_tickets_group_is_assigned()
    {
        await api.PersonAsync("vendor-lena", PlatformRoles.Vendor);
        await api.MemberAsync("software-vendor", "vendor-lena");
        var (id, _) = await TicketAsync("licensed-software");

        var response = await AssignAsync(api.Agent, id, "vendor-lena");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("vendor-lena", (await response.ReadJsonAsync()).GetProperty("assignee").GetString());
        var assigned = (await SupportApi.GetOkAsync(api.Agent, $"/api/support/tickets/{id}/history")).EnumerateArray()
            .Single(e => e.GetProperty("change").GetString() == "assigned");
        Assert.Equal(("agent-anna", "vendor-lena"), (assigned.GetProperty("actor").GetString(), assigned.GetProperty("to").GetString()));
    }

    [Fact]
    public async Task An_internal_agent_is_assigned_to_a_service_desk_ticket_without_a_membership()
    {
        await api.PersonAsync("agent-paul", PlatformRoles.Agent);
        var (id, _) = await TicketAsync("mail");

        var response = await AssignAsync(api.Agent, id, "agent-paul");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("agent-paul", (await response.ReadJsonAsync()).GetProperty("assignee").GetString());
    }

    [Fact]
    public async Task A_vendors_person_is_not_assigned_to_a_service_desk_ticket()
    {
        await api.PersonAsync("vendor-vera", PlatformRoles.Vendor);
        var (id, before) = await TicketAsync("mail");

        var response = await AssignAsync(api.Agent, id, "vendor-vera");

        Assert.Equal(["assignee"], (await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule)).ErrorFields());
        await AssertUnchangedAsync(id, before);
    }

    [Fact]
    public async Task Unassigning_with_null_still_works()
    {
        await api.PersonAsync("agent-ulla", PlatformRoles.Agent);
        var (id, _) = await TicketAsync("mail");
        Assert.Equal(HttpStatusCode.OK, (await AssignAsync(api.Agent, id, "agent-ulla")).StatusCode);

        var response = await AssignAsync(api.Agent, id, null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await response.ReadJsonAsync()).GetProperty("assignee").ValueKind);
    }

    [Fact]
    public async Task Adding_a_member_with_an_unknown_subject_is_a_422_naming_subject_and_adds_nothing()
    {
        var response = await api.Admin.PutAsync("/api/support/groups/software-vendor/members/nobody-we-know", null);

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal(["subject"], problem.ErrorFields());
        Assert.Equal(0, await api.Database.ScalarAsync<long>("SELECT count(*) FROM group_members WHERE subject = 'nobody-we-know'"));
    }

    [Fact]
    public async Task Staff_are_not_added_to_the_schools_own_level_0_group()
    {
        await api.PersonAsync("agent-level-zero", PlatformRoles.Agent);

        var response = await api.Admin.PutAsync("/api/support/groups/school/members/agent-level-zero", null);

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal("group-takes-no-members", problem.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task A_subject_with_a_slash_is_a_400_naming_subject_since_no_path_could_address_it()
    {
        var response = await api.Admin.PostAsync("/api/support/people",
            Json.Body(new { subject = "realm/anna", displayName = "Anna", roles = new[] { "agent" } }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.Equal(["subject"], problem.ErrorFields());
    }

    [Fact]
    public async Task A_member_added_by_mistake_is_removed_and_both_changes_are_in_the_groups_history()
    {
        await api.PersonAsync("vendor-wrong", PlatformRoles.Vendor);
        await api.MemberAsync("manufacturer", "vendor-wrong");

        var removed = await api.Admin.DeleteAsync("/api/support/groups/manufacturer/members/vendor-wrong");

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        var groups = await SupportApi.GetOkAsync(api.Agent, "/api/support/groups");
        Assert.DoesNotContain("vendor-wrong", groups.EnumerateArray().Single(g => g.GetProperty("code").GetString() == "manufacturer")
            .GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        var history = await SupportApi.GetOkAsync(api.Admin, "/api/support/groups/manufacturer/members/history");
        Assert.Equal([("removed", "vendor-wrong", "admin-udo"), ("added", "vendor-wrong", "admin-udo")],
            history.GetProperty("items").EnumerateArray()
                .Select(c => (c.GetProperty("change").GetString(), c.GetProperty("subject").GetString(), c.GetProperty("actor").GetString())));
    }

    [Fact]
    public async Task A_person_is_recorded_at_their_first_request_from_the_tokens_claims()
    {
        var specialist = api.ClientWithBearer(TestTokens.For(PlatformRoles.Specialist, "spec-sina", name: "Sina Specht", email: "sina.specht@stadt.example"));

        Assert.Equal(HttpStatusCode.OK, (await specialist.GetAsync("/api/support/categories")).StatusCode);

        var person = await SupportApi.GetOkAsync(api.Admin, "/api/support/people/spec-sina");
        Assert.Equal(("Sina Specht", "sina.specht@stadt.example", true), (person.GetProperty("displayName").GetString(),
            person.GetProperty("email").GetString(), person.GetProperty("active").GetBoolean()));
        Assert.Equal(["specialist"], person.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(JsonValueKind.Null, person.GetProperty("organisation").ValueKind);
    }

    [Fact]
    public async Task An_admins_correction_stays_until_the_tokens_claims_change()
    {
        var first = api.ClientWithBearer(TestTokens.For(PlatformRoles.Agent, "agent-greta", name: "Greta Old", email: "greta@stadt.example"));
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/support/categories")).StatusCode);
        var read = await api.Admin.GetAsync("/api/support/people/agent-greta");
        var corrected = new HttpRequestMessage(HttpMethod.Put, "/api/support/people/agent-greta")
        {
            Content = Json.Body(new { displayName = "Greta Korrigiert", email = "greta@stadt.example", roles = new[] { "agent" } }),
        };
        corrected.Headers.IfMatch.Add(read.Headers.ETag!);
        Assert.Equal(HttpStatusCode.OK, (await api.Admin.SendAsync(corrected)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/support/categories")).StatusCode);
        var afterSameClaims = (await SupportApi.GetOkAsync(api.Admin, "/api/support/people/agent-greta")).GetProperty("displayName").GetString();
        var renamed = api.ClientWithBearer(TestTokens.For(PlatformRoles.Agent, "agent-greta", name: "Greta New", email: "greta@stadt.example"));
        Assert.Equal(HttpStatusCode.OK, (await renamed.GetAsync("/api/support/categories")).StatusCode);
        var afterNewClaims = (await SupportApi.GetOkAsync(api.Admin, "/api/support/people/agent-greta")).GetProperty("displayName").GetString();

        Assert.Equal(("Greta Korrigiert", "Greta New"), (afterSameClaims, afterNewClaims));
    }

    [Fact]
    public async Task A_deactivated_person_is_not_assigned_a_ticket()
    {
        await api.PersonAsync("agent-leaving", PlatformRoles.Agent);
        var (other, before) = await TicketAsync("mail");

        var deactivated = await api.Admin.PostAsync("/api/support/people/agent-leaving/deactivation", null);
        var response = await AssignAsync(api.Agent, other, "agent-leaving");

        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal(["assignee"], problem.ErrorFields());
        Assert.Equal("person-inactive", problem.GetProperty("rule").GetString());
        await AssertUnchangedAsync(other, before);
    }

    [Fact]
    public async Task A_deactivated_person_stays_the_assignee_in_the_tickets_history()
    {
        await api.PersonAsync("agent-left", PlatformRoles.Agent);
        var (id, _) = await TicketAsync("mail");
        Assert.Equal(HttpStatusCode.OK, (await AssignAsync(api.Agent, id, "agent-left")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await api.Admin.PostAsync("/api/support/people/agent-left/deactivation", null)).StatusCode);

        var history = await SupportApi.GetOkAsync(api.Agent, $"/api/support/tickets/{id}/history");
        Assert.Contains(history.EnumerateArray(), e => e.GetProperty("change").GetString() == "assigned" && e.GetProperty("to").GetString() == "agent-left");
        Assert.Equal("agent-left", (await SupportApi.GetOkAsync(api.Agent, $"/api/support/tickets/{id}")).GetProperty("assignee").GetString());
    }

    [Fact]
    public async Task Deactivating_a_person_ends_their_memberships_and_records_why()
    {
        await api.PersonAsync("css-tom", PlatformRoles.Vendor, organisation: "css");
        await api.MemberAsync("css", "css-tom");

        var deactivated = await api.Admin.PostAsync("/api/support/people/css-tom/deactivation", null);

        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        var latest = (await SupportApi.GetOkAsync(api.Admin, "/api/support/groups/css/members/history")).GetProperty("items")[0];
        Assert.Equal(("removed", "css-tom", "deactivated"),
            (latest.GetProperty("change").GetString(), latest.GetProperty("subject").GetString(), latest.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task A_deactivated_person_is_not_added_to_a_group_again()
    {
        await api.PersonAsync("css-tina", PlatformRoles.Vendor, organisation: "css");
        await api.MemberAsync("css", "css-tina");
        Assert.Equal(HttpStatusCode.OK, (await api.Admin.PostAsync("/api/support/people/css-tina/deactivation", null)).StatusCode);

        var readded = await api.Admin.PutAsync("/api/support/groups/css/members/css-tina", null);

        Assert.Equal(["subject"], (await readded.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule)).ErrorFields());
    }

    [Fact]
    public async Task A_deactivated_vendor_no_longer_sees_the_tickets_of_its_group_or_assigned_to_it()
    {
        await api.PersonAsync("vendor-gone", PlatformRoles.Vendor);
        await api.MemberAsync("software-vendor", "vendor-gone");
        var (id, _) = await TicketAsync("licensed-software");
        Assert.Equal(HttpStatusCode.OK, (await AssignAsync(api.Agent, id, "vendor-gone")).StatusCode);
        var vendor = api.ClientAs(PlatformRoles.Vendor, "vendor-gone");
        Assert.Equal(HttpStatusCode.OK, (await vendor.GetAsync($"/api/support/tickets/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await api.Admin.PostAsync("/api/support/people/vendor-gone/deactivation", null)).StatusCode);

        await (await vendor.GetAsync($"/api/support/tickets/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task A_non_admin_cannot_manage_people()
    {
        await api.PersonAsync("agent-kim", PlatformRoles.Agent);
        var agent = api.Agent;

        var created = await agent.PostAsync("/api/support/people", Json.Body(new { subject = "agent-self-made", displayName = "Self Made", roles = new[] { "admin" } }));
        var updated = await agent.PutAsync("/api/support/people/agent-kim", Json.Body(new { displayName = "Kim", roles = new[] { "admin" } }));
        var deactivated = await agent.PostAsync("/api/support/people/agent-kim/deactivation", null);
        var listed = await agent.GetAsync("/api/support/people");

        foreach (var response in new[] { created, updated, deactivated, listed })
        {
            await response.AssertProblemAsync(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        }

        Assert.Equal(0, await api.Database.ScalarAsync<long>("SELECT count(*) FROM people WHERE subject = 'agent-self-made'"));
    }

    [Fact]
    public async Task Admins_find_people_by_text_and_role_in_pages()
    {
        await api.PersonAsync("vendor-finder-1", PlatformRoles.Vendor);
        await api.PersonAsync("vendor-finder-2", PlatformRoles.Vendor);
        await api.PersonAsync("agent-finder-3", PlatformRoles.Agent);

        var page = await SupportApi.GetOkAsync(api.Admin, "/api/support/people?search=FINDER&role=vendor&pageSize=1");

        Assert.Equal((2, 2), (page.GetProperty("totalItems").GetInt32(), page.GetProperty("totalPages").GetInt32()));
        Assert.Equal(["vendor-finder-1"], page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("subject").GetString()));
    }

    private async Task<(Guid Id, string Before)> TicketAsync(string category)
    {
        var school = await api.SchoolAsync();
        var id = (await SupportApi.OpenAsync(api.ClientFor(school), SupportApi.Report(category))).GetProperty("id").GetGuid();
        return (id, await StateAsync(id));
    }

    private async Task<string> StateAsync(Guid id) =>
        (await api.Database.ScalarAsync<string>(
            $"SELECT coalesce(assignee, '<none>') || '|' || xmin::text || '|' || (SELECT count(*) FROM ticket_history h WHERE h.ticket_id = t.id) FROM tickets t WHERE id = '{id}'"))!;

    private async Task AssertUnchangedAsync(Guid id, string before) => Assert.Equal(before, await StateAsync(id));

    private static Task<HttpResponseMessage> AssignAsync(HttpClient client, Guid id, string? assignee) =>
        client.PutAsync($"/api/support/tickets/{id}/assignee", Json.Body(new { assignee }));
}
