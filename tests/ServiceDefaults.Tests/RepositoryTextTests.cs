using System.Text.RegularExpressions;

namespace Mep.ServiceDefaults.Tests;

/// <summary>
/// The repository explains itself: its code and texts point to notes inside it (docs/), not to the domain and architecture
/// notes in a folder beside a checkout, or to issues of a tracker that a reader of the repository cannot see.
/// </summary>
public sealed partial class RepositoryTextTests
{
    private static readonly string[] Texts = ["*.cs", "*.md", "*.props", "*.ts", "*.sql", "*.yml", "*.yaml", "*.sh", "mep"];

    [Fact]
    public void No_code_or_text_points_outside_the_repository()
    {
        var root = TestInfrastructure.RepositoryRoot();

        var outside = RepositoryFiles(root)
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (File: Path.GetRelativePath(root, file), Line: index + 1, Text: line)))
            .Where(line => OutsidePointer().IsMatch(line.Text))
            .Select(line => $"{line.File}:{line.Line}: {line.Text.Trim()}")
            .ToList();

        Assert.Empty(outside);
    }

    [Fact]
    public void Every_note_the_code_points_to_is_in_docs()
    {
        var root = TestInfrastructure.RepositoryRoot();

        var missing = RepositoryFiles(root)
            .SelectMany(file => DocsPointer().Matches(File.ReadAllText(file)).Select(match => match.Value))
            .Distinct(StringComparer.Ordinal)
            .Where(note => !File.Exists(Path.Combine(root, note)))
            .ToList();

        Assert.Empty(missing);
    }

    private static IEnumerable<string> RepositoryFiles(string root) =>
        Texts.SelectMany(pattern => Directory.EnumerateFiles(root, pattern, SearchOption.AllDirectories))
            .Where(file => !Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar)
                .Any(part => part is "bin" or "obj" or "node_modules" or ".mep" or ".git"));

    // Written with character classes, so that the pattern does not find itself.
    [GeneratedRegex(@"shared[/]|DOMAIN[.]md|ARCHITECTURE[.]md|[Ii]ssue[ ][0-9]")]
    private static partial Regex OutsidePointer();

    [GeneratedRegex(@"docs/[a-z-]+\.md")]
    private static partial Regex DocsPointer();
}
