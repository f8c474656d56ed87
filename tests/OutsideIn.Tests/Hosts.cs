extern alias assets;
extern alias funding;
extern alias schools;
extern alias staffing;
extern alias support;

using System.Collections.Concurrent;
using System.Diagnostics;

namespace Mep.OutsideIn.Tests;

/// <summary>One service of the platform: its name, where it listens, and what it logged as an error.</summary>
public interface IServiceHost : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Where its Kestrel listens (the edge's upstream).</summary>
    Uri Address { get; }

    ServerErrors Errors { get; }

    void Start();
}

/// <summary>
/// A service hosted in this process on Kestrel (a real socket, the server production runs, behind the real edge), on a database of
/// its own and on the broker virtual host all five share, so that what one publishes (a school, its key, a device) reaches the others
/// as in production. Rate limits are lifted: the suite sends thousands of requests a minute with one token and one key, and a 429
/// would stop an attack before it reaches the code it aims at.
/// </summary>
public sealed class ServiceHost<TProgram> : ServiceFactory<TProgram>, IServiceHost where TProgram : class
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    /// <param name="settings">Settings beyond the test kit's (e.g. the identity provider the services trust).</param>
    /// <param name="services">Services beyond the service's own (e.g. an exporter that keeps its spans for the test).</param>
    public ServiceHost(string name, PostgresDatabase database, RabbitMqVirtualHost broker, IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
        : base(database, broker)
    {
        Name = name;
        _settings = settings ?? new Dictionary<string, string?>();
        _services = services;
        UseKestrel(0);
    }

    public string Name { get; }

    public ServerErrors Errors { get; } = new();

    public Uri Address { get; private set; } = null!;

    public void Start()
    {
        StartServer();
        Address = KestrelAddress.Of(Services);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:StaffRequestsPerMinute", "10000000");
        builder.UseSetting("RateLimits:SchoolKeyRequestsPerMinute", "10000000");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Errors));
        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await ((IAsyncLifetime)this).DisposeAsync();
}

/// <summary>The five services, each started as <see cref="ServiceHost{TProgram}"/>.</summary>
public static class PlatformServices
{
    public static IReadOnlyList<IServiceHost> Create(IReadOnlyDictionary<string, PostgresDatabase> databases, RabbitMqVirtualHost broker,
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) =>
    [
        new ServiceHost<schools::Program>("Schools", databases["Schools"], broker, settings, services),
        new ServiceHost<assets::Program>("Assets", databases["Assets"], broker, settings, services),
        new ServiceHost<support::Program>("Support", databases["Support"], broker, settings, services),
        new ServiceHost<staffing::Program>("Staffing", databases["Staffing"], broker, settings, services),
        new ServiceHost<funding::Program>("Funding", databases["Funding"], broker, settings, services),
    ];

    public static readonly IReadOnlyList<string> Names = ["Schools", "Assets", "Support", "Staffing", "Funding"];
}

/// <summary>
/// What a service logged at error level, by the trace id its problem documents carry: a failure names the exception behind a 500
/// instead of leaving the next engineer to reproduce it.
/// </summary>
public sealed class ServerErrors : ILoggerProvider
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _byTrace = new(StringComparer.Ordinal);

    public IReadOnlyList<string> For(string? traceId) =>
        traceId is not null && _byTrace.TryGetValue(traceId, out var entries) ? [.. entries] : [];

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Recorder(ServerErrors errors, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel < LogLevel.Error || Activity.Current?.TraceId.ToString() is not { } trace)
            {
                return;
            }

            var text = $"{category}: {formatter(state, exception)}";
            if (exception is not null)
            {
                text += $"\n      {exception.GetType().FullName}: {exception.Message}\n      {Frames(exception)}";
            }

            errors._byTrace.GetOrAdd(trace, _ => new ConcurrentQueue<string>()).Enqueue(text);
        }

        /// <summary>The first frames of our own code (and the innermost exception's type), enough to find the line to fix.</summary>
        private static string Frames(Exception exception)
        {
            var innermost = exception;
            while (innermost.InnerException is not null)
            {
                innermost = innermost.InnerException;
            }

            var frames = (exception.StackTrace ?? string.Empty).Split('\n', StringSplitOptions.TrimEntries)
                .Where(line => line.Contains("Mep.", StringComparison.Ordinal)).Take(4);
            var inner = ReferenceEquals(innermost, exception) ? string.Empty : $"inner {innermost.GetType().FullName}: {innermost.Message}\n      ";
            return inner + string.Join("\n      ", frames);
        }
    }
}
