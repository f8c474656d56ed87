using System.Net;
using Microsoft.Playwright;

namespace Mep.OutsideIn.Tests.Console;

/// <summary>The service desk's queue: tickets with their school and SLA time left, live without reloading, and no page for other roles.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ServiceDeskQueueTests(ConsolePlatform platform)
{
    private readonly ServiceDeskArrange _arrange = new(platform);

    [Fact]
    public async Task The_queue_lists_a_ticket_with_its_school_status_group_and_sla_time_left_and_passes_axe()
    {
        var word = ServiceDeskArrange.UniqueWord("Drucker");
        var ticket = await _arrange.TicketAsync($"Drucker {word} druckt nicht");
        var number = ticket.GetProperty("number").GetInt64();
        await using var session = await platform.SignInAsync(ConsolePeople.Agent);
        var page = session.Page;

        await page.GotoAsync($"/servicedesk?suche={word}");

        var row = page.Locator($"tr[data-ticket='{number}']");
        await Assertions.Expect(row.Locator("td").Nth(1)).ToHaveTextAsync($"GY Konsolenschule {platform.SchoolNumber} ({platform.SchoolNumber})");
        await Assertions.Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("Neu");
        await Assertions.Expect(row.Locator("td").Nth(5)).ToHaveTextAsync("Service-Desk");
        await Assertions.Expect(row.Locator("td").Nth(6)).ToHaveTextAsync("nicht zugewiesen");
        await Assertions.Expect(row.Locator("td").Nth(7)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^(bald fällig: )?noch \d"));
        await Assertions.Expect(page.GetByText("1 offenes Ticket (Suche")).ToBeVisibleAsync();
        await session.AssertAccessibleAsync();
    }

    [Fact]
    public async Task A_ticket_opened_meanwhile_through_the_api_appears_in_the_queue_without_a_reload()
    {
        var word = ServiceDeskArrange.UniqueWord("Livetest");
        await using var session = await platform.SignInAsync(ConsolePeople.Agent);
        var page = session.Page;
        await page.GotoAsync($"/servicedesk?suche={word}");
        await Assertions.Expect(page.GetByText("Keine Tickets für diese Auswahl.")).ToBeVisibleAsync();

        await _arrange.TicketAsync($"WLAN {word} fällt aus");

        await Assertions.Expect(page.Locator("#queue").GetByRole(AriaRole.Link, new() { Name = $"WLAN {word} fällt aus" }))
            .ToBeVisibleAsync(new() { Timeout = 20_000 });
    }

    [Fact]
    public async Task A_planner_gets_no_access_to_the_queue_and_no_ticket_data()
    {
        var title = "Nur für den Servicedesk " + ServiceDeskArrange.UniqueWord("P");
        var ticket = await _arrange.TicketAsync(title);
        await using var session = await platform.SignInAsync(ConsolePeople.Planner);

        var response = await session.Page.GotoAsync("/servicedesk");

        Assert.Equal((int)HttpStatusCode.Forbidden, response!.Status);
        await Assertions.Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Kein Zugriff");
        var content = await session.Page.ContentAsync();
        Assert.DoesNotContain(title, content, StringComparison.Ordinal);
        Assert.DoesNotContain(ticket.GetProperty("number").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture) + "</td>", content,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_whole_queue_with_counts_and_filters_is_shown_to_an_agent()
    {
        await _arrange.TicketAsync("Portal langsam " + ServiceDeskArrange.UniqueWord("Q"));
        await using var session = await platform.SignInAsync(ConsolePeople.Agent);
        var page = session.Page;

        await page.GotoAsync("/servicedesk");

        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Nach Status filtern" })).ToContainTextAsync("Neu:");
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Nach Gruppe filtern" })).ToContainTextAsync("Service-Desk:");
        await page.GetByRole(AriaRole.Link, new() { Name = "Meine Tickets" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("meine=1"));
        await page.GotoAsync("/servicedesk");
        await session.ScreenshotAsync("servicedesk-queue");
    }
}
