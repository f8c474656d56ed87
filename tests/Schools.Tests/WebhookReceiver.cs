using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Mep.Schools.Tests;

/// <summary>
/// A school's software as a webhook receiver: a real HTTP server (Kestrel) on a free loopback port that keeps every request it gets and
/// answers with the status a test sets. It can go down (the port refuses connections) and come back on the same port.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private WebApplication? _app;
    private volatile int _answer = 200;
    private int _inFlight;
    private int _mostAtOnce;

    public int Port { get; private set; }

    /// <summary>The address to subscribe (http to loopback: the hosts under test allow it, <c>Webhooks:AllowLoopbackHttp</c>).</summary>
    public string Url => $"http://127.0.0.1:{Port}/mep/webhooks";

    /// <summary>The status the receiver answers from now on (200 by default).</summary>
    public HttpStatusCode Answer { set => _answer = (int)value; }

    /// <summary>How long the receiver takes before it answers at all (none by default).</summary>
    public TimeSpan AnswerAfter { get; set; }

    /// <summary>
    /// How long the receiver takes to send its answer's body once its status and headers are out: it sends a byte, waits, sends the
    /// next, ... (none by default: the body at once).
    /// </summary>
    public TimeSpan BodySentOver { get; set; }

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    /// <summary>The most requests the receiver was answering at one moment.</summary>
    public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        await receiver.ListenAsync(0);
        return receiver;
    }

    /// <summary>Stops listening: deliveries find the port closed.</summary>
    public async Task GoDownAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Listens again on the same port.</summary>
    public Task ComeBackAsync() => ListenAsync(Port);

    private async Task ListenAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            var atOnce = Interlocked.Increment(ref _inFlight);
            try
            {
                InterlockedMax(ref _mostAtOnce, atOnce);
                return await AnswerAsync(context);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Port = new Uri(address).Port;
        _app = app;
    }

    private static void InterlockedMax(ref int most, int value)
    {
        for (var seen = Volatile.Read(ref most); value > seen; seen = Volatile.Read(ref most))
        {
            if (Interlocked.CompareExchange(ref most, value, seen) == seen)
            {
                return;
            }
        }
    }

    private async Task<IResult> AnswerAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers;
        _received.Enqueue(new ReceivedWebhook(context.Request.Path, headers["Mep-Webhook-Id"].ToString(), headers["Mep-Webhook-Event"].ToString(),
            headers["Mep-Webhook-Timestamp"].ToString(), headers["Mep-Webhook-Signature"].ToString(), headers["Mep-Webhook-Attempt"].ToString(),
            headers.ContentType.ToString(), body));
        await Task.Delay(AnswerAfter, context.RequestAborted);
        var text = _answer == 200 ? "thanks" : "receiver unwell";
        if (BodySentOver <= TimeSpan.Zero)
        {
            return Results.Text(text, statusCode: _answer);
        }

        context.Response.StatusCode = _answer;
        context.Response.ContentType = "text/plain";
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        foreach (var letter in text)
        {
            await context.Response.WriteAsync(letter.ToString(), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(BodySentOver / text.Length, context.RequestAborted);
        }

        return Results.Empty;
    }

    public ValueTask DisposeAsync() => new(GoDownAsync());
}

/// <summary>One request a <see cref="WebhookReceiver"/> got: the webhook headers and the body as sent.</summary>
public sealed record ReceivedWebhook(string Path, string Id, string Event, string Timestamp, string Signature, string Attempt, string ContentType,
    string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public JsonElement Data => Json.GetProperty("data");

    /// <summary>
    /// What a receiver checks, written here as the README tells an integrator (not with the service's code): HMAC-SHA256 with the secret's
    /// UTF-8 bytes over "{id}.{timestamp}.{body}" (the Mep-Webhook-Id and -Timestamp headers), hex, compared with each v1= of the
    /// signature header.
    /// </summary>
    public bool IsSignedWith(string secret) => IsSignedWith(secret, Id);

    /// <summary>Whether the signature verifies for a delivery that carried <paramref name="id"/> as its Mep-Webhook-Id.</summary>
    public bool IsSignedWith(string secret, string id)
    {
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{id}.{Timestamp}.{Body}")));
        return Signatures.Any(signature => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature), Encoding.ASCII.GetBytes(expected)));
    }

    /// <summary>The hex of each v1= in the signature header.</summary>
    public IReadOnlyList<string> Signatures =>
        [.. Signature.Split(',', StringSplitOptions.TrimEntries).Where(part => part.StartsWith("v1=", StringComparison.Ordinal)).Select(part => part[3..])];

    /// <summary>How old the delivery was when it arrived (the replay window a receiver enforces).</summary>
    public TimeSpan Age(DateTimeOffset now) => now - DateTimeOffset.FromUnixTimeSeconds(long.Parse(Timestamp, CultureInfo.InvariantCulture));
}
