
namespace Mep.TestKit;

/// <summary>
/// Where the real PostgreSQL and RabbitMQ for tests are. Where a Docker engine answers (most developers' laptops), they are
/// containers started by Testcontainers for this test process. Otherwise (these machines and CI have no engine):
/// <c>./mep test</c> starts private instances and passes them in MEP_TEST_POSTGRES and MEP_TEST_RABBITMQ; a test run started
/// any other way (an IDE, plain <c>dotnet test</c>) asks <c>./mep test-env</c> to start the same throwaway instances. The
/// choice is written to the test output (stderr) once per test process.
/// </summary>
public static class TestInfrastructure
{
    public const string PostgresVariable = "MEP_TEST_POSTGRES";
    public const string RabbitMqVariable = "MEP_TEST_RABBITMQ";
    public const string RabbitMqManagementVariable = "MEP_TEST_RABBITMQ_MANAGEMENT";

    private static readonly Lazy<(string Postgres, string RabbitMq, string Management)> Resolved = new(Resolve, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Connection string to the server, without a database (each test class creates its own).</summary>
    public static string PostgresServer => Resolved.Value.Postgres;

    /// <summary>AMQP URL of the broker's default virtual host.</summary>
    public static string RabbitMqUrl => Resolved.Value.RabbitMq;

    /// <summary>HTTP URL of the broker's management API (with credentials), for per-class virtual hosts.</summary>
    public static string RabbitMqManagementUrl => Resolved.Value.Management;

    private static (string, string, string) Resolve()
    {
        var docker = DockerEngine.Find();
        if (docker.Answers)
        {
            Log($"PostgreSQL and RabbitMQ from Testcontainers: the Docker engine at {docker.Endpoint} answers");
            return TestContainers.Start();
        }

        var postgres = Environment.GetEnvironmentVariable(PostgresVariable);
        var rabbit = Environment.GetEnvironmentVariable(RabbitMqVariable);
        var management = Environment.GetEnvironmentVariable(RabbitMqManagementVariable);
        if (!string.IsNullOrWhiteSpace(postgres) && !string.IsNullOrWhiteSpace(rabbit) && !string.IsNullOrWhiteSpace(management))
        {
            Log($"PostgreSQL and RabbitMQ from {PostgresVariable}/{RabbitMqVariable} ({docker.Reason})");
            return (postgres, rabbit, management);
        }

        Log($"PostgreSQL and RabbitMQ as private instances from ./mep test-env ({docker.Reason})");
        var values = StartPrivateInstances();
        return (values[PostgresVariable], values[RabbitMqVariable], values[RabbitMqManagementVariable]);
    }

    private static void Log(string choice) => Console.Error.WriteLine($"[mep test infrastructure] {choice}");

    private static Dictionary<string, string> StartPrivateInstances()
    {
        var root = RepositoryRoot();
        // Test assemblies run in parallel processes; one lock file keeps them from initialising the same instance twice.
        Directory.CreateDirectory(Path.Combine(root, ".mep"));
        using var gate = AcquireLock(Path.Combine(root, ".mep", "test-env.lock"));
        // Called from a Lazy, so it waits here; on the thread pool, away from the test framework's synchronisation context. The
        // first run may install PostgreSQL and RabbitMQ, hence the long deadline.
        var output = Task.Run(() => Tools.RunToSuccessAsync("bash", [Path.Combine(root, "mep"), "test-env"], TimeSpan.FromMinutes(30)))
            .GetAwaiter().GetResult();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MepPlatform.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("MepPlatform.sln not found above the test binaries.");
    }

    private static FileStream AcquireLock(string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                // Another test process holds the lock while it starts the shared instances; a file lock has nothing to poll but itself.
                Thread.Sleep(200);
            }
        }
    }
}
