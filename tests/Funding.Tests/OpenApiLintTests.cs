namespace Mep.Funding.Tests;

/// <summary>Funding's OpenAPI document under the platform's lint contract (<see cref="OpenApiLintContract"/>).</summary>
public sealed class OpenApiLintTests(FundingApi api) : OpenApiLintContract(api.CreateClient), IClassFixture<FundingApi>;
