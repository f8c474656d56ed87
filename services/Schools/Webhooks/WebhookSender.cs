using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;

namespace Mep.Schools.Webhooks;

/// <summary>
/// Sends one delivery: a signed POST of the event's body to the subscription's address. Short timeout, no redirects followed, no proxy
/// (a proxy would connect where <see cref="WebhookDestinations"/> cannot check), no cookies; of the answer only the status and the first
/// few hundred characters are kept.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private const int ExcerptBytes = 512;

    private readonly HttpClient _client;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _clock;

    public WebhookSender(IOptions<WebhookOptions> options, TimeProvider clock)
    {
        (_options, _clock) = (options.Value, clock);
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            ConnectTimeout = _options.Timeout,
            // Connections are reused for a while, but names are looked up (and checked) again now and then.
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = WebhookDestinations.Connector(_options.AllowLoopbackHttp),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public void Dispose() => _client.Dispose();

    public async Task<DeliveryOutcome> SendAsync(WebhookSubscription subscription, WebhookEvent webhookEvent, int attempt,
        CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var timestamp = now.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new StringContent(webhookEvent.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("MEP-Webhooks", "1"));
        request.Headers.Add(WebhookSignature.IdHeader, webhookEvent.Id.ToString());
        request.Headers.Add(WebhookSignature.EventHeader, webhookEvent.Type);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(subscription.SigningSecrets(now), timestamp, webhookEvent.Body));
        request.Headers.Add(WebhookSignature.AttemptHeader, attempt.ToString(CultureInfo.InvariantCulture));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var excerpt = await ExcerptAsync(response, timeout.Token);
            return new DeliveryOutcome((int)response.StatusCode, watch.Elapsed, null, excerpt);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryOutcome(null, watch.Elapsed, $"No answer within {_options.Timeout.TotalSeconds:0.#} s.", null);
        }
        catch (HttpRequestException e)
        {
            return new DeliveryOutcome(null, watch.Elapsed, Explain(e), null);
        }
    }

    /// <summary>The answer's first bytes as text without control characters, or null when it had none (or would not say them in time).</summary>
    private static async Task<string?> ExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[ExcerptBytes];
            var read = 0;
            while (read < buffer.Length && await body.ReadAsync(buffer.AsMemory(read), cancellationToken) is var count and > 0)
            {
                read += count;
            }

            var text = new string([.. Encoding.UTF8.GetString(buffer, 0, read).Select(c => char.IsControl(c) ? ' ' : c)]).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Why a request got no answer, in words for the school's delivery log (never a stack trace).</summary>
    private static string Explain(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case WebhookDestinationRefusedException refused:
                    return refused.Message;
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return "Connection refused.";
                case SocketException socket:
                    return $"Connection failed ({socket.SocketErrorCode}).";
                case System.Security.Authentication.AuthenticationException:
                    return "The TLS handshake failed (is the certificate valid for this host and trusted?).";
            }
        }

        return e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "The host name does not resolve.",
            HttpRequestError.ConnectionError => "The connection failed.",
            HttpRequestError.SecureConnectionError => "The TLS handshake failed.",
            HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse => "The receiver's answer was not valid HTTP.",
            _ => $"The request failed ({e.HttpRequestError}).",
        };
    }
}
