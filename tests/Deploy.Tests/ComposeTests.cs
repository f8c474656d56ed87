using System.Text.RegularExpressions;

namespace Mep.Deploy.Tests;

/// <summary>docker-compose.yml, checked offline (no Docker here): against the Compose specification, and against ./mep's parts.</summary>
public sealed partial class ComposeTests
{
    private static Task<Validation> ComposeAsync() =>
        DeploymentFiles.ValidateAsync("compose", Path.Combine(DeploymentFiles.Root, "docker-compose.yml"));

    [Fact]
    public async Task The_compose_file_validates_against_the_compose_specification()
    {
        var compose = await ComposeAsync();

        Assert.Empty(compose.Problems);
    }

    [Fact]
    public async Task The_validator_refuses_a_compose_file_with_an_unknown_service_field()
    {
        var result = await DeploymentFiles.ValidateTextAsync("compose", "services:\n  edge:\n    image: nginx:1.27\n    portz: [\"8080:8080\"]\n");

        Assert.Equal(["compose: /services/edge must NOT have additional properties: portz"], result.Problems);
    }

    [Fact]
    public async Task Every_service_and_front_end_that_mep_runs_runs_in_compose_too()
    {
        var compose = await ComposeAsync();

        var script = await File.ReadAllTextAsync(Path.Combine(DeploymentFiles.Root, "mep"));
        var parts = new[] { ServicesLine(), FrontEndsLine() }
            .SelectMany(pattern => pattern.Match(script).Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        Assert.Equal(7, parts.Count);
        var services = compose.Objects.Single().At("services")!.Value.EnumerateObject().Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        Assert.All(parts, part => Assert.Contains(part, services));
        Assert.Contains("mail", services);
        Assert.Contains("prometheus", services);
    }

    [Fact]
    public async Task Services_mail_the_mail_catcher_unless_a_mail_server_is_configured()
    {
        var compose = await ComposeAsync();

        var services = compose.Objects.Single().At("services")!.Value;
        Assert.Equal("rnwood/smtp4dev", services.At("mail", "image").Text()!.Split(':')[0]);
        foreach (var service in KubernetesOverlayTests.Services)
        {
            Assert.Equal("${MEP_MAIL_HOST:-mail}", services.At(service, "environment", "Mail__Host").Text());
        }
    }

    [GeneratedRegex(@"^SERVICES=\(([a-z ]+)\)", RegexOptions.Multiline)]
    private static partial Regex ServicesLine();

    [GeneratedRegex(@"^FRONT_ENDS=\(([a-z ]+)\)", RegexOptions.Multiline)]
    private static partial Regex FrontEndsLine();
}
