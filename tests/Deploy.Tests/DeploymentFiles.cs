using System.Collections.Concurrent;
using System.Text.Json;

namespace Mep.Deploy.Tests;

/// <summary>What a validation found: the objects it read (as JSON) and the problems, each naming its object.</summary>
public sealed record Validation(IReadOnlyList<JsonElement> Objects, IReadOnlyList<string> Problems);

/// <summary>
/// Renders deploy/k8s with kustomize and validates the result, and docker-compose.yml, offline: tests/k8s-validate holds the
/// tools (pinned npm packages installed by its scripts on first use, and kubectl where the machine has none with kustomize 5).
/// </summary>
public static class DeploymentFiles
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<Validation>>> Overlays = new(StringComparer.Ordinal);

    public static string Root => TestInfrastructure.RepositoryRoot();

    /// <summary>The overlay rendered by <c>kubectl kustomize</c> and validated, once per test run.</summary>
    public static Task<Validation> OverlayAsync(string overlay) =>
        Overlays.GetOrAdd(overlay, name => new Lazy<Task<Validation>>(() => RenderAndValidateAsync(name))).Value;

    public static async Task<string> RenderAsync(string overlay) =>
        await RunAsync("kubectl.sh", "kustomize", Path.Combine(Root, "deploy", "k8s", "overlays", overlay));

    /// <summary>Validates a YAML file: <paramref name="mode"/> is k8s (every object of a multi-document file) or compose.</summary>
    public static async Task<Validation> ValidateAsync(string mode, string file)
    {
        using var result = JsonDocument.Parse(await RunAsync("validate.sh", mode, file));
        return new Validation(
            [.. result.RootElement.GetProperty("objects").EnumerateArray().Select(o => o.Clone())],
            [.. result.RootElement.GetProperty("problems").EnumerateArray()
                .Select(p => $"{p.GetProperty("object").GetString()}: {p.GetProperty("message").GetString()}")]);
    }

    /// <summary>Validates YAML text given here (for objects a test makes up).</summary>
    public static async Task<Validation> ValidateTextAsync(string mode, string yaml)
    {
        var file = Path.Combine(Path.GetTempPath(), $"mep-deploy-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        try
        {
            return await ValidateAsync(mode, file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<Validation> RenderAndValidateAsync(string overlay) =>
        await ValidateTextAsync("k8s", await RenderAsync(overlay));

    /// <summary>The first run installs the npm packages (and kubectl where the machine has none), hence the long deadline.</summary>
    private static Task<string> RunAsync(string script, params string[] arguments) =>
        Tools.RunToSuccessAsync("bash", [Tools.Script("tests", "k8s-validate", script), .. arguments], TimeSpan.FromMinutes(5));
}

/// <summary>Reading rendered Kubernetes objects.</summary>
public static class KubernetesObjects
{
    public static IEnumerable<JsonElement> OfKind(this IEnumerable<JsonElement> objects, string kind) =>
        objects.Where(o => o.GetProperty("kind").GetString() == kind);

    public static string Name(this JsonElement o) => o.GetProperty("metadata").GetProperty("name").GetString()!;

    public static JsonElement Named(this IEnumerable<JsonElement> objects, string kind, string name) =>
        objects.OfKind(kind).Single(o => o.Name() == name);

    /// <summary>The value at a path of property names, or null where one is missing.</summary>
    public static JsonElement? At(this JsonElement element, params string[] path)
    {
        var current = element;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }

        return current;
    }

    public static IEnumerable<JsonElement> Items(this JsonElement? array) =>
        array is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray() : [];

    public static string? Text(this JsonElement? element) => element is { ValueKind: JsonValueKind.String } s ? s.GetString() : element?.ToString();
}
