using System.ComponentModel.DataAnnotations;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;

namespace Mep.Funding.Programmes;

public sealed record ProgrammeResponse(
    [MaxLength(ProgrammeFields.MaxCode)] string Code, [MaxLength(ProgrammeFields.MaxName)] string Name, ProgrammeKind Kind,
    [MaxLength(ProgrammeFields.MaxSource)] string Source, ProgrammeRules Rules, DateTimeOffset UpdatedAt,
    [MaxLength(CallerClaims.MaxActorLength)] string UpdatedBy, [MaxLength(ETags.MaxLength)] string ETag)
{
    public static ProgrammeResponse From(Programme p) => new(p.Code, p.Name, p.Kind, p.Source, p.Rules, p.UpdatedAt, p.UpdatedBy, ETags.Format(p.Version));
}

public sealed record ChangeProgrammeRequest(
    [Required, MaxLength(ProgrammeFields.MaxName)] string? Name, [Required, MaxLength(ProgrammeFields.MaxSource)] string? Source,
    [Required] ProgrammeRules? Rules) : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => Rules?.Validate(errors, "rules");
}
