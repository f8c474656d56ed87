namespace Mep.Deploy.Tests.Prometheus;

/// <summary>Runs Prometheus' own checker, promtool (Debian's <c>prometheus</c> package, which ./mep installs), in the repository root.</summary>
public static class Promtool
{
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var run = await Tools.RunAsync("promtool", arguments, TimeSpan.FromMinutes(2));
        return (run.ExitCode, $"promtool {string.Join(' ', arguments)} (exit {run.ExitCode}):\n{run.Output}\n{run.Errors}");
    }
}
