using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Mep.ServiceDefaults.Tests;

/// <summary>The test kit's Docker check: quick and quiet where no engine answers, so the kit falls back to the private instances.</summary>
public sealed class DockerEngineTests
{
    [Fact]
    public void A_missing_socket_means_no_engine_without_asking()
    {
        var engine = DockerEngine.Find($"unix:///tmp/mep-no-docker-{Guid.NewGuid():N}.sock");

        Assert.False(engine.Answers);
        Assert.StartsWith("no Docker engine: /tmp/mep-no-docker-", engine.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_that_accepts_but_never_answers_is_given_up_on_within_the_ping_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var watch = Stopwatch.StartNew();

        var engine = DockerEngine.Find($"tcp://127.0.0.1:{port}");

        Assert.False(engine.Answers);
        Assert.Equal($"no Docker engine answers at tcp://127.0.0.1:{port} (TaskCanceledException)", engine.Reason);
        // The 2 s ping timeout is a timer, which may fire a millisecond before the stopwatch reaches 2 s (1.9993 s was seen): the lower
        // bound allows for that and still tells a give-up after the timeout from an immediate one.
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(4));
    }
}
