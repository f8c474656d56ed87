using System.Diagnostics;
using System.Globalization;

namespace Mep.Bench.Soak;

/// <summary>
/// The platform ./mep up --replicas N started in this work tree: its edge, its PostgreSQL, its instances' pid files under
/// .mep/run, and ./mep itself to start a killed instance again exactly as ./mep up started it.
/// </summary>
public sealed class SoakPlatform
{
    public static readonly string[] Services = ["schools", "assets", "support", "staffing", "funding"];

    private SoakPlatform(string root, Uri edge, string postgres, int replicas)
    {
        Root = root;
        Edge = edge;
        Postgres = postgres;
        Replicas = replicas;
    }

    public string Root { get; }
    public Uri Edge { get; }

    /// <summary>The connection of ./mep up's PostgreSQL, without a database (each service's is mep_&lt;service&gt;).</summary>
    public string Postgres { get; }

    public int Replicas { get; }

    private string RunDirectory => Path.Combine(Root, ".mep", "run");

    public string Database(string service) => $"{Postgres};Database=mep_{service};Pooling=true;Maximum Pool Size=4";

    public string SchoolKey => File.ReadAllText(Path.Combine(Root, ".mep", "secrets", "demo-school-key")).Trim();

    /// <summary>Set by ./mep bench soak: the work tree, the edge and the database of the running platform.</summary>
    public static SoakPlatform Find()
    {
        var root = Environment.GetEnvironmentVariable("MEP_ROOT") ?? throw new BenchFailure("MEP_ROOT is not set; run the soak as ./mep bench soak");
        var edge = Environment.GetEnvironmentVariable("MEP_SOAK_EDGE") ?? throw new BenchFailure("MEP_SOAK_EDGE is not set; run the soak as ./mep bench soak");
        var postgres = Environment.GetEnvironmentVariable("MEP_SOAK_POSTGRES")
                       ?? throw new BenchFailure("MEP_SOAK_POSTGRES is not set; run the soak as ./mep bench soak");
        var replicasFile = Path.Combine(root, ".mep", "run", "replicas");
        var replicas = File.Exists(replicasFile) ? int.Parse(File.ReadAllText(replicasFile).Trim(), CultureInfo.InvariantCulture) : 0;
        var platform = new SoakPlatform(root, new Uri(edge), postgres, replicas);
        if (replicas < 2 || Services.Any(s => Enumerable.Range(0, replicas).Any(i => platform.PidOf(s, i) is null)))
        {
            throw new BenchFailure("the soak needs the platform with at least two instances of each service running: start it with ./mep up --replicas 2");
        }

        return platform;
    }

    public static string InstanceName(string service, int instance) => instance == 0 ? service : $"{service}-{instance}";

    /// <summary>The instance's process while it runs (its pid file names a live process).</summary>
    public int? PidOf(string service, int instance)
    {
        var file = Path.Combine(RunDirectory, InstanceName(service, instance) + ".pid");
        if (!File.Exists(file) || !int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : pid;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>SIGKILL: no shutdown, no draining; whatever the instance was doing stops mid-way. Returns once the process is gone.</summary>
    public async Task KillAsync(string service, int instance)
    {
        var pid = PidOf(service, instance) ?? throw new BenchFailure($"{InstanceName(service, instance)} is not running");
        using var process = Process.GetProcessById(pid);
        process.Kill(entireProcessTree: false);
        await process.WaitForExitAsync();
    }

    /// <summary>./mep restart-instance: started as ./mep up starts it, returning once it answers ready.</summary>
    public Task RestartAsync(string service, int instance) => MepAsync("restart-instance", service, instance.ToString(CultureInfo.InvariantCulture));

    public Task<string> TokenAsync(string role, string subject) => MepAsync("token", "--role", role, "--subject", subject);

    private async Task<string> MepAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root };
        start.ArgumentList.Add(Path.Combine(Root, "mep"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new BenchFailure("could not run ./mep");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new BenchFailure($"./mep {string.Join(' ', arguments)} failed: {await errors}");
        }

        return (await output).Trim();
    }
}
