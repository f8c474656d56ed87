using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Mep.OutsideIn.Tests.Observability;

/// <summary>
/// Each service answers Prometheus at /metrics on its own port with the platform's own metrics beside the frameworks'; the edge, the
/// platform's public door, routes no path to it.
/// </summary>
[Collection(ObservedPlatform.Collection)]
public sealed partial class ScrapeEndpointTests(ObservedPlatform fixture)
{
    private IServiceHost Host(string name) => fixture.Platform.Hosts.Single(host => host.Name == name);

    [Fact]
    public async Task A_services_scrape_endpoint_answers_the_platforms_outbox_and_error_queue_gauges_and_its_relay_counts()
    {
        using var scraper = new HttpClient { BaseAddress = Host("Schools").Address };

        // The gauges appear once the first sample is taken (at start, then every 15 s); the relay's counts once it has published.
        await Eventually.AssertAsync(async () =>
        {
            var metrics = await scraper.GetStringAsync("/metrics");
            return Sample(metrics, "mep_outbox_pending") is not null && Sample(metrics, "mep_outbox_oldest_pending_age_seconds") is not null
                && metrics.Contains("mep_messaging_error_queue_messages{", StringComparison.Ordinal)
                && metrics.Contains("mep_outbox_relay_lag_seconds_bucket{", StringComparison.Ordinal)
                && Sample(metrics, "mep_outbox_published_total") > 0;
        }, "Schools' scrape shows the outbox gauges, the error-queue gauge per queue and the relay's published count and lag", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_services_scrape_endpoint_is_prometheus_text_with_the_frameworks_meters_beside_the_platforms()
    {
        using var scraper = new HttpClient { BaseAddress = Host("Assets").Address };

        using var response = await scraper.GetAsync("/metrics");
        var metrics = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.All(new[] { "http_server_request_duration_seconds_bucket{", "dotnet_gc_collections_total{", "# TYPE mep_outbox_pending gauge" },
            expected => Assert.Contains(expected, metrics, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Devices_registered_through_the_edge_are_counted_in_assets_registrations()
    {
        var school = await fixture.SchoolClientAsync();
        using var scraper = new HttpClient { BaseAddress = Host("Assets").Address };
        var before = Sample(await scraper.GetStringAsync("/metrics"), "mep_assets_registrations_total") ?? 0;

        using var response = await school.PostAsync("/api/assets/devices/batch", Json.Body(new
        {
            devices = new[] { "METRIC-0001", "METRIC-0002", "METRIC-0003" }.Select(serial => new
            {
                serialNumber = serial, kind = "tablet", manufacturer = "Apple", model = "iPad 9th gen", ownership = "teacher",
            }),
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.AssertAsync(async () => Sample(await scraper.GetStringAsync("/metrics"), "mep_assets_registrations_total") == before + 3,
            $"Assets counts 3 more registrations than {before}");
    }

    /// <summary>Below a service's prefix the service answers: every path there needs a caller, so an anonymous one gets 401.</summary>
    [Theory]
    [InlineData("/metrics", HttpStatusCode.NotFound)]
    [InlineData("/api/assets/metrics", HttpStatusCode.Unauthorized)]
    [InlineData("/api/assets/../../metrics", HttpStatusCode.NotFound)]
    [InlineData("/swagger/assets/../../metrics", HttpStatusCode.NotFound)]
    [InlineData("/health/assets/../../metrics", HttpStatusCode.NotFound)]
    [InlineData("/api/assets/%2e%2e/metrics", HttpStatusCode.NotFound)]
    public async Task The_edge_answers_no_scrape_at_any_path(string path, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Platform.Edge.BaseAddress!, path));

        using var response = await fixture.Platform.Edge.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(expected, response.StatusCode);
        Assert.DoesNotContain("mep_", body, StringComparison.Ordinal);
    }

    /// <summary>The value of a metric without labels in Prometheus' text format; null when the scrape has none.</summary>
    private static double? Sample(string metrics, string name)
    {
        var match = Regex.Match(metrics, $"^{Regex.Escape(name)}(?:{{[^}}]*}})? ([^ \\n]+)", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }
}
