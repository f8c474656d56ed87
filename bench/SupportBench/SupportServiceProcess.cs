using Mep.TestKit;

namespace Mep.Bench.Support;

/// <summary>The Support service's own build output, run as its own process on a real port, as ./mep runs it.</summary>
internal static class SupportServiceProcess
{
    public static Task<ServiceProcess> StartAsync(PostgresDatabase database, RabbitMqVirtualHost broker) =>
        ServiceProcess.StartAsync(AssemblyPath(), new Dictionary<string, string>
        {
            ["ConnectionStrings:Database"] = database.ConnectionString,
            ["ConnectionStrings:Broker"] = broker.AmqpUrl,
            ["Auth:SigningKey"] = TestTokens.SigningKey,
            ["Auth:Issuer"] = TestTokens.Issuer,
            ["Auth:Audience"] = TestTokens.Audience,
            // The bench's clients send as fast as they can; the per-caller limit is for people and scripts, and a 429 is not what is measured.
            ["RateLimits:StaffRequestsPerMinute"] = "1000000",
        });

    private static string AssemblyPath()
    {
        // Same configuration as the bench itself: the project reference builds it alongside.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(TestInfrastructure.RepositoryRoot(), "services", "Support", "bin", configuration, "net10.0", "Mep.Support.dll");
        return File.Exists(path) ? path : throw new BenchFailure($"{path} is missing: build services/Support -c {configuration} first.");
    }
}

/// <summary>The bench cannot go on (a refused request, a wrong count, pgbench failing); the message says what happened.</summary>
internal sealed class BenchFailure(string message) : Exception(message);
