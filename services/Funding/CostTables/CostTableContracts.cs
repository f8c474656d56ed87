using Mep.Funding.Programmes;
using System.ComponentModel.DataAnnotations;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;

namespace Mep.Funding.CostTables;

public sealed record CostTableRequest(
    [Required, MaxLength(ProgrammeFields.MaxCode),
     RegularExpression("^[a-z0-9]+(-[a-z0-9]+)*$", ErrorMessage = "Lower-case letters, digits and single hyphens, e.g. \"drucksache-1000-2020\".")]
    string? Code,
    [Required, MaxLength(ProgrammeFields.MaxName)] string? Name,
    [MaxLength(ProgrammeFields.MaxSource)] string? Source,
    [Required] CostTableInputs? Inputs,
    [MaxLength(CostTableLines.Count)] IReadOnlyList<PrintedFigure?>? PrintedFigures) : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => CostTableLines.Validate(errors, "printedFigures", PrintedFigures);
}

/// <summary>A replacement of a cost table; its code is the one in the path.</summary>
public sealed record ChangeCostTableRequest(
    [Required, MaxLength(ProgrammeFields.MaxName)] string? Name,
    [MaxLength(ProgrammeFields.MaxSource)] string? Source,
    [Required] CostTableInputs? Inputs,
    [MaxLength(CostTableLines.Count)] IReadOnlyList<PrintedFigure?>? PrintedFigures)
    : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => CostTableLines.Validate(errors, "printedFigures", PrintedFigures);
}

/// <summary>Inputs to compute without saving (finance trying numbers), optionally with printed figures to compare.</summary>
public sealed record ComputeCostTableRequest([Required] CostTableInputs? Inputs, [MaxLength(CostTableLines.Count)] IReadOnlyList<PrintedFigure?>? PrintedFigures)
    : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => CostTableLines.Validate(errors, "printedFigures", PrintedFigures);
}

public sealed record CostTableSummary(
    [MaxLength(ProgrammeFields.MaxCode)] string Code, [MaxLength(ProgrammeFields.MaxName)] string Name, [MaxLength(ProgrammeFields.MaxSource)] string? Source,
    decimal InvestmentBalance, decimal YearBalance, [Range(0, CostTableLines.Count)] int PrintedDisagreements, DateTimeOffset UpdatedAt,
    [MaxLength(CallerClaims.MaxActorLength)] string UpdatedBy);

public sealed record CostTableResponse(
    [MaxLength(ProgrammeFields.MaxCode)] string Code, [MaxLength(ProgrammeFields.MaxName)] string Name, [MaxLength(ProgrammeFields.MaxSource)] string? Source,
    CostTableInputs Inputs, [MaxLength(CostTableLines.Count)] IReadOnlyList<PrintedFigure> PrintedFigures, CostTableResult Result, DateTimeOffset UpdatedAt,
    [MaxLength(CallerClaims.MaxActorLength)] string UpdatedBy, [MaxLength(ETags.MaxLength)] string ETag)
{
    public static CostTableResponse From(CostTable t) => new(t.Code, t.Name, t.Source, t.Inputs, t.PrintedFigures,
        CostTableCalculator.Compute(t.Inputs, t.PrintedFigures), t.UpdatedAt, t.UpdatedBy, ETags.Format(t.Version));
}
