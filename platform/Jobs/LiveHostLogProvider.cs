using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace Mep.Jobs;

/// <summary>
/// Hangfire has one log provider per process (a static), set by whichever host configured Hangfire last. A service process has
/// one host, but the tests run many hosts in one process: once the host whose logger factory Hangfire held was disposed, every
/// Hangfire component another host created afterwards threw ObjectDisposedException ("LoggerFactory"). This provider hands out
/// the loggers of the newest host still alive, so no host's end breaks another's jobs; a process has one host, so in production
/// it is simply that host's logging.
/// </summary>
internal sealed class LiveHostLogProvider : ILogProvider
{
    public static readonly LiveHostLogProvider Instance = new();

    private readonly Lock _gate = new();
    private readonly List<AspNetCoreLogProvider> _hosts = [];

    private LiveHostLogProvider()
    {
    }

    /// <summary>Adds a host's logging; it is used until the host's logger factory is disposed.</summary>
    public void Add(ILoggerFactory loggerFactory)
    {
        lock (_gate)
        {
            _hosts.Add(new AspNetCoreLogProvider(loggerFactory));
        }
    }

    public ILog GetLogger(string name)
    {
        lock (_gate)
        {
            for (var newest = _hosts.Count - 1; newest >= 0; newest--)
            {
                try
                {
                    return _hosts[newest].GetLogger(name);
                }
                catch (ObjectDisposedException)
                {
                    _hosts.RemoveAt(newest);
                }
            }
        }

        return NoLog.Instance;
    }

    /// <summary>For the moment between the last host's end and the process's: nothing left to write to.</summary>
    private sealed class NoLog : ILog
    {
        public static readonly NoLog Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
