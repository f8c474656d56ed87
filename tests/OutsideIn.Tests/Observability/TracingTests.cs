using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Mep.OutsideIn.Tests.Observability;

/// <summary>
/// The whole platform behind the edge, with an exporter added to each service's own tracing that keeps every span it ends, for the
/// tests that look inside it (traces, metrics).
/// </summary>
public sealed class ObservedPlatform : IAsyncLifetime
{
    public const string Collection = "observed platform";

    private WholePlatform? _platform;

    public WholePlatform Platform => _platform!;

    /// <summary>Every span the five services ended, kept by an exporter added to each one's own tracing.</summary>
    public ConcurrentQueue<Activity> Spans { get; } = new();

    public async Task InitializeAsync() => _platform = await WholePlatform.StartAsync("tracing",
        services: services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(new KeepEnded(Spans))));

    /// <summary>A client with the key of a school of its own, once Assets knows the key.</summary>
    public async Task<HttpClient> SchoolClientAsync()
    {
        var edge = Platform.Edge.BaseAddress;
        using var planner = new HttpClient { BaseAddress = edge };
        planner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(PlatformRoles.Planner, "observed-planner"));
        using var admin = new HttpClient { BaseAddress = edge };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(PlatformRoles.Admin, "observed-admin"));
        var id = await planner.RegisterSchoolAsync();
        var (_, key) = await admin.IssueKeyAsync(id);
        var school = new HttpClient { BaseAddress = edge };
        school.DefaultRequestHeaders.Add(SchoolApiKeyHandler.HeaderName, key);
        await Eventually.AssertAsync(async () => (await school.GetAsync("/api/assets/devices")).StatusCode == HttpStatusCode.OK, "Assets knows the school's key",
            TimeSpan.FromSeconds(60));
        return school;
    }

    public async Task DisposeAsync()
    {
        if (_platform is not null)
        {
            await _platform.DisposeAsync();
        }
    }

    private sealed class KeepEnded(ConcurrentQueue<Activity> spans) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => spans.Enqueue(data);
    }
}

/// <summary>
/// One trace follows a write from the edge through the service's database, its outbox and the broker into every consumer: what an
/// operator needs to answer "our devices do not show up in the staffing figures".
/// </summary>
[Collection(ObservedPlatform.Collection)]
public sealed class TracingTests(ObservedPlatform fixture)
{
    [Fact]
    public async Task A_device_registered_through_the_edge_is_one_trace_from_the_http_span_through_the_outbox_into_staffings_and_fundings_consumers()
    {
        var traceId = await RegisterDeviceAsync("TRACE-0001");

        await TraceHoldsAsync(traceId, () => HttpSpan(traceId) is not null && PublishSpan(traceId) is not null
            && ConsumerSpan(traceId, "staffing") is not null && ConsumerSpan(traceId, "funding") is not null,
            "Assets' HTTP span, the outbox publish and Staffing's and Funding's consumer spans");
    }

    [Fact]
    public async Task The_outbox_publish_of_a_request_is_a_descendant_of_the_requests_http_span()
    {
        var traceId = await RegisterDeviceAsync("TRACE-0002");

        await TraceHoldsAsync(traceId, () => HttpSpan(traceId) is not null && PublishSpan(traceId) is not null,
            "Assets' HTTP span and the outbox publish");
        Assert.True(IsDescendant(PublishSpan(traceId)!, HttpSpan(traceId)!, traceId), Describe(traceId));
    }

    [Fact]
    public async Task Database_commands_no_request_message_or_job_started_are_not_exported()
    {
        // The relay polls its outbox four times a second in every service, so while the request's own commands are exported, dozens of
        // polls have run beside them.
        var traceId = await RegisterDeviceAsync("TRACE-0003");

        await TraceHoldsAsync(traceId, () => Trace(traceId).Any(span => span.Source.Name == "Npgsql"), "the request's database commands");
        Assert.DoesNotContain(fixture.Spans, span => span.Source.Name == "Npgsql" && span.ParentSpanId == default);
    }

