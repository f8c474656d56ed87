using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Mep.OutsideIn.Tests.Console;

/// <summary>One person's browser (its own cookies) on the console.</summary>
public sealed class ConsoleSession(IBrowserContext context, IPage page, ConsolePlatform platform) : IAsyncDisposable
{
    private static readonly string[] Blocking = ["serious", "critical"];

    public IPage Page { get; } = page;

    public ConsolePlatform Platform { get; } = platform;

    /// <summary>axe-core on the page as it is now (WCAG 2.0/2.1 A and AA rules); fails on any serious or critical violation, naming each.</summary>
    public async Task AssertAccessibleAsync()
    {
        var results = await Page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
        });
        var blocking = results.Violations.Where(violation => Blocking.Contains(violation.Impact, StringComparer.Ordinal)).ToList();
        Assert.True(blocking.Count == 0, $"axe-core on {Page.Url}: " + string.Join("; ", blocking.Select(violation =>
            $"{violation.Id} ({violation.Impact}): {violation.Help} at {string.Join(", ", violation.Nodes.Select(node => string.Join(' ', node.Target)))}")));
    }

    /// <summary>The whole page as a PNG under .mep/screenshots/ in the repository (for the people who review the console).</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var directory = Path.Combine(TestInfrastructure.RepositoryRoot(), ".mep", "screenshots");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}
