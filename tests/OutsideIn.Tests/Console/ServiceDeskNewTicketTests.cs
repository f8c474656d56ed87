using Microsoft.Playwright;

namespace Mep.OutsideIn.Tests.Console;

/// <summary>Opening a ticket for a school that called: by its number, then a room from the school's rooms.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ServiceDeskNewTicketTests(ConsolePlatform platform)
{
    private readonly ServiceDeskArrange _arrange = new(platform);

    [Fact]
    public async Task An_agent_opens_a_ticket_by_school_number_and_room()
    {
        var (roomId, building, roomNumber) = await _arrange.RoomAsync();
        var title = "Drucker im Lehrerzimmer " + ServiceDeskArrange.UniqueWord("N");
        await using var session = await platform.SignInAsync(ConsolePeople.Agent);
        var page = session.Page;
        await page.GotoAsync("/servicedesk/neu");

        await page.GetByLabel("Schulnummer").FillAsync(platform.SchoolNumber);
        await page.GetByRole(AriaRole.Button, new() { Name = "Schule laden" }).ClickAsync();
        await page.GetByLabel("Raum").SelectOptionAsync(new SelectOptionValue { Label = $"{building}, Raum {roomNumber}" });
        await page.GetByLabel("Kategorie").SelectOptionAsync("printer");
        await page.GetByLabel("Betreff").FillAsync(title);
        await page.GetByLabel("Beschreibung (was, wo, seit wann)").FillAsync("Papierstau, seit gestern.");
        await page.GetByLabel("Meldende Person").FillAsync("Frau Schmidt");
        await page.GetByLabel("E-Mail").FillAsync("schmidt@schule.example");
        await session.ScreenshotAsync("servicedesk-new");
        await session.AssertAccessibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ticket eröffnen" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Das Ticket ist eröffnet.");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(title);
        await Assertions.Expect(page.GetByText($"{building}, Raum {roomNumber}")).ToBeVisibleAsync();
        var number = long.Parse(new Uri(page.Url).AbsolutePath.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var ticket = await _arrange.TicketByNumberAsync(number);
        Assert.Equal((platform.SchoolNumber, roomId, "printer", title), (ticket.GetProperty("schoolNumber").GetString(), ticket.GetProperty("roomId").GetGuid(),
            ticket.GetProperty("category").GetString(), ticket.GetProperty("title").GetString()));
    }
}
