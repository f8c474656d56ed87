using Mep.Contracts;
using Mep.Funding.Programmes;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;

namespace Mep.Funding.Applications;

/// <summary>The largest single measure the service takes: above it a typing error is likelier than a measure.</summary>
internal static class ApplicationLimits
{
    public const decimal MaxAmount = 100_000_000m;
}

/// <summary>A new draft. schoolId and programmeCode are fixed from here on; the rest can be revised while it is a draft.</summary>
public sealed record CreateApplicationRequest(Guid? SchoolId, string? ProgrammeCode, SpendingCategory? Category, string? Title, string? Description,
    decimal? PlannedAmount, DateOnly? MeasureStart, string? ConceptReference) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        errors.Required("schoolId", SchoolId);
        errors.Text("programmeCode", ProgrammeCode, 60);
        DraftFields.Validate(errors, Category, Title, Description, PlannedAmount, MeasureStart, ConceptReference);
    }

    public ApplicationDraft ToDraft() =>
        new(ProgrammeCode!.Trim(), Category!.Value, Title!.Trim(), DraftFields.Optional(Description), PlannedAmount!.Value, MeasureStart!.Value,
            DraftFields.Optional(ConceptReference));
}

/// <summary>The whole of a draft's content, replacing what was there (PUT with If-Match).</summary>
public sealed record ReviseApplicationRequest(SpendingCategory? Category, string? Title, string? Description, decimal? PlannedAmount,
    DateOnly? MeasureStart, string? ConceptReference) : IValidatableRequest
{
    public void Validate(ValidationErrors errors) =>
        DraftFields.Validate(errors, Category, Title, Description, PlannedAmount, MeasureStart, ConceptReference);

    public ApplicationDraft ToDraft(string programmeCode) =>
        new(programmeCode, Category!.Value, Title!.Trim(), DraftFields.Optional(Description), PlannedAmount!.Value, MeasureStart!.Value,
            DraftFields.Optional(ConceptReference));
}

internal static class DraftFields
{
    public static void Validate(ValidationErrors errors, SpendingCategory? category, string? title, string? description, decimal? plannedAmount,
        DateOnly? measureStart, string? conceptReference)
    {
        errors.Required("category", category);
        errors.Text("title", title, 200);
        errors.Text("description", description, 4000, required: false);
        if (errors.Required("plannedAmount", plannedAmount) && errors.Money("plannedAmount", plannedAmount, ApplicationLimits.MaxAmount)
            && plannedAmount == 0)
        {
            errors.Add("plannedAmount", "More than 0.00 EUR.");
        }

        errors.Required("measureStart", measureStart);
        errors.Text("conceptReference", conceptReference, 300, required: false);
    }

    public static string? Optional(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

public sealed record ApproveApplicationRequest(decimal? ApprovedAmount) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("approvedAmount", ApprovedAmount) && errors.Money("approvedAmount", ApprovedAmount, ApplicationLimits.MaxAmount)
            && ApprovedAmount == 0)
        {
            errors.Add("approvedAmount", "More than 0.00 EUR.");
        }
    }
}

public sealed record RejectApplicationRequest(string? Reason) : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => errors.Text("reason", Reason, 2000);
}

public sealed record WithdrawApplicationRequest(string? Reason) : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => errors.Text("reason", Reason, 2000, required: false);
}

public sealed record ApplicationListQuery(Guid? SchoolId, string? Programme, string? Status, string? Category, int? Page, int? PageSize)
    : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        Paging.Validate(errors, Page, PageSize);
        if (Status is not null && !EnumText.TryParseName<ApplicationStatus>(Status, out _))
        {
            errors.Add("status", $"Use {string.Join(", ", Enum.GetValues<ApplicationStatus>().Select(EnumText.CamelName))}.");
        }

        if (Category is not null && !EnumText.TryParseName<SpendingCategory>(Category, out _))
        {
            errors.Add("category", $"Use {string.Join(", ", Enum.GetValues<SpendingCategory>().Select(EnumText.CamelName))}.");
        }

        errors.Text("programme", Programme, 60, required: false);
    }

    public IQueryable<FundingApplication> Apply(IQueryable<FundingApplication> applications)
    {
        if (SchoolId is { } school)
        {
            applications = applications.Where(a => a.SchoolId == school);
        }

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

public sealed record ProofOfUseResponse(DateOnly SubmittedOn, string DocumentReference, decimal SpentTotal);

public sealed record StatusChangeResponse(ApplicationStatus? From, ApplicationStatus To, DateOnly OnDay, DateTimeOffset At, string Actor, string? Note)
{
    public static StatusChangeResponse Of(ApplicationStatusChange c) => new(c.FromStatus, c.ToStatus, c.OnDay, c.At, c.Actor, c.Note);
}

/// <summary>An application as the API shows it: the surcharge apart from the planned amount, the total, and what is drawn and left.</summary>
public sealed record ApplicationResponse(Guid Id, string ProgrammeCode, Guid SchoolId, SpendingCategory Category, string Title, string? Description,
    decimal PlannedAmount, decimal SurchargeAmount, decimal PlannedTotal, decimal? ApprovedAmount, decimal DrawnAmount, decimal Remaining,
    DateOnly MeasureStart, string? ConceptReference, ApplicationStatus Status, bool FirstComeFirstServed, DateOnly? SubmittedOn, DateOnly? ApprovedOn,
    DateOnly? SettledOn, ProofOfUseResponse? ProofOfUse, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset UpdatedAt, string ETag,
    IReadOnlyList<StatusChangeResponse>? History)
{
    public static ApplicationResponse From(FundingApplication a, IReadOnlyList<ApplicationStatusChange>? history) =>
        new(a.Id, a.ProgrammeCode, a.SchoolId, a.Category, a.Title, a.Description, a.PlannedAmount, a.SurchargeAmount, a.PlannedTotal, a.ApprovedAmount,
            a.DrawnAmount, a.Remaining, a.MeasureStart, a.ConceptReference, a.Status, a.FirstComeFirstServed, a.SubmittedOn, a.ApprovedOn, a.SettledOn,
            a.ProofOfUseSubmittedOn is { } on ? new ProofOfUseResponse(on, a.ProofOfUseDocument!, a.ProofOfUseSpentTotal!.Value) : null,
            a.CreatedAt, a.CreatedBy, a.UpdatedAt, ETags.Format(a.Version), history?.Select(StatusChangeResponse.Of).ToList());
}
