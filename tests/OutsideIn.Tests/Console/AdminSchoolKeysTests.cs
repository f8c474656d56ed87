using System.Net;
using System.Text.Json;
using Microsoft.Playwright;

namespace Mep.OutsideIn.Tests.Console;

/// <summary>
/// An admin keeps a school's API keys in the console: a new key's secret is shown once and works against the API at once, rotating and
/// revoking (each confirmed first) end the old key for good. What the keys do is checked at the edge with X-Api-Key, as a school's
/// software calls.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class AdminSchoolKeysTests(ConsolePlatform platform)
{
    private const string KeysPage = "/verwaltung/schulschluessel";

    [Fact]
    public async Task An_admin_issues_a_key_whose_secret_is_shown_once_and_opens_the_schools_api_for_that_school()
    {
        await using var session = await platform.SignInAsync(ConsolePeople.Admin);
        var page = session.Page;
        var label = $"Inventar {Guid.NewGuid():N}"[..20];
        await page.GotoAsync(KeysPage);
        await page.GetByLabel("Schulnummer oder Name der Schule").FillAsync(platform.SchoolNumber);
        await page.GetByRole(AriaRole.Button, new() { Name = "Schule suchen" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToContainTextAsync($"({platform.SchoolNumber})");

        await page.GetByLabel("Bezeichnung (wofür der Schlüssel ist)").FillAsync(label);
        await page.GetByRole(AriaRole.Button, new() { Name = "Schlüssel ausgeben" }).ClickAsync();

        var secretField = page.Locator("#neuer-schluessel");
        await Assertions.Expect(secretField).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Nur jetzt sichtbar");
        var secret = await secretField.InputValueAsync();
        Assert.False(string.IsNullOrWhiteSpace(secret));
        Assert.DoesNotContain(secret, page.Url, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await SchoolsMineStatusAsync(secret));
        using var mine = await MineAsync(secret);
        Assert.Equal(platform.SchoolNumber, mine.RootElement.GetProperty("number").GetString());
        await session.AssertAccessibleAsync();
        await session.ScreenshotAsync("admin-keys");

        await page.ReloadAsync();

        await Assertions.Expect(page.GetByText("Er wurde bereits einmal angezeigt")).ToBeVisibleAsync();
        Assert.Equal(0, await secretField.CountAsync());
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Single(await KeysLabelledAsync(label));
    }

    [Fact]
    public async Task An_admin_rotates_a_key_after_confirming_and_only_the_successor_opens_the_api()
    {
        var (keyId, oldSecret) = await IssueThroughApiAsync();
        await using var session = await platform.SignInAsync(ConsolePeople.Admin);
        var page = session.Page;
        await page.GotoAsync($"{KeysPage}?schule={platform.SchoolNumber}");

        await page.Locator($"tr[data-key-id='{keyId}']").GetByRole(AriaRole.Link, new() { Name = "Erneuern" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 3 }).First).ToContainTextAsync("erneuern?");
        Assert.Equal(HttpStatusCode.OK, await SchoolsMineStatusAsync(oldSecret));
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, jetzt erneuern" }).ClickAsync();

        var newSecret = await page.Locator("#neuer-schluessel").InputValueAsync();
        Assert.NotEqual(oldSecret, newSecret);
        Assert.Equal(HttpStatusCode.Unauthorized, await SchoolsMineStatusAsync(oldSecret));
        Assert.Equal(HttpStatusCode.OK, await SchoolsMineStatusAsync(newSecret));
    }

    [Fact]
    public async Task An_admin_revokes_a_key_after_confirming_and_the_api_refuses_it_from_then_on()
    {
        var (keyId, secret) = await IssueThroughApiAsync();
        await using var session = await platform.SignInAsync(ConsolePeople.Admin);
        var page = session.Page;
        await page.GotoAsync($"{KeysPage}?schule={platform.SchoolNumber}");

        await page.Locator($"tr[data-key-id='{keyId}']").GetByRole(AriaRole.Link, new() { Name = "Widerrufen" }).ClickAsync();
        Assert.Equal(HttpStatusCode.OK, await SchoolsMineStatusAsync(secret));
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, endgültig widerrufen" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(
            $"Der Schlüssel {keyId} wurde widerrufen. Anfragen mit ihm werden ab sofort abgelehnt.");
        await Assertions.Expect(page.Locator($"tr[data-key-id='{keyId}']")).ToContainTextAsync("widerrufen");
        Assert.Equal(HttpStatusCode.Unauthorized, await SchoolsMineStatusAsync(secret));
    }

    [Fact]
    public async Task Cancelling_the_revocation_leaves_the_key_working()
    {
        var (keyId, secret) = await IssueThroughApiAsync();
        await using var session = await platform.SignInAsync(ConsolePeople.Admin);
        var page = session.Page;
        await page.GotoAsync($"{KeysPage}?schule={platform.SchoolNumber}&widerrufen={keyId}");

        await page.GetByRole(AriaRole.Link, new() { Name = "Abbrechen" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Ja, endgültig widerrufen" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator($"tr[data-key-id='{keyId}']")).ToContainTextAsync("aktiv");
        Assert.Equal(HttpStatusCode.OK, await SchoolsMineStatusAsync(secret));
    }

    private async Task<(string KeyId, string Secret)> IssueThroughApiAsync()
    {
        using var admin = platform.StaffClient("admin");
        var response = await admin.PostAsync($"/api/schools/{platform.SchoolId}/api-keys", Json.Body(new { label = "Stundenplan" }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var issued = await response.ReadJsonAsync();
        return (issued.GetProperty("keyId").GetString()!, issued.GetProperty("key").GetString()!);
    }

    private async Task<List<JsonElement>> KeysLabelledAsync(string label)
    {
        using var admin = platform.StaffClient("admin");
        var keys = await (await admin.GetAsync($"/api/schools/{platform.SchoolId}/api-keys")).ReadJsonAsync();
        return [.. keys.EnumerateArray().Where(key => key.GetProperty("label").GetString() == label)];
    }

    private async Task<HttpStatusCode> SchoolsMineStatusAsync(string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/schools/mine") { Headers = { { "X-Api-Key", secret } } };
        using var response = await platform.Edge.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<JsonDocument> MineAsync(string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/schools/mine") { Headers = { { "X-Api-Key", secret } } };
        using var response = await platform.Edge.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