    /// <summary>A school's software registers one device through the edge within a span of its own; the trace id of that span.</summary>
    private async Task<ActivityTraceId> RegisterDeviceAsync(string serialNumber)
    {
        var school = await fixture.SchoolClientAsync();
        using var caller = CallerSpan();
        using var response = await school.PostAsync("/api/assets/devices/batch", Json.Body(new
        {
            devices = new[] { new { serialNumber, kind = "tablet", manufacturer = "Apple", model = "iPad 9th gen", ownership = "teacher" } },
        }));

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return caller.TraceId;
    }

    /// <summary>
    /// The caller's own span, sampled: its client's request carries it in <c>traceparent</c> (the test's HttpClient writes the header
    /// from the current span, as an instrumented caller's does), and the service continues the caller's trace.
    /// </summary>
    private static Activity CallerSpan()
    {
        var caller = new Activity("school software registers a device").SetIdFormat(ActivityIdFormat.W3C);
        caller.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        return caller.Start();
    }

    /// <summary>Waits until the trace holds <paramref name="what"/>; if it never does, says what it holds.</summary>
    private async Task TraceHoldsAsync(ActivityTraceId traceId, Func<bool> holds, string what)
    {
        try
        {
            await Eventually.AssertAsync(() => Task.FromResult(holds()), $"the trace holds {what}", TimeSpan.FromSeconds(60));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Assert.Fail($"{e.Message}. It holds ({fixture.Spans.Count} spans kept in all): {Describe(traceId)}");
        }
    }

    /// <summary>
    /// The trace's spans, each once: the five services' listeners all hear every span in this process (an ActivityListener is
    /// process-wide), so each keeps a copy.
    /// </summary>
    private Activity[] Trace(ActivityTraceId traceId) => [.. fixture.Spans.Where(span => span.TraceId == traceId).DistinctBy(span => span.SpanId)];

    private Activity? HttpSpan(ActivityTraceId traceId) => Trace(traceId).FirstOrDefault(span =>
        span.Kind == ActivityKind.Server && span.Source.Name == "Microsoft.AspNetCore"
        && span.GetTagItem("http.route") as string == "/api/assets/devices/batch");

    private Activity? PublishSpan(ActivityTraceId traceId) => Trace(traceId).FirstOrDefault(span =>
        span.Source.Name == PlatformTelemetry.SourceName && span.DisplayName == "outbox publish DevicesRegistered");

    /// <summary>MassTransit's span of a consumer of <paramref name="service"/> (its queues are named after it: "staffing-...").</summary>
    private Activity? ConsumerSpan(ActivityTraceId traceId, string service) => Trace(traceId).FirstOrDefault(span =>
        span.Source.Name == PlatformTelemetry.MassTransitName && span.Kind == ActivityKind.Consumer
        && (span.GetTagItem("messaging.destination.name") as string ?? string.Empty).StartsWith(service + "-", StringComparison.Ordinal));

    private bool IsDescendant(Activity span, Activity ancestor, ActivityTraceId traceId)
    {
        var byId = Trace(traceId).ToDictionary(s => s.SpanId);
        for (var current = span; current is not null; current = byId.GetValueOrDefault(current.ParentSpanId))
        {
            if (current.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    private string Describe(ActivityTraceId traceId) => string.Join("; ", Trace(traceId).Select(span =>
        $"{span.Source.Name} {span.Kind} '{span.DisplayName}' {string.Join(",", span.TagObjects.Where(t => t.Key.StartsWith("messaging", StringComparison.Ordinal) || t.Key == "http.route").Select(t => $"{t.Key}={t.Value}"))}"));
}

/// <summary>The test classes that share one <see cref="ObservedPlatform"/>.</summary>
[CollectionDefinition(ObservedPlatform.Collection)]
public sealed class ObservedPlatformShared : ICollectionFixture<ObservedPlatform>;
