using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mep.OutsideIn.Tests.Console;

/// <summary>The finance pages: the overview per school and programme, the cost table, and no page (and no figure) for other roles.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class FinancePageTests(ConsolePlatform platform)
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    [Fact]
    public async Task The_overview_shows_the_arranged_schools_money_in_the_programme_as_the_API_has_it_in_euros()
    {
        using var finance = platform.StaffClient("finance");
        await FinanceArrange.ApprovedMeasureAsync(finance, platform.SchoolId, planned: 5_000.00m, approved: 6_000.00m, drawn: 1_234.56m, spent: 1_000.00m);
        var expected = await FinanceArrange.SchoolRowAsync(finance, platform.SchoolId);
        await using var session = await platform.SignInAsync(ConsolePeople.Finance);

        await session.Page.GotoAsync($"/finanzen?programm={FinanceArrange.Programme}&schule={platform.SchoolId}");

        var row = session.Page.Locator($"table.finance-table tbody tr[data-school='{platform.SchoolNumber}']");
        await Expect(row.Locator("td")).ToHaveTextAsync(new[]
        {
            Euro(expected, "allocated"), Euro(expected, "approved"), Euro(expected, "drawn"), Euro(expected, "spent"), Euro(expected, "notYetApplied"),
            Euro(expected, "approvedNotDrawn"), "keine",
        });
        await Expect(row.Locator("td").Nth(1)).ToHaveCSSAsync("text-align", "right");
        await session.AssertAccessibleAsync();
        await session.ScreenshotAsync("finance-overview");
    }

    [Fact]
    public async Task The_overview_names_a_lapsed_deadline_in_words_beside_its_colour()
    {
        using var finance = platform.StaffClient("finance");
        await using var session = await platform.SignInAsync(ConsolePeople.Finance);

        // The DigitalPakt 2019's settlement day (31.12.2024) has passed: a school with approved money not drawn has it lapsed.
        await session.Page.GotoAsync("/finanzen?programm=digitalpakt-2019-ni&nurGefaehrdet=true");

        var report = await finance.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/funding/reports/schools?programme=digitalpakt-2019-ni&atRiskOnly=true");
        var atRisk = report.GetProperty("schools").GetArrayLength();
        await Expect(session.Page.Locator("table.finance-table").First.Locator("tbody tr")).ToHaveCountAsync(atRisk);
        if (atRisk > 0)
        {
            await Expect(session.Page.Locator("table.finance-table .state-late").First).ToHaveTextAsync(new Regex("^abgelaufen seit \\d+ Tagen$"));
        }
    }

    [Fact]
    public async Task The_cost_table_shows_the_council_papers_lines_with_the_APIs_amounts()
    {
        using var finance = platform.StaffClient("finance");
        var table = await finance.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/funding/cost-tables/drucksache-1000-2020");
        await using var session = await platform.SignInAsync(ConsolePeople.Finance);

        await session.Page.GotoAsync("/finanzen/kostentabelle?tabelle=drucksache-1000-2020");

        var lines = table.GetProperty("result").GetProperty("lines").EnumerateArray().ToList();
        await Expect(session.Page.Locator("table.cost-table tbody th")).ToHaveTextAsync(lines.Select(l => l.GetProperty("label").GetString()!).ToArray());
        await Expect(session.Page.Locator("table.cost-table tbody tr td:nth-of-type(1)"))
            .ToHaveTextAsync(lines.Select(l => Euro(l.GetProperty("amount").GetDecimal())).ToArray());
        await Expect(session.Page.GetByText(Euro(-3_983_040.00m)).First).ToBeVisibleAsync();
        await session.AssertAccessibleAsync();
        await session.ScreenshotAsync("finance-costs");
    }

    [Fact]
    public async Task A_person_without_the_finance_role_gets_Kein_Zugriff_and_no_figures_on_the_finance_pages()
    {
        await using var session = await platform.SignInAsync(ConsolePeople.NoRole);

        foreach (var path in new[] { "/finanzen", "/finanzen/kostentabelle" })
        {
            var answer = await session.Page.GotoAsync(path);

            Assert.Equal(403, answer!.Status);
            await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Kein Zugriff");
            await Expect(session.Page.Locator("table")).ToHaveCountAsync(0);
            Assert.DoesNotContain("€", await session.Page.ContentAsync(), StringComparison.Ordinal);
        }
    }

    private static string Euro(System.Text.Json.JsonElement row, string figure) => Euro(row.GetProperty(figure).GetDecimal());

    private static string Euro(decimal amount) => amount.ToString("#,##0.00", German) + "\u00a0€";
}
