using System.Net.Http.Headers;
using System.Text.Json;
using Mep.ServiceDefaults.Auth;
using Mep.TestKit.Probe;

namespace Mep.ServiceDefaults.Tests;

/// <summary>
/// The error queues' depths, asked every few seconds by the metrics' sampler and by the operator view, are read over one broker
/// connection kept open (not a connection opened and closed per ask in every instance), and one the broker closed is replaced.
/// </summary>
public sealed class ErrorQueueLookoutTests : IAsyncLifetime
{
    /// <summary>The name a service's error-queue connection gives itself: its queue prefix and "operator".</summary>
    private const string LookoutName = "probe-operator";

    private PostgresDatabase _probeDb = null!;
    private RabbitMqVirtualHost _broker = null!;
    private ProbeService _probe = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _probeDb = await PostgresDatabase.CreateAsync("lookout-probe", create: false);
        _broker = await RabbitMqVirtualHost.CreateAsync("lookout");
        _probe = await ProbeService.StartAsync(_probeDb, _broker);
        _admin = new HttpClient { BaseAddress = _probe.BaseAddress };
        _admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(PlatformRoles.Admin));
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _probe.DisposeAsync();
        await _broker.DisposeAsync();
        await _probeDb.DisposeAsync();
    }

    /// <summary>The operator view's error-queue depths; each ask reads them from the broker.</summary>
    private async Task<List<uint?>> ErrorQueueDepthsAsync()
    {
        var state = await (await _admin.GetAsync("/api/probe/admin/operations")).ReadJsonAsync();
        return [.. state.GetProperty("errorQueues").EnumerateArray()
            .Select(q => q.GetProperty("errorMessages") is { ValueKind: JsonValueKind.Number } depth ? depth.GetUInt32() : (uint?)null)];
    }

    /// <summary>The one error-queue connection open on the broker, once the management API lists exactly one.</summary>
    private async Task<string> TheLookoutConnectionAsync()
    {
        IReadOnlyList<string> open = [];
        await Eventually.AssertAsync(async () => (open = await _broker.ConnectionsNamedAsync(LookoutName)).Count == 1,
            $"exactly one {LookoutName} connection is open");
        return open[0];
    }

    [Fact]
    public async Task Asking_for_the_error_queue_depths_again_and_again_keeps_one_connection_open()
    {
        Assert.All(await ErrorQueueDepthsAsync(), depth => Assert.NotNull(depth));
        var first = await TheLookoutConnectionAsync();

        for (var ask = 0; ask < 5; ask++)
        {
            Assert.All(await ErrorQueueDepthsAsync(), depth => Assert.NotNull(depth));
        }

        var open = await _broker.ConnectionsNamedAsync(LookoutName);
        Assert.Equal([first], open);
    }

    [Fact]
    public async Task A_connection_the_broker_closed_is_replaced_and_the_depths_are_known_again()
    {
        Assert.All(await ErrorQueueDepthsAsync(), depth => Assert.NotNull(depth));
        var closed = await TheLookoutConnectionAsync();

        await _broker.CloseConnectionAsync(closed);

        await Eventually.AssertAsync(async () => (await ErrorQueueDepthsAsync()).All(depth => depth is not null)
            && await _broker.ConnectionsNamedAsync(LookoutName) is [var replacement] && replacement != closed,
            "the depths are read over a new connection");
    }
}
