using System.Net;
using System.Text.Json;
using Microsoft.Playwright;

namespace Mep.OutsideIn.Tests.Console;

/// <summary>An admin keeps Support's people directory and group memberships in the console; each outcome is read back from Support's API.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AdminPeopleTests(ConsolePlatform platform)
{
    private const string PeoplePage = "/verwaltung/personen";

    [Fact]
    public async Task An_admin_adds_a_person_to_a_group_and_supports_directory_has_the_membership()
    {
        var subject = await RecordPersonThroughApiAsync();
        await using var session = await platform.SignInAsync(ConsolePeople.Admin);
        var page = session.Page;
        await page.GotoAsync($"{PeoplePage}?suche={subject}");

        await page.GetByLabel("Kennung der Person").FillAsync(subject);
        await page.GetByLabel("Gruppe", new() { Exact = true }).SelectOptionAsync("manufacturer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Zur Gruppe hinzufügen" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"{subject} ist jetzt Mitglied der Gruppe");
        await Assertions.Expect(page.Locator($"tr[data-subject='{subject}']").GetByRole(AriaRole.Button, new() { Name = "Entfernen" })).ToHaveCountAsync(1);
        Assert.Equal(["manufacturer"], await GroupsOfAsync(subject));
        await session.AssertAccessibleAsync();
        await session.ScreenshotAsync("admin-people");
    }

    [Fact]
    public async Task An_admin_removes_a_person_from_a_group_and_the_membership_ends_in_support()
    {
        var subject = await RecordPersonThroughApiAsync();
        using (var admin = platform.StaffClient("admin"))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsync($"/api/support/groups/software-vendor/members/{subject}", null)).StatusCode);
        }

        await using var session = await platform.SignInAsync(ConsolePeople.Admin);
        var page = session.Page;
        await page.GotoAsync($"{PeoplePage}?suche={subject}");

        await page.Locator($"tr[data-subject='{subject}']").GetByRole(AriaRole.Button, new() { Name = "Entfernen" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"{subject} ist nicht mehr Mitglied der Gruppe");
        Assert.Empty(await GroupsOfAsync(subject));
    }

    [Fact]
    public async Task An_admin_records_a_person_with_roles_and_support_knows_them()
    {
        var subject = Subject();
        await using var session = await platform.SignInAsync(ConsolePeople.Admin);
        var page = session.Page;
        await page.GotoAsync(PeoplePage);

        await page.GetByLabel("Kennung", new() { Exact = true }).FillAsync(subject);
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Tina Technik");
        await page.GetByLabel("E-Mail (freiwillig)").FillAsync("tina.technik@stadt.example");
        await page.GetByLabel("IT-Fachkraft").CheckAsync();
        await page.GetByLabel("Servicedesk", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Person erfassen" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"{subject} ist jetzt im Personenverzeichnis.");
        await Assertions.Expect(page.Locator($"tr[data-subject='{subject}']")).ToContainTextAsync("Tina Technik");
        using var person = await PersonAsync(subject);
        Assert.Equal("Tina Technik", person.RootElement.GetProperty("displayName").GetString());
        Assert.Equal(["agent", "specialist"], person.RootElement.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!));
    }

    [Fact]
    public async Task Adding_someone_the_directory_does_not_know_shows_supports_refusal_and_changes_nothing()
    {
        var unknown = Subject();
        await using var session = await platform.SignInAsync(ConsolePeople.Admin);
        var page = session.Page;
        await page.GotoAsync(PeoplePage);

        await page.GetByLabel("Kennung der Person").FillAsync(unknown);
        await page.GetByLabel("Gruppe", new() { Exact = true }).SelectOptionAsync("manufacturer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Zur Gruppe hinzufügen" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Die Eingaben passen nicht.");
        using var admin = platform.StaffClient("admin");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/support/people/{unknown}")).StatusCode);
    }

    private static string Subject() => $"tech-{Guid.NewGuid():N}"[..22];

    private async Task<string> RecordPersonThroughApiAsync()
    {
        var subject = Subject();
        using var admin = platform.StaffClient("admin");
        var response = await admin.PostAsync("/api/support/people", Json.Body(new { subject, displayName = $"Techniker {subject[5..11]}", roles = new[] { "vendor" } }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return subject;
    }

    private async Task<JsonDocument> PersonAsync(string subject)
    {
        using var admin = platform.StaffClient("admin");
        var response = await admin.GetAsync($"/api/support/people/{subject}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private async Task<List<string>> GroupsOfAsync(string subject)
    {
        using var person = await PersonAsync(subject);
        return [.. person.RootElement.GetProperty("groups").EnumerateArray().Select(group => group.GetString()!)];
    }
}
