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

    /// <summary>How long the start of an answer is waited for once its status is here; a receiver's slow body costs no more.</summary>
    private static readonly TimeSpan ExcerptBudget = TimeSpan.FromSeconds(1);

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

    /// <param name="signingSecrets">The subscription's secrets in plain text (<see cref="WebhookSubscription.SigningSecrets"/>).</param>
    public async Task<DeliveryOutcome> SendAsync(WebhookSubscription subscription, IReadOnlyList<string> signingSecrets, WebhookEvent webhookEvent,
        int attempt, CancellationToken cancellationToken)
    {
        var timestamp = _clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new StringContent(webhookEvent.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("MEP-Webhooks", "1"));
        request.Headers.Add(WebhookSignature.IdHeader, webhookEvent.Id.ToString());
        request.Headers.Add(WebhookSignature.EventHeader, webhookEvent.Type);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(signingSecrets, webhookEvent.Id, timestamp, webhookEvent.Body));
        request.Headers.Add(WebhookSignature.AttemptHeader, attempt.ToString(CultureInfo.InvariantCulture));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        var watch = Stopwatch.StartNew();
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryOutcome(null, watch.Elapsed, $"No answer within {_options.Timeout.TotalSeconds:0.#} s.", null);
        }
        catch (HttpRequestException e)
        {
            return new DeliveryOutcome(null, watch.Elapsed, Explain(e), null);
        }

        // The status decides: once it is here the receiver has the delivery, whatever its body does next. Sending it again because the
        // body came slowly would repeat a delivery the receiver took.
        using (response)
        {
            var answeredAfter = watch.Elapsed;
            return new DeliveryOutcome((int)response.StatusCode, answeredAfter, null, await ExcerptAsync(response));
        }
    }

    /// <summary>
    /// The answer's first bytes as text without control characters, or null when it had none or did not send them within
    /// <see cref="ExcerptBudget"/> (its own budget: neither the delivery's timeout nor the host's stopping cuts the outcome short).
    /// </summary>
    private static async Task<string?> ExcerptAsync(HttpResponseMessage response)
    {
        using var budget = new CancellationTokenSource(ExcerptBudget);
        var buffer = new byte[ExcerptBytes];
        var read = 0;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(budget.Token);
            while (read < buffer.Length && await body.ReadAsync(buffer.AsMemory(read), budget.Token) is var count and > 0)
            {
                read += count;
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            // What came before the receiver stopped or slowed down is still worth showing.
        }

        var text = new string([.. Encoding.UTF8.GetString(buffer, 0, read).Select(c => char.IsControl(c) ? ' ' : c)]).Trim();
        return text.Length == 0 ? null : text;
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
