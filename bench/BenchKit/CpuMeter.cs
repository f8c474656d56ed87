using System.Globalization;
using Npgsql;

namespace Mep.BenchKit;

/// <summary>
/// CPU time of one phase: the clients (the bench's own HTTP clients, or pgbench, a child process of the bench), the service
/// process (none in pgbench's phase) and the database's backends.
/// </summary>
public sealed record CpuUse(TimeSpan Clients, TimeSpan? Service, TimeSpan Database);

/// <summary>
/// Where a phase's CPU goes, read from Linux's /proc: clients, service and PostgreSQL share the machine (and another user's
/// builds may too), so CPU per ticket or per batch tells what one costs each of them better than the wall clock alone. PostgreSQL
/// backends come and go with connections (pgbench opens its own), so the database's backends are sampled while the phase runs.
/// </summary>
public sealed class CpuMeter : IAsyncDisposable
{
    /// <summary>USER_HZ, the unit of /proc/[pid]/stat's times: 100 on every Linux the bench runs on.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>A backend's time after its last sample is lost when it ends (pgbench's end with the run): sampled often.</summary>
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(25);

    private readonly int? _servicePid;
    private readonly TimeSpan _clientsAtStart = ClientsCpu();
    private readonly TimeSpan? _serviceAtStart;
    private readonly Dictionary<int, (TimeSpan First, TimeSpan Last)> _backends = [];
    private readonly NpgsqlConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private Task? _sampling;

    private CpuMeter(NpgsqlConnection connection, int? servicePid)
    {
        (_connection, _servicePid) = (connection, servicePid);
        _serviceAtStart = servicePid is { } pid ? ProcessCpu(pid) : null;
    }

    /// <summary>Whether /proc is there to read; elsewhere the bench reports no CPU figures.</summary>
    public static bool Available => File.Exists("/proc/self/stat");

    /// <param name="connectionString">The phase's database: its backends are the ones measured (all but the meter's own).</param>
    /// <param name="servicePid">The service process, if one serves the phase.</param>
    public static async Task<CpuMeter> StartAsync(string connectionString, int? servicePid)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var meter = new CpuMeter(connection, servicePid);
        // Backends already connected (the service's pool) count from now; the ones that connect later from their start.
        await meter.SampleAsync(firstSample: true);
        meter._sampling = meter.SampleUntilStoppedAsync();
        return meter;
    }

    public async Task<CpuUse> StopAsync()
    {
        await _stop.CancelAsync();
        await _sampling!;
        await SampleAsync(firstSample: false);
        var database = _backends.Values.Aggregate(TimeSpan.Zero, (sum, backend) => sum + (backend.Last - backend.First));
        var service = _servicePid is { } pid && _serviceAtStart is { } start && ProcessCpu(pid) is { } now ? now - start : (TimeSpan?)null;
        return new CpuUse(ClientsCpu() - _clientsAtStart, service, database);
    }

    /// <summary>The service started by the bench: the bench's child process running the service's dll.</summary>
    public static int? FindChildProcess(string assemblyName)
    {
        if (!Available)
        {
            return null;
        }

        var own = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        foreach (var directory in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                if (StatFields(pid)?[1] == own && File.ReadAllText(Path.Combine(directory, "cmdline")).Contains(assemblyName, StringComparison.Ordinal))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // The process ended while being looked at: not the service.
            }
        }

        return null;
    }

    /// <summary>
    /// CPU so far of each of a process's threads whose name starts with <paramref name="threadName"/> (Linux shows the first
    /// 15 characters), by thread id; null if the process or /proc is not there.
    /// </summary>
    public static Dictionary<int, TimeSpan>? ThreadCpu(int pid, string threadName)
    {
        var tasks = $"/proc/{pid}/task";
        if (!Directory.Exists(tasks))
        {
            return null;
        }

        var threads = new Dictionary<int, TimeSpan>();
        foreach (var task in Directory.GetDirectories(tasks))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                if (name.StartsWith(threadName, StringComparison.Ordinal) && int.TryParse(Path.GetFileName(task), out var tid))
                {
                    threads[tid] = Ticks(stat[(stat.LastIndexOf(')') + 2)..].Split(' '), 11, 12);
                }
            }
            catch (IOException)
            {
                // The thread ended while being looked at.
            }
        }

        return threads;
    }

    /// <summary>
    /// CPU the threads used between two <see cref="ThreadCpu"/> readings: a thread that started in between counts from zero
    /// (the runtime ends its JIT thread when idle and starts a new one for new work); one that ended counts no more.
    /// </summary>
    public static TimeSpan ThreadCpuBetween(Dictionary<int, TimeSpan> before, Dictionary<int, TimeSpan> after) =>
        after.Aggregate(TimeSpan.Zero, (sum, thread) => sum + thread.Value - before.GetValueOrDefault(thread.Key));

    private async Task SampleUntilStoppedAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(SampleInterval, _stop.Token);
                await SampleAsync(firstSample: false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: the last sample is taken by StopAsync.
        }
    }

    private async Task SampleAsync(bool firstSample)
    {
        await using var command = new NpgsqlCommand(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", _connection);
        await using var reader = await command.ExecuteReaderAsync();
        var pids = new List<int>();
        while (await reader.ReadAsync())
        {
            pids.Add(reader.GetInt32(0));
        }

        foreach (var pid in pids)
        {
            if (ProcessCpu(pid) is not { } cpu)
            {
                continue;
            }

            _backends[pid] = _backends.TryGetValue(pid, out var known) ? (known.First, cpu) : (firstSample ? cpu : TimeSpan.Zero, cpu);
        }
    }

    /// <summary>
    /// The bench process's own time and that of its children that have ended (cutime, cstime): pgbench is one when its run is
    /// over. (So is a service process the bench stopped, which is why no phase spans a service's end.)
    /// </summary>
    private static TimeSpan ClientsCpu() => StatFields(Environment.ProcessId) is { } fields ? Ticks(fields, 11, 12, 13, 14) : TimeSpan.Zero;

    /// <summary>User and system time of a process so far (fields 14 and 15 of /proc/[pid]/stat); null once it has ended.</summary>
    private static TimeSpan? ProcessCpu(int pid) => StatFields(pid) is { } fields ? Ticks(fields, 11, 12) : null;

    private static TimeSpan Ticks(string[] fields, params int[] indexes) =>
        TimeSpan.FromSeconds(indexes.Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture)) / TicksPerSecond);

    /// <summary>The fields of /proc/[pid]/stat after the command name (which may contain spaces): [0] is field 3, the state.</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_sampling is not null)
        {
            await _sampling;
        }

        _stop.Dispose();
        await _connection.DisposeAsync();
    }
}
