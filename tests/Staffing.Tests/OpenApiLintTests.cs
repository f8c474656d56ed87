namespace Mep.Staffing.Tests;

/// <summary>Staffing's OpenAPI document under the platform's lint contract (<see cref="OpenApiLintContract"/>).</summary>
public sealed class OpenApiLintTests(StaffingApi api) : OpenApiLintContract(api.CreateClient), IClassFixture<StaffingApi>;
