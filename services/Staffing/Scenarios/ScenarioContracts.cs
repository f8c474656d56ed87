using System.ComponentModel.DataAnnotations;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Validation;
using Mep.Staffing.Models;

namespace Mep.Staffing.Scenarios;

public sealed record ScenarioRequest(
    [Required, MaxLength(ScenarioRequest.MaxName)] string? Name, [MaxLength(ScenarioRequest.MaxDescription)] string? Description,
    [Required] ScenarioDefinition? Definition) : IValidatableRequest
{
    public const int MaxName = 200;
    public const int MaxDescription = 2_000;

    /// <summary>Models side by side in one projection.</summary>
    public const int MaxModels = 10;

    public void Validate(ValidationErrors errors) => Definition?.Validate(errors, "definition");
}

public sealed record CopyScenarioRequest([Required, MaxLength(ScenarioRequest.MaxName)] string? Name) : IValidatableRequest;

/// <summary>A definition to project without saving it (a planner trying numbers).</summary>
public sealed record ProjectionRequest(
    [Required] ScenarioDefinition? Definition,
    [MaxLength(ScenarioRequest.MaxModels, ErrorMessage = "At most 10 models side by side."), Items(MaxLength = CreateModelRequest.MaxCode)]
    IReadOnlyList<string>? Models) : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => Definition?.Validate(errors, "definition");
}

public sealed record ScenarioSummary(
    Guid Id, [MaxLength(ScenarioRequest.MaxName)] string Name, [MaxLength(ScenarioRequest.MaxDescription)] string? Description,
    [Range(ScenarioDefinition.FirstPossibleYear, ScenarioDefinition.LastPossibleYear)] int FirstYear,
    [Range(ScenarioDefinition.FirstPossibleYear, ScenarioDefinition.LastPossibleYear)] int LastYear, Guid? CopiedFrom, DateTimeOffset UpdatedAt,
    [MaxLength(CallerClaims.MaxActorLength)] string UpdatedBy);

public sealed record ScenarioResponse(
    Guid Id, [MaxLength(ScenarioRequest.MaxName)] string Name, [MaxLength(ScenarioRequest.MaxDescription)] string? Description,
    ScenarioDefinition Definition, Guid? CopiedFrom, DateTimeOffset CreatedAt, [MaxLength(CallerClaims.MaxActorLength)] string CreatedBy,
    DateTimeOffset UpdatedAt, [MaxLength(CallerClaims.MaxActorLength)] string UpdatedBy)
{
    public static ScenarioResponse From(Scenario s) =>
        new(s.Id, s.Name, s.Description, s.Definition, s.CopiedFrom, s.CreatedAt, s.CreatedBy, s.UpdatedAt, s.UpdatedBy);
}

/// <summary>A scenario projected: per year, the schools at MEP standard, the devices and each model's FTE and cost side by side.</summary>
public sealed record ScenarioProjection(
    Guid? ScenarioId, [MaxLength(ScenarioRequest.MaxName)] string? Name,
    [MaxLength(ScenarioRequest.MaxModels), Items(MaxLength = CreateModelRequest.MaxCode)] IReadOnlyList<string> Models,
    [MaxLength(ScenarioDefinition.MaxYears)] IReadOnlyList<ProjectedYear> Years);

/// <param name="Models">Comma-separated model codes; default the built-in ones.</param>
public sealed record ProjectionQuery([MaxLength(1000)] string? Models) : IValidatableRequest;

/// <param name="Ids">Comma-separated scenario ids, two to ten.</param>
/// <param name="Model">The model to compare them under; default hannover-mep-2020.</param>
public sealed record ScenarioComparisonQuery([Required, MaxLength(400)] string? Ids, [MaxLength(CreateModelRequest.MaxCode)] string? Model)
    : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (!string.IsNullOrWhiteSpace(Ids) && Ids.Trim().Length <= 400 && ParsedIds is not { Count: >= 2 and <= 10 })
        {
            errors.Add("ids", "Two to ten scenario ids, comma-separated.");
        }
    }

    public IReadOnlyList<Guid>? ParsedIds
    {
        get
        {
            var parts = Ids?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
            var ids = parts.Select(p => Guid.TryParse(p, out var id) ? id : (Guid?)null).ToList();
            return ids.Any(id => id is null) ? null : ids.Select(id => id!.Value).Distinct().ToList();
        }
    }
}

public sealed record ScenarioComparison(
    [MaxLength(CreateModelRequest.MaxCode)] string Model, [MaxLength(10)] IReadOnlyList<ScenarioSummary> Scenarios,
    [MaxLength(ScenarioDefinition.MaxYears)] IReadOnlyList<ComparedYear> Years);

/// <summary>One year, each scenario's figure under the model, in the order of <see cref="ScenarioComparison.Scenarios"/> (null: outside its years).</summary>
public sealed record ComparedYear(int Year, IReadOnlyList<ProjectedModelYear?> Scenarios);
