using System.Collections.Concurrent;

namespace Mep.Identity.SignIn;

/// <summary>
/// Wrong passwords per user name: after <see cref="MaxFailures"/> within <see cref="Window"/> the name is refused until the
/// oldest of them is older than the window, whatever password comes, so a password cannot be guessed at speed. Kept in memory:
/// the provider runs as one process for local sign-in; a restart forgets.
/// </summary>
public sealed class SignInThrottle(TimeProvider clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    /// <summary>Bounds the memory a stream of invented user names can take; past it, expired entries go first, then the oldest.</summary>
    private const int MaxTrackedNames = 10_000;

    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long <paramref name="userName"/> is still refused, or null when it may try.</summary>
    public TimeSpan? RefusedFor(string userName)
    {
        if (!_failures.TryGetValue(Key(userName), out var failures))
        {
            return null;
        }

        lock (failures)
        {
            var now = clock.GetUtcNow();
            failures.Forget(now - Window);
            return failures.Times.Count >= MaxFailures ? failures.Times.Peek() + Window - now : null;
        }
    }

    public void Failed(string userName)
    {
        if (_failures.Count >= MaxTrackedNames)
        {
            Prune();
        }

        var failures = _failures.GetOrAdd(Key(userName), _ => new Failures());
        lock (failures)
        {
            var now = clock.GetUtcNow();
            failures.Forget(now - Window);
            failures.Times.Enqueue(now);
        }
    }

    public void Succeeded(string userName) => _failures.TryRemove(Key(userName), out _);

    private static string Key(string userName) => userName.Trim();

    private void Prune()
    {
        var cutoff = clock.GetUtcNow() - Window;
        foreach (var (name, failures) in _failures)
        {
            lock (failures)
            {
                failures.Forget(cutoff);
                if (failures.Times.Count == 0)
                {
                    _failures.TryRemove(name, out _);
                }
            }
        }

        // Still full: all of them recent. Dropping some lets their names try again early, but keeps the process alive.
        foreach (var name in _failures.Keys.Take(Math.Max(0, _failures.Count - (MaxTrackedNames / 2))))
        {
            _failures.TryRemove(name, out _);
        }
    }

    private sealed class Failures
    {
        public Queue<DateTimeOffset> Times { get; } = new();

        public void Forget(DateTimeOffset before)
        {
            while (Times.Count > 0 && Times.Peek() <= before)
            {
                Times.Dequeue();
            }
        }
    }
}
