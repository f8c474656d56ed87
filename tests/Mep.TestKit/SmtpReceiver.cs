using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Mep.TestKit;

/// <summary>A mail as the SMTP server received it: the envelope's recipients and the parsed message.</summary>
public sealed record ReceivedMail(IReadOnlyList<string> Recipients, MimeMessage Message)
{
    public string Subject => Message.Subject ?? string.Empty;

    public string Body => Message.TextBody ?? string.Empty;

    public string MessageId => Message.MessageId ?? string.Empty;
}

/// <summary>
/// A real SMTP server (SmtpServer) on a free loopback port, keeping every mail it accepts, for tests of what a service mails. It can
/// be stopped and started again on the same port: a mail server that is away, then back. It can refuse a recipient for good
/// (<see cref="RefuseRecipient"/>) and, for a while, the sender (<see cref="RefusesSender"/>).
/// </summary>
public sealed class SmtpReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedMail> _received = new();
    private readonly ConcurrentDictionary<string, bool> _refusedRecipients = new(StringComparer.OrdinalIgnoreCase);
    private CancellationTokenSource? _running;
    private Task? _serving;

    private SmtpReceiver(int port) => Port = port;

    public int Port { get; }

    /// <summary>Every mail received so far, in the order they arrived.</summary>
    public IReadOnlyList<ReceivedMail> Mails => [.. _received];

    /// <summary>The settings that point a service's mail at this server (plain SMTP on loopback).</summary>
    public IReadOnlyDictionary<string, string> ServiceSettings => new Dictionary<string, string>
    {
        ["Mail:Host"] = IPAddress.Loopback.ToString(),
        ["Mail:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mail:Tls"] = "None",
        ["Mail:FromAddress"] = "mep-plattform@stadt.example",
        // Attempts a second or two apart, so a mail goes out within seconds of the server's return.
        ["Mail:MaxRetryInterval"] = "00:00:02",
    };

    public static async Task<SmtpReceiver> StartAsync()
    {
        var receiver = new SmtpReceiver(FreePort());
        await receiver.StartAgainAsync();
        return receiver;
    }

    /// <summary>
    /// While true, MAIL FROM is refused (a 5xx reply), as a server refuses a client that did not sign in or may not send as its From
    /// address: the platform's configuration is wrong, not the mail.
    /// </summary>
    public bool RefusesSender { get; set; }

    /// <summary>From now on, RCPT TO naming <paramref name="address"/> is answered 550 (mailbox unavailable): refused for good.</summary>
    public void RefuseRecipient(string address) => _refusedRecipients[address] = true;

    /// <summary>The mails whose envelope names <paramref name="address"/>.</summary>
    public IReadOnlyList<ReceivedMail> To(string address) =>
        [.. Mails.Where(m => m.Recipients.Contains(address, StringComparer.OrdinalIgnoreCase))];

    /// <summary>Listens again on the same port after <see cref="StopAsync"/>.</summary>
    public async Task StartAgainAsync()
    {
        if (_running is not null)
        {
            return;
        }

        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(_received));
        services.Add(new Refusals(this));
        _running = new CancellationTokenSource();
        _serving = new SmtpServer.SmtpServer(options, services).StartAsync(_running.Token);
        // Started once a connection is greeted (the listener binds in the background).
        await Eventually.AssertAsync(async () =>
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, $"the SMTP server listens on {Port}");
    }

    /// <summary>Stops listening: connections are refused until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_running is null)
        {
            return;
        }

        await _running.CancelAsync();
        try
        {
            await _serving!;
        }
        catch (OperationCanceledException)
        {
            // The server's way of saying it stopped.
        }

        _running.Dispose();
        (_running, _serving) = (null, null);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private sealed class Refusals(SmtpReceiver receiver) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) =>
            Task.FromResult(!receiver.RefusesSender);

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(!receiver._refusedRecipients.ContainsKey($"{to.User}@{to.Host}"));
    }

    private sealed class Store(ConcurrentQueue<ReceivedMail> received) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            received.Enqueue(new ReceivedMail([.. transaction.To.Select(to => $"{to.User}@{to.Host}")], message));
            return SmtpResponse.Ok;
        }
    }
}
