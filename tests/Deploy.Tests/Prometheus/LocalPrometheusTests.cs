using System.Text.Json;

namespace Mep.Deploy.Tests.Prometheus;

/// <summary>The Prometheus ./mep up starts: every service instance scraped at /metrics under its service's name, the alert rules loaded.</summary>
public sealed class LocalPrometheusTests(LocalPrometheus prometheus) : IClassFixture<LocalPrometheus>
{
    [Fact]
    public async Task Every_instance_given_is_a_target_at_its_metrics_path_with_its_service_as_job()
    {
        // The static targets reach the scrape manager shortly after Prometheus is ready.
        List<(string Job, string Url)> active = [];
        await Eventually.AssertAsync(async () =>
        {
            using var targets = JsonDocument.Parse(await prometheus.Client.GetStringAsync("api/v1/targets"));
            active = [.. targets.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
                .Select(t => (Job: t.GetProperty("labels").GetProperty("job").GetString()!, Url: t.GetProperty("scrapeUrl").GetString()!))
                .Order()];
            return active.Count >= prometheus.Instances.Count;
        }, "Prometheus lists as many targets as instances were given");

        Assert.Equal(prometheus.Instances.Select(i => (i.Job, $"http://{i.Instance}/metrics")).Order().ToList(), active);
    }

    [Fact]
    public async Task A_scraped_metric_carries_its_service_as_job_and_its_instance()
    {
        IReadOnlyList<(string Job, string Instance, string Value)> samples = [];
        await Eventually.AssertAsync(async () =>
        {
            using var answer = JsonDocument.Parse(await prometheus.Client.GetStringAsync($"api/v1/query?query={LocalPrometheus.StandInMetric}"));
            samples = [.. answer.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(r => (
                r.GetProperty("metric").GetProperty("job").GetString()!,
                r.GetProperty("metric").GetProperty("instance").GetString()!,
                r.GetProperty("value")[1].GetString()!))];
            return samples.Count > 0;
        }, "Prometheus has scraped the stand-in (its first scrape comes within the 15 s scrape interval)", TimeSpan.FromSeconds(40));

        Assert.Equal([("schools", prometheus.StandInInstance, "42")], samples);
    }

    [Fact]
    public async Task Every_alert_of_the_rule_file_is_loaded()
    {
        using var rules = JsonDocument.Parse(await prometheus.Client.GetStringAsync("api/v1/rules?type=alert"));

        var loaded = rules.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("rules").EnumerateArray())
            .Select(r => r.GetProperty("name").GetString()!)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(AlertRules.Read().Where(r => r.Kind == "alert").Select(r => r.Name).Order(StringComparer.Ordinal), loaded);
    }
}
