using System.ComponentModel;
using CliWrap;
using CliWrap.Buffered;

namespace Mep.TestKit;

/// <summary>What a tool printed and how it ended.</summary>
public sealed record ToolRun(int ExitCode, string Output, string Errors);

/// <summary>
/// Command-line tools (promtool, nginx) and the repository's own scripts (./mep, tests/*/run.sh), run from the repository root
/// to their end with both streams read at once (CliWrap), so a script that fills one pipe never blocks while the other is read.
/// </summary>
public static class Tools
{
    /// <summary>Runs a program; its exit code is the caller's to judge.</summary>
    public static async Task<ToolRun> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            var result = await Cli.Wrap(program).WithArguments(arguments).WithWorkingDirectory(TestInfrastructure.RepositoryRoot())
                .WithEnvironmentVariables(environment ?? new Dictionary<string, string?>()).WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(deadline.Token);
            return new ToolRun(result.ExitCode, result.StandardOutput, result.StandardError);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"{program} is not installed here: ./mep test installs what the tests run.", e);
        }
    }

    /// <summary>Runs a program and returns its output; an exit other than 0 fails with everything it printed.</summary>
    public static async Task<string> RunToSuccessAsync(string program, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var listed = arguments.ToList();
        var run = await RunAsync(program, listed, timeout);
        return run.ExitCode == 0
            ? run.Output
            : throw new InvalidOperationException($"{program} {string.Join(' ', listed)} failed (exit {run.ExitCode}):\n{run.Errors}\n{run.Output}");
    }

    /// <summary>A script's path in the repository, to hand to bash.</summary>
    public static string Script(params string[] pathFromRoot) => Path.Combine([TestInfrastructure.RepositoryRoot(), .. pathFromRoot]);
}
