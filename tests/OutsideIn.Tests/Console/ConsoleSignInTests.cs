using System.Net;
using Microsoft.Playwright;

namespace Mep.OutsideIn.Tests.Console;

/// <summary>Signing in to the console through the identity provider, what each role is offered, and that the session stays server-side.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleSignInTests(ConsolePlatform platform)
{
    public static TheoryData<string, string[]> AreasByPerson => new()
    {
        { ConsolePeople.Agent.UserName, ["Servicedesk"] },
        { ConsolePeople.Specialist.UserName, ["Servicedesk"] },
        { ConsolePeople.Planner.UserName, ["Rollout"] },
        { ConsolePeople.Finance.UserName, ["Finanzen"] },
        { ConsolePeople.Admin.UserName, ["Verwaltung"] },
        { ConsolePeople.SchoolContact.UserName, ["Meine Schule"] },
    };

    [Theory]
    [MemberData(nameof(AreasByPerson))]
    public async Task Each_role_signs_in_at_the_identity_provider_and_is_offered_exactly_its_areas(string userName, string[] areas)
    {
        var person = ConsolePeople.All.Single(p => p.UserName == userName);
        await using var session = await platform.SignInAsync(person);

        await Assertions.Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Willkommen, {person.Name}");
        var offered = await session.Page.GetByRole(AriaRole.Navigation, new() { Name = "Bereiche" }).GetByRole(AriaRole.Link).AllInnerTextsAsync();
        Assert.Equal(areas, offered.Select(text => text.Trim()));
    }

    [Fact]
    public async Task A_person_without_a_role_is_told_so_and_offered_no_area()
    {
        await using var session = await platform.SignInAsync(ConsolePeople.NoRole);

        await Assertions.Expect(session.Page.GetByText("Ihrer Anmeldung ist keine Rolle der MEP-Plattform zugeordnet.")).ToBeVisibleAsync();
        Assert.Equal(0, await session.Page.GetByRole(AriaRole.Navigation, new() { Name = "Bereiche" }).GetByRole(AriaRole.Link).CountAsync());
    }

    public static TheoryData<string> AreaPages => ["/servicedesk", "/rollout", "/finanzen", "/schule", "/verwaltung"];

    [Theory]
    [MemberData(nameof(AreaPages))]
    public async Task A_person_without_the_areas_role_gets_the_no_access_page_with_403(string path)
    {
        await using var session = await platform.SignInAsync(ConsolePeople.NoRole);

        var response = await session.Page.GotoAsync(path);

        Assert.Equal((int)HttpStatusCode.Forbidden, response!.Status);
        await Assertions.Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Kein Zugriff");
    }

    [Fact]
    public async Task Without_a_session_a_page_sends_the_browser_to_the_identity_providers_login_with_pkce()
    {
        var response = await platform.Edge.GetAsync("/servicedesk");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var login = response.Headers.Location!;
        Assert.StartsWith($"{platform.EdgeAddress}identity/", login.ToString(), StringComparison.Ordinal);
        Assert.Contains("code_challenge_method=S256", login.Query, StringComparison.Ordinal);
        Assert.Contains("response_type=code", login.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_session_cookie_is_http_only_and_no_page_carries_the_access_token()
    {
        await using var session = await platform.SignInAsync(ConsolePeople.Agent);

        var cookies = await session.Page.Context.CookiesAsync();
        var sessionCookies = cookies.Where(cookie => cookie.Name.StartsWith("mep-console", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(sessionCookies);
        Assert.All(sessionCookies, cookie => Assert.True(cookie.HttpOnly, $"{cookie.Name} is readable by script"));
        Assert.All(sessionCookies, cookie => Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite));
        var html = await session.Page.ContentAsync();
        Assert.DoesNotContain("eyJ", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_ends_the_session_here_and_at_the_provider()
    {
        await using var session = await platform.SignInAsync(ConsolePeople.Agent);

        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Abmelden" }).ClickAsync();
        await Assertions.Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sie sind abgemeldet");
        await session.Page.GotoAsync("/servicedesk");

        await Assertions.Expect(session.Page.GetByLabel("Benutzername")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_start_page_and_the_login_page_have_no_serious_accessibility_violations()
    {
        await using var anonymous = await platform.AnonymousAsync();
        await anonymous.Page.GotoAsync("/");
        await Assertions.Expect(anonymous.Page.GetByLabel("Benutzername")).ToBeVisibleAsync();
        await anonymous.AssertAccessibleAsync();
        await anonymous.ScreenshotAsync("sign-in");

        await using var session = await platform.SignInAsync(ConsolePeople.Admin);
        await session.AssertAccessibleAsync();
        await session.ScreenshotAsync("start");
    }
}
