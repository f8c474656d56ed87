using System.Globalization;
using System.Text.RegularExpressions;

namespace Mep.Deploy.Tests.Prometheus;

/// <summary>
/// The alert rules Prometheus loads (./mep up, Kubernetes): valid for Prometheus, firing exactly where their unit tests say, and
/// naming only metrics the services export (a renamed metric would leave an alert that can never fire).
/// </summary>
public sealed partial class PrometheusRulesTests
{
    [Fact]
    public async Task Promtool_accepts_the_alert_rules()
    {
        var (exitCode, output) = await Promtool.RunAsync("check", "rules", AlertRules.RuleFile);

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task The_alert_rules_pass_their_promtool_unit_tests()
    {
        var (exitCode, output) = await Promtool.RunAsync("test", "rules", AlertRules.RuleTestFile);

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public void Every_metric_the_rules_use_is_in_the_metric_catalogue()
    {
        var catalogue = AlertRules.CatalogueMetrics();
        var known = AlertRules.Recorded().Concat(AlertRules.PrometheusOwnSeries).ToHashSet(StringComparer.Ordinal);

        var unknown = AlertRules.Read()
            .SelectMany(rule => AlertRules.MetricsOf(rule.Expression).Select(series => (rule.Name, Series: series)))
            .Where(use => !known.Contains(use.Series) && !catalogue.Contains(AlertRules.CatalogueNameOf(use.Series, catalogue)))
            .Select(use => $"{use.Name} uses {use.Series}")
            .ToList();

        Assert.True(unknown.Count == 0, $"Not in {AlertRules.Catalogue} (section \"Metrics\"):\n{string.Join('\n', unknown)}");
    }

    /// <summary>The catalogue check above sees only what the reader finds: it must find every rule promtool loads, each naming a series.</summary>
    [Fact]
    public async Task The_catalogue_check_reads_every_rule_promtool_finds_and_a_series_in_each()
    {
        var (exitCode, output) = await Promtool.RunAsync("check", "rules", AlertRules.RuleFile);
        Assert.True(exitCode == 0, output);
        var found = RulesFound().Match(output);
        Assert.True(found.Success, output);

        var rules = AlertRules.Read();

        Assert.Equal(int.Parse(found.Groups["count"].Value, CultureInfo.InvariantCulture), rules.Count);
        Assert.All(rules, rule => Assert.NotEmpty(AlertRules.MetricsOf(rule.Expression)));
    }

    [Fact]
    public void The_series_of_an_expression_are_its_metric_names_not_its_functions_labels_or_durations()
    {
        var series = AlertRules.MetricsOf("""
            sum by (job, job_name) ((mep_jobs_runs_total{outcome="failed"} unless mep_jobs_runs_total{outcome="failed"} offset 1h)
              or increase(mep_jobs_runs_total{outcome="failed"}[1h])) >= 2
              and on (job) max without (instance) (up{job=~"schools|assets"}) == 0
              or histogram_quantile(0.99, sum by (le) (rate(mep_outbox_relay_lag_seconds_bucket[5m]))) > 1e3
            """);

        Assert.Equal(["mep_jobs_runs_total", "mep_outbox_relay_lag_seconds_bucket", "up"], series.Order(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"SUCCESS: (?<count>\d+) rules found")]
    private static partial Regex RulesFound();
}
