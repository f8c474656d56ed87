using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Mep.OutsideIn.Tests.Console;

/// <summary>The service desk's ticket page: assign, escalate and resolve with an article, each checked in the page and through the API.</summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class ServiceDeskTicketTests(ConsolePlatform platform)
{
    private readonly ServiceDeskArrange _arrange = new(platform);

    [Fact]
    public async Task An_agent_assigns_a_ticket_to_herself_within_its_group()
    {
        var ticket = await _arrange.TicketAsync("Kein Zugang zum Postfach " + ServiceDeskArrange.UniqueWord("A"));
        var number = ticket.GetProperty("number").GetInt64();
        await using var session = await platform.SignInAsync(ConsolePeople.Agent);
        var page = session.Page;
        await page.GotoAsync($"/servicedesk/tickets/{number}");

        await page.Locator("#assignee").SelectOptionAsync(ConsolePeople.Agent.UserName);
        await page.GetByRole(AriaRole.Button, new() { Name = "Zuweisen", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Die Zuweisung ist gespeichert.");
        await Assertions.Expect(page.Locator("[data-field=assignee]")).ToHaveTextAsync(ConsolePeople.Agent.UserName);
        Assert.Equal(ConsolePeople.Agent.UserName, (await _arrange.TicketByNumberAsync(number)).GetProperty("assignee").GetString());
    }

    [Fact]
    public async Task An_agent_escalates_a_ticket_with_a_reason_to_the_next_level()
    {
        var ticket = await _arrange.TicketAsync("Netzlaufwerk fehlt " + ServiceDeskArrange.UniqueWord("E"));
        var number = ticket.GetProperty("number").GetInt64();
        await using var session = await platform.SignInAsync(ConsolePeople.Agent);
        var page = session.Page;
        await page.GotoAsync($"/servicedesk/tickets/{number}");

        await page.GetByLabel("Begründung").FillAsync("Serverseitig, braucht die IT-Abteilung");
        await page.GetByRole(AriaRole.Button, new() { Name = "Eskalieren", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Das Ticket ist eskaliert.");
        await Assertions.Expect(page.Locator("[data-field=level]")).ToHaveTextAsync("Stufe 2");
        await Assertions.Expect(page.Locator("[data-field=group]")).ToHaveTextAsync("IT-Abteilung");
        var after = await _arrange.TicketByNumberAsync(number);
        Assert.Equal((2, "it-department"), (after.GetProperty("level").GetInt32(), after.GetProperty("group").GetString()));
        var escalation = (await _arrange.HistoryAsync(after.GetProperty("id").GetGuid())).EnumerateArray()
            .Single(h => h.GetProperty("change").GetString() == "escalated");
        Assert.Equal("Serverseitig, braucht die IT-Abteilung", escalation.GetProperty("note").GetString());
    }

    [Fact]
    public async Task An_agent_resolves_a_ticket_with_a_knowledge_base_article_found_by_search()
    {
        var word = ServiceDeskArrange.UniqueWord("Kennwort");
        var article = await _arrange.ArticleAsync($"Postfach entsperren {word}", "Im Portal unter Konten das Postfach entsperren.");
        var ticket = await _arrange.TicketAsync("Postfach gesperrt " + ServiceDeskArrange.UniqueWord("R"));
        var number = ticket.GetProperty("number").GetInt64();
        await using var session = await platform.SignInAsync(ConsolePeople.Agent);
        var page = session.Page;
        await page.GotoAsync($"/servicedesk/tickets/{number}");

        await page.GetByLabel("Artikel suchen").FillAsync(word);
        await page.GetByRole(AriaRole.Button, new() { Name = "Suchen", Exact = true }).ClickAsync();
        await page.Locator("#article").SelectOptionAsync(new SelectOptionValue { Label = $"Postfach entsperren {word}" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Lösen", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Das Ticket ist gelöst.");
        await Assertions.Expect(page.Locator("[data-field=status]")).ToHaveTextAsync("Gelöst");
        var after = await _arrange.TicketByNumberAsync(number);
        Assert.Equal("resolved", after.GetProperty("status").GetString());
        Assert.Equal([article.GetProperty("id").GetGuid()], after.GetProperty("articleIds").EnumerateArray().Select(a => a.GetGuid()));
    }

    [Fact]
    public async Task A_change_made_meanwhile_is_refused_as_changed_and_the_page_shows_the_fresh_state()
    {
        var ticket = await _arrange.TicketAsync("Kalender synchronisiert nicht " + ServiceDeskArrange.UniqueWord("C"));
        var number = ticket.GetProperty("number").GetInt64();
        await using var session = await platform.SignInAsync(ConsolePeople.Agent);
        var page = session.Page;
        await page.GotoAsync($"/servicedesk/tickets/{number}");
        var status = await _arrange.Agent.PostAsync($"/api/support/tickets/{ticket.GetProperty("id").GetGuid()}/status", Json.Body(new { status = "inProgress" }));
        Assert.True(status.IsSuccessStatusCode);

        await page.Locator("#assignee").SelectOptionAsync(ConsolePeople.Agent.UserName);
        await page.GetByRole(AriaRole.Button, new() { Name = "Zuweisen", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("inzwischen geändert");
        await Assertions.Expect(page.Locator("[data-field=status]")).ToHaveTextAsync("In Bearbeitung");
        Assert.Equal(JsonValueKindNull, (await _arrange.TicketByNumberAsync(number)).GetProperty("assignee").ValueKind);
    }

    [Fact]
    public async Task The_ticket_page_shows_school_sla_comments_and_history_and_passes_axe()
    {
        var ticket = await _arrange.TicketAsync("Beamer zeigt kein Bild " + ServiceDeskArrange.UniqueWord("T"));
        var number = ticket.GetProperty("number").GetInt64();
        await _arrange.ArticleAsync("Beamer zeigt kein Bild: Eingang wählen", "Am Beamer die Quelle HDMI 1 wählen; hilft das nicht, Kabel tauschen.");
        await using var session = await platform.SignInAsync(ConsolePeople.Agent);
        var page = session.Page;
        await page.GotoAsync($"/servicedesk/tickets/{number}");
        await page.GetByLabel("Neuer Kommentar").FillAsync("Rückruf vereinbart für morgen früh.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Kommentar speichern" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Der Kommentar ist gespeichert.");

        await Assertions.Expect(page.GetByText($"GY Konsolenschule {platform.SchoolNumber} ({platform.SchoolNumber})")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-field=sla]")).ToHaveTextAsync(SlaLeft());
        await Assertions.Expect(page.Locator(".sd-comments li.internal")).ToContainTextAsync("Intern");
        await Assertions.Expect(page.Locator(".sd-comments li.internal")).ToContainTextAsync("Rückruf vereinbart für morgen früh.");
        await Assertions.Expect(page.Locator(".sd-history")).ToContainTextAsync("Interne Notiz");
        await Assertions.Expect(page.Locator(".sd-articles").First).ToContainTextAsync("Beamer zeigt kein Bild: Eingang wählen");
        Assert.Equal(1, (await _arrange.TicketByNumberAsync(number)).GetProperty("comments").GetArrayLength());
        await session.AssertAccessibleAsync();
        await session.ScreenshotAsync("servicedesk-ticket");
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [GeneratedRegex(@"^(noch|bald fällig: noch) \d+ (Tg\.|Std\.|Min\.)")]
    private static partial Regex SlaLeft();
}
