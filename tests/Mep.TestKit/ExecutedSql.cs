using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mep.TestKit;

/// <summary>
/// The SQL a hosted service sent to PostgreSQL (EF Core's "executed command" log), so that a test can assert what the
/// database was asked, e.g. that a feed's filter ran in SQL and not in memory. Keeps the latest commands only, each with its
/// number in the order they were logged: a test marks where it starts and reads what came after, however many older commands
/// were dropped meanwhile (counting the kept ones would read nothing once the log is full).
/// </summary>
public sealed class ExecutedSql : ILoggerProvider
{
    private const int Kept = 500;
    private readonly ConcurrentQueue<(long Number, string Sql)> _commands = new();
    private long _logged;

    /// <summary>The point in the log a test starts from.</summary>
    public long Mark() => Interlocked.Read(ref _logged);

    /// <summary>The commands logged after <paramref name="mark"/> (of the latest kept).</summary>
    public IReadOnlyList<string> Since(long mark) => [.. _commands.Where(c => c.Number > mark).Select(c => c.Sql)];

    public ILogger CreateLogger(string categoryName) =>
        categoryName == DbLoggerCategory.Database.Command.Name ? new Recorder(this) : NullLogger.Instance;

    public void Dispose()
    {
    }

    private void Add(string command)
    {
        _commands.Enqueue((Interlocked.Increment(ref _logged), command));
        while (_commands.Count > Kept && _commands.TryDequeue(out _))
        {
        }
    }

    private sealed class Recorder(ExecutedSql log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values && values.FirstOrDefault(v => v.Key == "commandText").Value is string sql)
            {
                log.Add(sql);
            }
        }
    }
}
