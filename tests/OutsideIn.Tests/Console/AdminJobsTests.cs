using System.Net;
using Microsoft.Playwright;

namespace Mep.OutsideIn.Tests.Console;

/// <summary>
/// The jobs page opens a service's Hangfire dashboard: the console asks the service for a dashboard session with the admin's token and
/// hands its cookie (HttpOnly, SameSite=Strict, the dashboard's path only) to the browser; the token itself never leaves the console.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class AdminJobsTests(ConsolePlatform platform)
{
    [Fact]
    public async Task An_admin_opens_a_services_jobs_dashboard_from_the_console()
    {
        await using var session = await platform.SignInAsync(ConsolePeople.Admin);
        var page = session.Page;
        await page.GotoAsync("/verwaltung/jobs");
        await session.AssertAccessibleAsync();
        await session.ScreenshotAsync("admin-jobs");

        await page.Locator("tr[data-service='support']").GetByRole(AriaRole.Button, new() { Name = "Dashboard öffnen" }).ClickAsync();

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith("/api/support/jobs", StringComparison.Ordinal));
        await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("jobs"));
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "mep_jobs_session");
        Assert.Equal("/api/support/jobs", cookie.Path);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        var recurring = await page.GotoAsync("/api/support/jobs/recurring");
        Assert.Equal((int)HttpStatusCode.OK, recurring!.Status);
        await Assertions.Expect(page.GetByText("sla-escalation").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_session_request_without_the_forms_antiforgery_token_is_refused_and_opens_nothing()
    {
        await using var session = await platform.SignInAsync(ConsolePeople.Admin);

        var response = await session.Page.APIRequest.PostAsync("/verwaltung/jobs/sitzung", new()
        {
            Form = FormWithService(session.Page, "schools"),
            MaxRedirects = 0,
        });

        Assert.Equal((int)HttpStatusCode.BadRequest, response.Status);
        Assert.DoesNotContain(await session.Page.Context.CookiesAsync(), c => c.Name == "mep_jobs_session");
    }

    private static IFormData FormWithService(IPage page, string service)
    {
        var form = page.APIRequest.CreateFormData();
        form.Set("dienst", service);
        return form;
    }
}
