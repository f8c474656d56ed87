using System.ComponentModel;
using System.Diagnostics;

namespace Mep.Deploy.Tests.Prometheus;

/// <summary>Runs Prometheus' own checker, promtool (Debian's <c>prometheus</c> package, which ./mep installs), in the repository root.</summary>
public static class Promtool
{
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("promtool", arguments)
        {
            WorkingDirectory = TestInfrastructure.RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("promtool is missing: ./mep test installs Debian's prometheus package, which has it.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, $"promtool {string.Join(' ', arguments)} (exit {process.ExitCode}):\n{await stdout}\n{await stderr}");
        }
    }
}
