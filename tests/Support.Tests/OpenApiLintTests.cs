namespace Mep.Support.Tests;

/// <summary>Support's OpenAPI document under the platform's lint contract (<see cref="OpenApiLintContract"/>).</summary>
public sealed class OpenApiLintTests(SupportApi api) : OpenApiLintContract(api.CreateClient), IClassFixture<SupportApi>;
