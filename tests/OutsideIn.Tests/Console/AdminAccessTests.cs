using System.Net;
using Microsoft.Playwright;

namespace Mep.OutsideIn.Tests.Console;

/// <summary>The administration is the admin role's alone: anyone else gets "Kein Zugriff" (403) on each of its pages and none of its data.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AdminAccessTests(ConsolePlatform platform)
{
    public static TheoryData<string> NotAdmins => [ConsolePeople.Agent.UserName, ConsolePeople.SchoolContact.UserName];

    [Theory]
    [MemberData(nameof(NotAdmins))]
    public async Task A_person_without_the_admin_role_gets_no_access_and_no_data_on_every_administration_page(string userName)
    {
        await using var session = await platform.SignInAsync(ConsolePeople.All.Single(p => p.UserName == userName));
        var page = session.Page;

        foreach (var path in new[] { "/verwaltung", $"/verwaltung/schulschluessel?schule={platform.SchoolNumber}", "/verwaltung/personen", "/verwaltung/jobs" })
        {
            var response = await page.GotoAsync(path);

            Assert.Equal((int)HttpStatusCode.Forbidden, response!.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Kein Zugriff");
            Assert.Equal(0, await page.Locator("main table").CountAsync());
            Assert.DoesNotContain(platform.SchoolNumber, await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(NotAdmins))]
    public async Task A_person_without_the_admin_role_cannot_open_a_jobs_dashboard_session(string userName)
    {
        await using var session = await platform.SignInAsync(ConsolePeople.All.Single(p => p.UserName == userName));
        var form = session.Page.APIRequest.CreateFormData();
        form.Set("dienst", "schools");

        var response = await session.Page.APIRequest.PostAsync("/verwaltung/jobs/sitzung", new() { Form = form });

        Assert.Equal((int)HttpStatusCode.Forbidden, response.Status);
        Assert.DoesNotContain(await session.Page.Context.CookiesAsync(), c => c.Name == "mep_jobs_session");
    }
}
