using System.Text.RegularExpressions;

namespace Mep.Deploy.Tests.Prometheus;

/// <summary>
/// What the rule file (deploy/prometheus/alerts.yml) and the metric catalogue (docs/observability.md) name, read as text: the
/// rule file writes each expression on its <c>expr:</c> line or as a folded block below it, which is all this reader knows.
/// PrometheusRulesTests checks that it finds as many rules as promtool does.
/// </summary>
public static partial class AlertRules
{
    public const string RuleFile = "deploy/prometheus/alerts.yml";
    public const string RuleTestFile = "deploy/prometheus/alerts.test.yml";
    public const string Catalogue = "docs/observability.md";

    /// <summary>Series Prometheus makes itself for every target, not a service's.</summary>
    public static readonly IReadOnlySet<string> PrometheusOwnSeries = new HashSet<string>(StringComparer.Ordinal) { "up" };

    /// <param name="Kind">alert or record.</param>
    public sealed record Rule(string Kind, string Name, string Expression);

    public static IReadOnlyList<Rule> Read()
    {
        var lines = File.ReadAllLines(Path.Combine(TestInfrastructure.RepositoryRoot(), RuleFile));
        var rules = new List<Rule>();
        (string Kind, string Name)? rule = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var named = NameLine().Match(lines[i]);
            if (named.Success)
            {
                rule = (named.Groups["kind"].Value, named.Groups["name"].Value);
                continue;
            }

            var expr = ExprLine().Match(lines[i]);
            if (!expr.Success)
            {
                continue;
            }

            var value = expr.Groups["value"].Value.Trim();
            if (value.StartsWith('>') || value.StartsWith('|'))
            {
                var indent = expr.Groups["indent"].Length;
                var block = new List<string>();
                while (i + 1 < lines.Length && (lines[i + 1].Trim().Length == 0 || Indent(lines[i + 1]) > indent))
                {
                    block.Add(lines[++i].Trim());
                }

                value = string.Join(' ', block);
            }

            var (kind, name) = rule ?? throw new InvalidOperationException($"{RuleFile}: an expr before any alert or record");
            rules.Add(new Rule(kind, name, value));
            rule = null;
        }

        return rules;
    }

    /// <summary>The series names an expression selects: what is left once strings, label matchers, ranges, grouping labels,
    /// functions and keywords are taken out.</summary>
    public static IReadOnlySet<string> MetricsOf(string expression)
    {
        var text = StringLiteral().Replace(expression, " ");
        text = Braces().Replace(text, " ");
        text = Brackets().Replace(text, " ");
        text = Grouping().Replace(text, " ");
        return Identifier().Matches(text)
            .Where(m => !Keywords.Contains(m.Value))
            .Select(m => m.Value)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The series a rule file defines itself (<c>record:</c>).</summary>
    public static IReadOnlySet<string> Recorded() =>
        File.ReadAllLines(Path.Combine(TestInfrastructure.RepositoryRoot(), RuleFile))
            .Select(line => NameLine().Match(line))
            .Where(m => m.Success && m.Groups["kind"].Value == "record")
            .Select(m => m.Groups["name"].Value)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Every name in backticks in the catalogue's "Metrics" section (its table and the meters named above it).</summary>
    public static IReadOnlySet<string> CatalogueMetrics()
    {
        var text = File.ReadAllText(Path.Combine(TestInfrastructure.RepositoryRoot(), Catalogue));
        var start = text.IndexOf("\n## Metrics\n", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"{Catalogue} has no section \"## Metrics\".");
        }

        var end = text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? text[start..] : text[start..end];
        return BacktickedName().Matches(section).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>A histogram is catalogued by its name; Prometheus stores it as name_bucket, name_sum and name_count.</summary>
    public static string CatalogueNameOf(string series, IReadOnlySet<string> catalogue) =>
        HistogramSuffix().Match(series) is { Success: true } m && catalogue.Contains(m.Groups["base"].Value) ? m.Groups["base"].Value : series;

    private static int Indent(string line) => line.Length - line.TrimStart().Length;

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "unless", "offset", "bool", "by", "without", "on", "ignoring", "group_left", "group_right", "Inf", "NaN", "inf", "nan",
    };

    [GeneratedRegex(@"^\s*-\s*(?<kind>alert|record):\s*(?<name>\S+)\s*$")]
    private static partial Regex NameLine();

    [GeneratedRegex(@"^(?<indent>\s*)expr:(?<value>.*)$")]
    private static partial Regex ExprLine();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    // Not after a digit or dot (the unit of "1h", an exponent); not before "(" (a function or an aggregation).
    [GeneratedRegex(@"(?<![\w.:])[A-Za-z_:][A-Za-z0-9_:]*(?!\s*\()(?![A-Za-z0-9_:])")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"`(?<name>[a-z_:][a-z0-9_:]*)`")]
    private static partial Regex BacktickedName();

    [GeneratedRegex(@"^(?<base>.+)_(?:bucket|sum|count)$")]
    private static partial Regex HistogramSuffix();
}
