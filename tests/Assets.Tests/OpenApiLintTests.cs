namespace Mep.Assets.Tests;

/// <summary>Assets' OpenAPI document under the platform's lint contract (<see cref="OpenApiLintContract"/>).</summary>
public sealed class OpenApiLintTests(AssetsApi api) : OpenApiLintContract(api.CreateClient), IClassFixture<AssetsApi>;
