using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mep.OutsideIn.Tests.Console;

/// <summary>
/// A school's IT contact in the console: its own school's tickets, devices and loans, never another school's (not even by a guessed
/// address); opening and answering a ticket lands in Support as the school's.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class SchoolContactTests(ConsolePlatform platform)
{
    [Fact]
    public async Task A_school_contact_sees_its_own_schools_ticket_and_never_the_other_schools()
    {
        using var agent = platform.StaffClient("agent");
        var own = await SchoolContactArrange.TicketAsync(agent, platform.SchoolId, SchoolContactArrange.Unique("Eigenes Postfach "));
        var other = await SchoolContactArrange.TicketAsync(agent, platform.OtherSchoolId, SchoolContactArrange.Unique("Fremdes Postfach "));
        await using var session = await platform.SignInAsync(ConsolePeople.SchoolContact);

        await session.Page.GotoAsync("/schule");

        await Expect(session.Page.Locator($"tr[data-ticket='{own.Number}']")).ToHaveCountAsync(1);
        await Expect(session.Page.Locator($"tr[data-ticket='{other.Number}']")).ToHaveCountAsync(0);
        Assert.DoesNotContain("Fremdes Postfach", await session.Page.ContentAsync(), StringComparison.Ordinal);
        await session.AssertAccessibleAsync();
        await session.ScreenshotAsync("school-tickets");
    }

    [Fact]
    public async Task Another_schools_ticket_by_its_address_is_not_found_and_shows_nothing_of_it()
    {
        using var agent = platform.StaffClient("agent");
        var title = SchoolContactArrange.Unique("Fremdes Ticket ");
        var other = await SchoolContactArrange.TicketAsync(agent, platform.OtherSchoolId, title);
        await using var session = await platform.SignInAsync(ConsolePeople.SchoolContact);

        var answer = await session.Page.GotoAsync($"/schule/tickets/{other.Id}");

        Assert.Equal(404, answer!.Status);
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(new Regex("nicht gefunden$"));
        var page = await session.Page.ContentAsync();
        Assert.DoesNotContain(title, page, StringComparison.Ordinal);
        Assert.DoesNotContain("Das Postfach nimmt keine Nachrichten", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_school_contact_sees_its_own_schools_devices_and_never_the_other_schools()
    {
        using var planner = platform.StaffClient("planner");
        var own = await SchoolContactArrange.DeviceAsync(planner, platform.SchoolId);
        var other = await SchoolContactArrange.DeviceAsync(planner, platform.OtherSchoolId);
        await using var session = await platform.SignInAsync(ConsolePeople.SchoolContact);

        await session.Page.GotoAsync($"/schule/geraete?seriennummer={own}");
        await Expect(session.Page.Locator($"tr[data-serial='{own}'] td")).ToHaveTextAsync(new[] { "Tablet", "Apple iPad 10.9 (10th gen)", "Im Einsatz", "–" });
        await session.Page.GotoAsync($"/schule/geraete?seriennummer={other}");
        await Expect(session.Page.GetByText("0 Geräte")).ToBeVisibleAsync();
        // The search box keeps what was typed; nothing the page shows of its own may name the other school's device.
        Assert.DoesNotContain(other, await session.Page.InnerTextAsync("main"), StringComparison.Ordinal);
        await session.Page.GotoAsync("/schule/geraete");
        await Expect(session.Page.Locator($"tr[data-serial='{other}']")).ToHaveCountAsync(0);
        await session.AssertAccessibleAsync();
        await session.ScreenshotAsync("school-devices");
    }

    [Fact]
    public async Task A_school_contact_opens_a_ticket_and_Support_has_it_for_the_contacts_school()
    {
        var title = SchoolContactArrange.Unique("Beamer flackert ");
        await using var session = await platform.SignInAsync(ConsolePeople.SchoolContact);
        await session.Page.GotoAsync("/schule");

        await session.Page.GetByLabel("Art der Störung").SelectOptionAsync("other");
        await session.Page.GetByLabel("Betreff").FillAsync(title);
        await session.Page.GetByLabel("Beschreibung").FillAsync("Seit Montag flackert der Beamer in der Aula.");
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Ticket melden" }).ClickAsync();

        await Expect(session.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync(new Regex("Ihr Ticket ist gemeldet"));
        var id = Guid.Parse(new Uri(session.Page.Url).Segments[^1]);
        using var agent = platform.StaffClient("agent");
        var ticket = await SchoolContactArrange.TicketNowAsync(agent, id);
        Assert.Equal((platform.SchoolId, title, "Seit Montag flackert der Beamer in der Aula.", "other"),
            (ticket.GetProperty("schoolId").GetGuid(), ticket.GetProperty("title").GetString(), ticket.GetProperty("description").GetString(),
                ticket.GetProperty("category").GetString()));
    }

    [Fact]
    public async Task A_school_contact_answers_on_a_ticket_and_Support_has_the_public_comment_from_the_school()
    {
        using var agent = platform.StaffClient("agent");
        var own = await SchoolContactArrange.TicketAsync(agent, platform.SchoolId, SchoolContactArrange.Unique("Antwort erbeten "));
        var text = SchoolContactArrange.Unique("Neustart hat nicht geholfen ");
        await using var session = await platform.SignInAsync(ConsolePeople.SchoolContact);
        await session.Page.GotoAsync($"/schule/tickets/{own.Id}");

        await session.Page.GetByLabel("Ihre Antwort").FillAsync(text);
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Antwort senden" }).ClickAsync();

        await Expect(session.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Ihre Antwort ist eingetragen.");
        await Expect(session.Page.Locator("ol.comments li")).ToContainTextAsync(new[] { text });
        var ticket = await SchoolContactArrange.TicketNowAsync(agent, own.Id);
        var comment = Assert.Single(ticket.GetProperty("comments").EnumerateArray());
        Assert.Equal((text, false, "school"), (comment.GetProperty("body").GetString(), comment.GetProperty("internal").GetBoolean(),
            comment.GetProperty("authorRole").GetString()));
    }

    [Fact]
    public async Task The_loans_page_shows_the_schools_loan_with_its_borrower_reference_and_marks_it_overdue_in_words()
    {
        using var planner = platform.StaffClient("planner");
        var (serial, borrower) = await SchoolContactArrange.OverdueLoanAsync(planner, platform.SchoolId);
        await using var session = await platform.SignInAsync(ConsolePeople.SchoolContact);

        await session.Page.GotoAsync($"/schule/ausleihen?ausleiher={borrower}");

        var row = session.Page.Locator("tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("th")).ToContainTextAsync(borrower);
        await Expect(row.Locator("td").First).ToHaveTextAsync(serial);
        await Expect(row.Locator("td").Last).ToHaveTextAsync("überfällig");
        await session.AssertAccessibleAsync();
        await session.ScreenshotAsync("school-loans");
    }

    [Fact]
    public async Task A_person_without_the_school_role_gets_Kein_Zugriff_and_no_school_data()
    {
        await using var session = await platform.SignInAsync(ConsolePeople.NoRole);

        foreach (var path in new[] { "/schule", "/schule/geraete", "/schule/ausleihen", $"/schule/tickets/{Guid.NewGuid()}" })
        {
            var answer = await session.Page.GotoAsync(path);

            Assert.Equal(403, answer!.Status);
            await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Kein Zugriff");
            await Expect(session.Page.Locator("table")).ToHaveCountAsync(0);
        }
    }
}
