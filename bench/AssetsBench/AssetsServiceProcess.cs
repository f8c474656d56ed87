using Mep.TestKit;

namespace Mep.Bench.Assets;

/// <summary>The Assets service's own build output, run as its own process on a real port, as ./mep runs it.</summary>
internal static class AssetsServiceProcess
{
    public static Task<ServiceProcess> StartAsync(PostgresDatabase database, RabbitMqVirtualHost broker) =>
        ServiceProcess.StartAsync(AssemblyPath(), new Dictionary<string, string>
        {
            ["ConnectionStrings:Database"] = database.ConnectionString,
            ["ConnectionStrings:Broker"] = broker.AmqpUrl,
            ["Auth:SigningKey"] = TestTokens.SigningKey,
            ["Auth:Issuer"] = TestTokens.Issuer,
            ["Auth:Audience"] = TestTokens.Audience,
            // The bench is one client sending as fast as it can; the per-person limit is for people, and a 429 is not what is measured.
            ["RateLimits:StaffRequestsPerMinute"] = "1000000",
        });

    private static string AssemblyPath()
    {
        // Same configuration as the bench itself: the project reference builds it alongside.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(TestInfrastructure.RepositoryRoot(), "services", "Assets", "bin", configuration, "net10.0", "Mep.Assets.dll");
        return File.Exists(path) ? path : throw new BenchFailure($"{path} is missing: build services/Assets -c {configuration} first.");
    }
}

/// <summary>The bench cannot go on (a refused request, a wrong count); the message says what happened.</summary>
internal sealed class BenchFailure(string message) : Exception(message);
