using System.Net;
using System.Text.Json;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;

namespace Mep.Support.Tests;

/// <summary>A school key sees and comments only on its own tickets and never internal notes; a vendor only tickets of its groups.</summary>
public sealed class AccessTests(SupportApi api) : IClassFixture<SupportApi>
{
    [Fact]
    public async Task A_school_neither_reads_nor_comments_on_another_schools_tickets()
    {
        var a = await api.SchoolAsync();
        var b = await api.SchoolAsync();
        var idOfB = (await SupportApi.OpenAsync(api.ClientFor(b), SupportApi.Report("mail"))).GetProperty("id").GetGuid();
        var schoolA = api.ClientFor(a);

        await (await schoolA.GetAsync($"/api/support/tickets/{idOfB}")).AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await schoolA.GetAsync($"/api/support/tickets/{idOfB}/history")).AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await schoolA.PostAsync($"/api/support/tickets/{idOfB}/comments", Json.Body(new { body = "hello" })))
            .AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        // As in every service's lists (SchoolSelection): another school is no school a key may name.
        await (await schoolA.GetAsync($"/api/support/tickets?schoolId={b.Id}")).AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task A_school_never_sees_the_internal_notes_on_its_own_ticket()
    {
        var a = await api.SchoolAsync();
        var idOfA = (await SupportApi.OpenAsync(api.ClientFor(a), SupportApi.Report("mail"))).GetProperty("id").GetGuid();
        await SupportApi.PostOkAsync(api.Agent, $"/api/support/tickets/{idOfA}/comments", new { body = "Mailbox quota of the school office.", @internal = true });
        await SupportApi.PostOkAsync(api.Agent, $"/api/support/tickets/{idOfA}/comments", new { body = "We are on it.", @internal = false });

        var own = await SupportApi.GetOkAsync(api.ClientFor(a), $"/api/support/tickets/{idOfA}");

        Assert.Equal(["We are on it."], own.GetProperty("comments").EnumerateArray().Select(c => c.GetProperty("body").GetString()));
        var staffView = await SupportApi.GetOkAsync(api.Agent, $"/api/support/tickets/{idOfA}");
        Assert.Equal(2, staffView.GetProperty("comments").GetArrayLength());
    }

    [Fact]
    public async Task A_schools_history_shows_a_link_to_another_schools_ticket_without_its_number()
    {
        var a = await api.SchoolAsync();
        var b = await api.SchoolAsync();
        var idOfA = (await SupportApi.OpenAsync(api.ClientFor(a), SupportApi.Report("mail"))).GetProperty("id").GetGuid();
        var idOfB = (await SupportApi.OpenAsync(api.ClientFor(b), SupportApi.Report("mail"))).GetProperty("id").GetGuid();
        await SupportApi.PostOkAsync(api.Agent, $"/api/support/tickets/{idOfA}/links", new { relatedTicketId = idOfB });

        var history = await SupportApi.GetOkAsync(api.ClientFor(a), $"/api/support/tickets/{idOfA}/history");

        var link = Assert.Single(history.EnumerateArray(), h => h.GetProperty("change").GetString() == "linked");
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (link.GetProperty("to").ValueKind, link.GetProperty("note").ValueKind));
    }

    [Fact]
    public async Task Merging_into_another_schools_ticket_is_a_422_and_leaves_the_ticket_open()
    {
        var a = await api.SchoolAsync();
        var b = await api.SchoolAsync();
        var idOfA = (await SupportApi.OpenAsync(api.ClientFor(a), SupportApi.Report("mail"))).GetProperty("id").GetGuid();
        var idOfB = (await SupportApi.OpenAsync(api.ClientFor(b), SupportApi.Report("mail"))).GetProperty("id").GetGuid();

        var merge = await api.Agent.PostAsync($"/api/support/tickets/{idOfA}/merge", Json.Body(new { intoTicketId = idOfB }));

        await merge.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal("new", (await SupportApi.GetOkAsync(api.Agent, $"/api/support/tickets/{idOfA}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_internal_comment_by_a_school_is_a_400_naming_internal()
    {
        var a = await api.SchoolAsync();
        var idOfA = (await SupportApi.OpenAsync(api.ClientFor(a), SupportApi.Report("mail"))).GetProperty("id").GetGuid();

        var internalBySchool = await api.ClientFor(a).PostAsync($"/api/support/tickets/{idOfA}/comments", Json.Body(new { body = "x", @internal = true }));

        var problem = await internalBySchool.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.Equal(["internal"], problem.ErrorFields());
    }

    [Fact]
    public async Task A_vendor_sees_only_the_tickets_of_its_groups()
    {
        await api.PersonAsync("vendor-lernsoft", PlatformRoles.Vendor);
        await api.MemberAsync("software-vendor", "vendor-lernsoft");
        var school = await api.SchoolAsync();
        var vendorTicket = await SupportApi.OpenAsync(api.ClientFor(school), SupportApi.Report("licensed-software"));
        var deskTicket = await SupportApi.OpenAsync(api.ClientFor(school), SupportApi.Report("mail"));
        var vendor = api.ClientAs(PlatformRoles.Vendor, "vendor-lernsoft");
        var otherVendor = api.ClientAs(PlatformRoles.Vendor, "vendor-elsewhere");

        var list = await SupportApi.GetOkAsync(vendor, "/api/support/tickets?pageSize=200");
        var deskForVendor = await vendor.GetAsync($"/api/support/tickets/{deskTicket.GetProperty("id").GetGuid()}");
        var vendorForOther = await otherVendor.GetAsync($"/api/support/tickets/{vendorTicket.GetProperty("id").GetGuid()}");

        Assert.Equal([vendorTicket.GetProperty("id").GetGuid()], list.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()));
        await deskForVendor.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await vendorForOther.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        var worked = await vendor.PostAsync($"/api/support/tickets/{vendorTicket.GetProperty("id").GetGuid()}/status", Json.Body(new { status = "inProgress" }));
        Assert.Equal(HttpStatusCode.OK, worked.StatusCode);
    }

    [Fact]
    public async Task A_report_missing_what_its_category_needs_is_a_400_naming_the_fields_and_stores_nothing()
    {
        var school = await api.SchoolAsync(devices: new TestDevice("KNOWN-1"));
        var before = await api.Database.ScalarAsync<long>("SELECT count(*) FROM tickets");

        var noSerial = await api.ClientFor(school).PostAsync("/api/support/tickets", Json.Body(SupportApi.Report("device-hardware")));
        var noRoom = await api.ClientFor(school).PostAsync("/api/support/tickets", Json.Body(SupportApi.Report("board-system")));
        var unknownSerial = await api.ClientFor(school).PostAsync("/api/support/tickets",
            Json.Body(SupportApi.Report("device-hardware", fields: ("deviceSerial", "OTHER-SCHOOLS-1"))));
        var incomplete = await api.ClientFor(school).PostAsync("/api/support/tickets",
            Json.Body(SupportApi.Report("portal", fields: [("reporterEmail", null), ("impact", "huge")])));

        Assert.Equal(["deviceSerial"], (await noSerial.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
        Assert.Equal(["roomId"], (await noRoom.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
        Assert.Equal(["deviceSerial"], (await unknownSerial.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
        Assert.Equal(["impact", "reporterEmail"], (await incomplete.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
        Assert.Equal(before, await api.Database.ScalarAsync<long>("SELECT count(*) FROM tickets"));
    }
}
