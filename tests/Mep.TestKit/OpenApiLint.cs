using System.Globalization;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Mep.TestKit;

/// <summary>One finding of the OpenAPI linter: its rule, severity (error, warning, information, hint), message and where.</summary>
public sealed record LintFinding(string Rule, string Severity, string Message, string Path);

/// <summary>
/// Lints a service's OpenAPI document with a standard linter, Spectral, and the OWASP API Security ruleset
/// (tests/openapi-lint: pinned npm packages, installed by its lint.sh on first use; the ruleset file says which rules are
/// switched off and why).
/// </summary>
public static class OpenApiLint
{
    /// <summary>Fetches the document the service serves at /swagger/v1/swagger.json and lints it.</summary>
    public static async Task<IReadOnlyList<LintFinding>> LintServedDocumentAsync(HttpClient client)
    {
        var document = await client.GetStringAsync("/swagger/v1/swagger.json");
        // Beside the ruleset: its overrides name the documents by path.
        var folder = Path.Combine(TestInfrastructure.RepositoryRoot(), "tests", "openapi-lint", "documents");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, $"{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, document);
        try
        {
            return await LintAsync(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static async Task<IReadOnlyList<LintFinding>> LintAsync(string documentFile)
    {
        // The first run installs the linter from npm.
        var output = await Tools.RunToSuccessAsync("bash", [Tools.Script("tests", "openapi-lint", "lint.sh"), documentFile], TimeSpan.FromMinutes(5));
        using var findings = JsonDocument.Parse(output);
        return [.. findings.RootElement.EnumerateArray().Select(finding => new LintFinding(
            finding.GetProperty("code").GetString()!,
            finding.GetProperty("severity").GetInt32() switch { 0 => "error", 1 => "warning", 2 => "information", _ => "hint" },
            finding.GetProperty("message").GetString()!,
            string.Join('.', finding.GetProperty("path").EnumerateArray().Select(part => part.ToString()))))];
    }

    /// <summary>
    /// The fields of request body schemas that are computed rather than read ("parsedStatus"): a generated client would offer them,
    /// and the service ignores them. Found as properties marked readOnly in a schema that a request body refers to (at any depth).
    /// </summary>
    public static async Task<IReadOnlyList<string>> ComputedRequestFieldsAsync(HttpClient client)
    {
        using var document = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        var pending = new Stack<JsonElement>(document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject())
            .Where(operation => operation.Value.ValueKind == JsonValueKind.Object && operation.Value.TryGetProperty("requestBody", out _))
            .Select(operation => operation.Value.GetProperty("requestBody")));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var computed = new List<string>();
        while (pending.TryPop(out var node))
        {
            if (node.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in node.EnumerateArray())
                {
                    pending.Push(item);
                }

                continue;
            }

            if (node.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var member in node.EnumerateObject())
            {
                if (member.Name == "$ref" && member.Value.GetString()!.Split('/')[^1] is var name && seen.Add(name))
                {
                    var schema = schemas.GetProperty(name);
                    if (schema.TryGetProperty("properties", out var properties))
                    {
                        computed.AddRange(properties.EnumerateObject()
                            .Where(p => p.Value.TryGetProperty("readOnly", out var readOnly) && readOnly.GetBoolean())
                            .Select(p => $"{name}.{p.Name}"));
                    }

                    pending.Push(schema);
                }
                else
                {
                    pending.Push(member.Value);
                }
            }
        }

        return computed;
    }

    /// <summary>The findings of one severity, counted per rule and then listed, for an assertion's message.</summary>
    public static string Report(IEnumerable<LintFinding> findings)
    {
        var list = findings.ToList();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{list.Count} findings");
        foreach (var rule in list.GroupBy(f => f.Rule).OrderByDescending(g => g.Count()))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {rule.Key}: {rule.Count()}");
        }

        foreach (var finding in list)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{finding.Severity} {finding.Rule} at {finding.Path}: {finding.Message}");
        }

        return text.ToString();
    }
}

/// <summary>
/// The OpenAPI document as a contract, the same for every service: a standard linter with the OWASP API Security ruleset finds no
/// error in it, and its request schemas hold only fields the service reads. Each test project derives it once for its service.
/// </summary>
public abstract class OpenApiLintContract(Func<HttpClient> createClient)
{
    [Fact]
    public async Task The_openapi_document_has_no_error_under_the_OWASP_API_security_ruleset()
    {
        var findings = await OpenApiLint.LintServedDocumentAsync(createClient());

        var errors = findings.Where(finding => finding.Severity == "error").ToList();
        Assert.True(errors.Count == 0, OpenApiLint.Report(errors));
    }

    [Fact]
    public async Task Request_schemas_list_only_fields_the_service_reads_none_computed_from_them()
    {
        Assert.Empty(await OpenApiLint.ComputedRequestFieldsAsync(createClient()));
    }
}
