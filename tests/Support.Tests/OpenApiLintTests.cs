namespace Mep.Support.Tests;

/// <summary>The OpenAPI document as a contract: a standard linter with the OWASP API Security ruleset finds no error in it.</summary>
public sealed class OpenApiLintTests(SupportApi api) : IClassFixture<SupportApi>
{
    [Fact]
    public async Task The_openapi_document_has_no_error_under_the_OWASP_API_security_ruleset()
    {
        var findings = await OpenApiLint.LintServedDocumentAsync(api.CreateClient());

        var errors = findings.Where(finding => finding.Severity == "error").ToList();
        Assert.True(errors.Count == 0, OpenApiLint.Report(errors));
    }

    [Fact]
    public async Task Request_schemas_list_only_fields_the_service_reads_none_computed_from_them()
    {
        Assert.Empty(await OpenApiLint.ComputedRequestFieldsAsync(api.CreateClient()));
    }
}
