using Mep.ServiceDefaults.Auth;
using System.ComponentModel.DataAnnotations;
using Mep.Contracts;
using Mep.Contracts.Schools;
using Mep.Funding.Programmes;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;

namespace Mep.Funding.Applications;

/// <summary>The largest single measure the service takes: above it a typing error is likelier than a measure.</summary>
public static class ApplicationLimits
{
    public const double MaxAmount = 100_000_000;
    public const int MaxTitle = 200;
    public const int MaxDescription = 4_000;
    public const int MaxReference = 300;
}

/// <summary>A new draft. schoolId and programmeCode are fixed from here on; the rest can be revised while it is a draft.</summary>
public sealed record CreateApplicationRequest(
    [Required] Guid? SchoolId,
    [Required, MaxLength(ProgrammeFields.MaxCode)] string? ProgrammeCode,
    [Required] SpendingCategory? Category,
    [Required, MaxLength(ApplicationLimits.MaxTitle)] string? Title,
    [MaxLength(ApplicationLimits.MaxDescription)] string? Description,
    [Required, Money(ApplicationLimits.MaxAmount, Positive = true)] decimal? PlannedAmount,
    [Required] DateOnly? MeasureStart,
    [MaxLength(ApplicationLimits.MaxReference)] string? ConceptReference) : IValidatableRequest
{
    public ApplicationDraft ToDraft() =>
        new(ProgrammeCode!.Trim(), Category!.Value, Title!.Trim(), DraftFields.Optional(Description), PlannedAmount!.Value, MeasureStart!.Value,
            DraftFields.Optional(ConceptReference));
}

/// <summary>The whole of a draft's content, replacing what was there (PUT with If-Match).</summary>
public sealed record ReviseApplicationRequest(
    [Required] SpendingCategory? Category,
    [Required, MaxLength(ApplicationLimits.MaxTitle)] string? Title,
    [MaxLength(ApplicationLimits.MaxDescription)] string? Description,
    [Required, Money(ApplicationLimits.MaxAmount, Positive = true)] decimal? PlannedAmount,
    [Required] DateOnly? MeasureStart,
    [MaxLength(ApplicationLimits.MaxReference)] string? ConceptReference) : IValidatableRequest
{
    public ApplicationDraft ToDraft(string programmeCode) =>
        new(programmeCode, Category!.Value, Title!.Trim(), DraftFields.Optional(Description), PlannedAmount!.Value, MeasureStart!.Value,
            DraftFields.Optional(ConceptReference));
}

