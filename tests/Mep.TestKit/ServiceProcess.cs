using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Mep.TestKit;

/// <summary>
/// A service running as its own operating-system process (the built dll, as ./mep runs it), for tests that
/// must cross a process boundary or kill a producer. Killed on dispose.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServiceProcess(Process process, Uri baseAddress) => (_process, BaseAddress) = (process, baseAddress);

    public Uri BaseAddress { get; }

    /// <summary>
    /// A service's build output (same configuration as the caller's own) on a database and broker, with the test signing key
    /// and no per-caller rate limit: a benchmark's clients send as fast as they can, and a 429 is not what it measures.
    /// </summary>
    /// <param name="service">The project folder under services/, e.g. "Support".</param>
    public static Task<ServiceProcess> StartForBenchmarkAsync(string service, PostgresDatabase database, RabbitMqVirtualHost broker)
    {
        var path = BuiltService(service);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} is missing: build services/{service} in the tests' configuration first.", path);
        }

        return StartAsync(path, new Dictionary<string, string>
        {
            ["ConnectionStrings:Database"] = database.ConnectionString,
            ["ConnectionStrings:Broker"] = broker.AmqpUrl,
            ["Auth:SigningKey"] = TestTokens.SigningKey,
            ["Auth:Issuer"] = TestTokens.Issuer,
            ["Auth:Audience"] = TestTokens.Audience,
            ["RateLimits:StaffRequestsPerMinute"] = "1000000",
        });
    }

    /// <summary>The build output of a service (same configuration as the calling tests), e.g. "Schools" gives .../Mep.Schools.dll.</summary>
    public static string BuiltService(string service)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        return Path.Combine(TestInfrastructure.RepositoryRoot(), "services", service, "bin", configuration, "net10.0", $"Mep.{service}.dll");
    }

    /// <summary>Runs a service's command-line mode to its end (e.g. Schools' seed-demo) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(string assemblyPath, string command,
        IReadOnlyDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet", [assemblyPath, command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(assemblyPath)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the service process.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, $"{await stdout}\n{await stderr}");
    }

    public static async Task<ServiceProcess> StartAsync(string assemblyPath, IReadOnlyDictionary<string, string> settings)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [assemblyPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(assemblyPath)!,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the service process.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.AssertAsync(async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The service process exited with {process.ExitCode}.");
            }

            try
            {
                return (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException)
            {
                return false;
            }
        }, "the service process is ready", TimeSpan.FromSeconds(60));
        return service;
    }

    /// <summary>Ends the process at once, as a crash or an OOM kill would: no graceful shutdown.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
