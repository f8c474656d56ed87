namespace Mep.Schools.Tests;

/// <summary>Schools' OpenAPI document under the platform's lint contract (<see cref="OpenApiLintContract"/>).</summary>
public sealed class OpenApiLintTests(SchoolsApi api) : OpenApiLintContract(api.CreateClient), IClassFixture<SchoolsApi>;