internal static class DraftFields
{
    public static string? Optional(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

public sealed record ApproveApplicationRequest([Required, Money(ApplicationLimits.MaxAmount, Positive = true)] decimal? ApprovedAmount)
    : IValidatableRequest;

public sealed record RejectApplicationRequest([Required, MaxLength(ProgrammeFields.MaxNote)] string? Reason) : IValidatableRequest;

public sealed record WithdrawApplicationRequest([MaxLength(ProgrammeFields.MaxNote)] string? Reason) : IValidatableRequest;

/// <param name="SchoolId">Only this school's applications (a school key sees only its own school's anyway).</param>
/// <param name="SchoolNumber">Only the applications of the school with this number (with schoolId, both must name the same school).</param>
public sealed record ApplicationListQuery(
    Guid? SchoolId, [MaxLength(SchoolFields.NumberLength), SchoolNumber] string? SchoolNumber, [MaxLength(ProgrammeFields.MaxCode)] string? Programme,
    [EnumName<ApplicationStatus>] string? Status, [EnumName<SpendingCategory>] string? Category, [PageNumber] int? Page, [PageSize] int? PageSize)
    : IValidatableRequest
{
    /// <summary>The filters besides the school, which <see cref="SchoolSelection"/> applies.</summary>
    public IQueryable<FundingApplication> Apply(IQueryable<FundingApplication> applications)
    {
        if (Programme is not null)
        {
            var code = Programme.Trim();
            applications = applications.Where(a => a.ProgrammeCode == code);
        }

        if (EnumText.TryParseName<ApplicationStatus>(Status, out var status))
        {
            applications = applications.Where(a => a.Status == status);
        }

        if (EnumText.TryParseName<SpendingCategory>(Category, out var category))
        {
            applications = applications.Where(a => a.Category == category);
        }

        return applications;
    }
}

public sealed record ProofOfUseResponse(
    DateOnly SubmittedOn, [MaxLength(ApplicationLimits.MaxReference)] string DocumentReference, [Money(ApplicationLimits.MaxAmount)] decimal SpentTotal);

public sealed record StatusChangeResponse(
    ApplicationStatus? From, ApplicationStatus To, DateOnly OnDay, DateTimeOffset At, [MaxLength(CallerClaims.MaxActorLength)] string Actor,
    [MaxLength(ProgrammeFields.MaxNote)] string? Note)
{
    public static StatusChangeResponse Of(ApplicationStatusChange c) => new(c.FromStatus, c.ToStatus, c.OnDay, c.At, c.Actor, c.Note);
}

/// <summary>An application as the API shows it: the surcharge apart from the planned amount, the total, and what is drawn and left.</summary>
/// <param name="SchoolNumber">The school's number, from the school directory (null only while the directory does not know the school yet).</param>
/// <param name="SchoolName">The school's name, from the school directory.</param>
public sealed record ApplicationResponse(
    Guid Id, [MaxLength(ProgrammeFields.MaxCode)] string ProgrammeCode, Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string? SchoolNumber,
    [MaxLength(SchoolFields.MaxName)] string? SchoolName, SpendingCategory Category,
    [MaxLength(ApplicationLimits.MaxTitle)] string Title, [MaxLength(ApplicationLimits.MaxDescription)] string? Description,
    [Money(ApplicationLimits.MaxAmount)] decimal PlannedAmount, decimal SurchargeAmount, decimal PlannedTotal, [Money(ApplicationLimits.MaxAmount)] decimal? ApprovedAmount,
    decimal DrawnAmount, decimal Remaining, DateOnly MeasureStart, [MaxLength(ApplicationLimits.MaxReference)] string? ConceptReference,
    ApplicationStatus Status, bool FirstComeFirstServed, DateOnly? SubmittedOn, DateOnly? ApprovedOn, DateOnly? SettledOn, ProofOfUseResponse? ProofOfUse,
    DateTimeOffset CreatedAt, [MaxLength(CallerClaims.MaxActorLength)] string CreatedBy, DateTimeOffset UpdatedAt, [MaxLength(ETags.MaxLength)] string ETag,
    IReadOnlyList<StatusChangeResponse>? History)
{
    public static ApplicationResponse From(FundingApplication a, KnownSchool? school, IReadOnlyList<ApplicationStatusChange>? history) =>
        new(a.Id, a.ProgrammeCode, a.SchoolId, school?.Number, school?.Name, a.Category, a.Title, a.Description, a.PlannedAmount,
            a.SurchargeAmount, a.PlannedTotal, a.ApprovedAmount, a.DrawnAmount, a.Remaining, a.MeasureStart, a.ConceptReference, a.Status,
            a.FirstComeFirstServed, a.SubmittedOn, a.ApprovedOn, a.SettledOn,
            a.ProofOfUseSubmittedOn is { } on ? new ProofOfUseResponse(on, a.ProofOfUseDocument!, a.ProofOfUseSpentTotal!.Value) : null,
            a.CreatedAt, a.CreatedBy, a.UpdatedAt, ETags.Format(a.Version), history?.Select(StatusChangeResponse.Of).ToList());
}

public sealed record ProofOfUseRequest(
    [Required] DateOnly? SubmittedOn, [Required, MaxLength(ApplicationLimits.MaxReference)] string? DocumentReference,
    [Required, Money(ApplicationLimits.MaxAmount)] decimal? SpentTotal) : IValidatableRequest;

public sealed record SettlementRequest([Required] DateOnly? SettledOn) : IValidatableRequest;
