using Mep.ServiceDefaults.Auth;

namespace Mep.Assets.Tests;

/// <summary>
/// The feed's acceptance: a standard OData v4 client library (odata2ts, in tests/odata-client) reads the Assets feed's
/// $metadata, generates a typed client from it and runs typed queries against the feed. The feed is served by the built
/// Assets service as its own process on the fixture's database, so the client talks HTTP to a real port.
/// </summary>
public sealed class ODataClientTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    [Fact]
    public async Task A_typed_client_generated_from_metadata_filters_orders_selects_pages_and_counts()
    {
        var school = await api.SchoolAsync(rooms: 1);
        var prefix = $"OC{school.Number}";
        var registered = await api.ClientFor(school).PostAsync("/api/assets/devices/batch", AssetsApi.Batch([
            .. Enumerable.Range(1, 5).Select(i => AssetsApi.Tablet($"{prefix}-T{i}", "teacher", ("purchasePrice", 100m * i))),
            AssetsApi.Device($"{prefix}-C1", "computerRoomDevice", ("purchasePrice", 900m)),
            AssetsApi.Device($"{prefix}-C2", "computerRoomDevice", ("purchasePrice", 800m)),
        ]));
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());

        await using var assets = await ServiceProcess.StartAsync(AssetsAssembly(), new Dictionary<string, string>
        {
            ["ConnectionStrings:Database"] = api.Database.ConnectionString,
            ["ConnectionStrings:Broker"] = api.Broker.AmqpUrl,
            ["Auth:SigningKey"] = TestTokens.SigningKey,
            ["Auth:Issuer"] = TestTokens.Issuer,
            ["Auth:Audience"] = TestTokens.Audience,
        });

        var (exitCode, output) = await RunClientAsync(new Dictionary<string, string?>
        {
            ["ODATA_URL"] = new Uri(assets.BaseAddress, "/api/assets/odata").ToString(),
            ["TOKEN"] = TestTokens.For(PlatformRoles.Finance, "odata-client"),
            ["SCHOOL_ID"] = school.Id.ToString(),
            ["SERIAL_PREFIX"] = prefix,
        });

        Assert.True(exitCode == 0, output);
        Assert.Contains("ALL CHECKS PASSED", output, StringComparison.Ordinal);
    }

    private static string AssetsAssembly()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        return Path.Combine(TestInfrastructure.RepositoryRoot(), "services", "Assets", "bin", configuration, "net10.0", "Mep.Assets.dll");
    }

    /// <summary>tests/odata-client/run.sh: installs the client (npm ci, first run only), generates, compiles and runs it.</summary>
    private static async Task<(int ExitCode, string Output)> RunClientAsync(Dictionary<string, string?> environment)
    {
        var run = await Tools.RunAsync("bash", [Tools.Script("tests", "odata-client", "run.sh")], TimeSpan.FromMinutes(5), environment);
        return (run.ExitCode, $"{run.Output}\n{run.Errors}");
    }
}
