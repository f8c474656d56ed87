using System.ComponentModel.DataAnnotations;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Validation;

namespace Mep.Staffing.Models;

public sealed record ModelVersionResponse(
    [Range(1, int.MaxValue)] int Version, DateOnly ValidFrom, DateOnly? ValidUntil, ModelDefinition Definition,
    [MaxLength(CreateModelRequest.MaxNote)] string? Note, DateTimeOffset CreatedAt, [MaxLength(CallerClaims.MaxActorLength)] string CreatedBy)
{
    public static ModelVersionResponse From(StaffingModelVersion v) => new(v.Version, v.ValidFrom, v.ValidUntil, v.Definition, v.Note, v.CreatedAt, v.CreatedBy);
}

public sealed record ModelResponse(
    [MaxLength(CreateModelRequest.MaxCode)] string Code, [MaxLength(CreateModelRequest.MaxName)] string Name,
    [MaxLength(CreateModelRequest.MaxSource)] string Source, bool BuiltIn, DateTimeOffset CreatedAt,
    [MaxLength(CallerClaims.MaxActorLength)] string CreatedBy, IReadOnlyList<ModelVersionResponse> Versions)
{
    public static ModelResponse From(StaffingModel m) => new(m.Code, m.Name, m.Source, m.BuiltIn, m.CreatedAt, m.CreatedBy,
        m.Versions.OrderBy(v => v.Version).Select(ModelVersionResponse.From).ToList());
}

/// <param name="Code">Lower-case letters, digits and hyphens, e.g. "hannover-tablets-1200".</param>
public sealed record CreateModelRequest(
    [Required, MaxLength(CreateModelRequest.MaxCode),
     RegularExpression(CreateModelRequest.CodePattern, ErrorMessage = "lower-case letters, digits and hyphens, starting with a letter or digit")]
    string? Code,
    [Required, MaxLength(CreateModelRequest.MaxName)] string? Name,
    [Required, MaxLength(CreateModelRequest.MaxSource)] string? Source,
    [Required] DateOnly? ValidFrom,
    DateOnly? ValidUntil,
    [Required] ModelDefinition? Definition,
    [MaxLength(CreateModelRequest.MaxNote)] string? Note) : IValidatableRequest
{
    public const int MaxCode = 60;
    public const string CodePattern = "^[a-z0-9][a-z0-9-]{1,59}$";
    public const int MaxName = 200;
    public const int MaxSource = 2_000;
    public const int MaxNote = 500;

    public void Validate(ValidationErrors errors)
    {
        if (ValidUntil < ValidFrom)
        {
            errors.Add("validUntil", "Not before validFrom.");
        }

        Definition?.Validate(errors, "definition");
    }
}

public sealed record NewModelVersionRequest(
    [Required] DateOnly? ValidFrom, DateOnly? ValidUntil, [Required] ModelDefinition? Definition, [MaxLength(CreateModelRequest.MaxNote)] string? Note)
    : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => Definition?.Validate(errors, "definition");
}
