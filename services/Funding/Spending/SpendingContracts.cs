using System.ComponentModel.DataAnnotations;
using Mep.Funding.Applications;
using Mep.Funding.Programmes;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Spending;

public sealed record DrawRequest(
    [Required, Money(ApplicationLimits.MaxAmount, Positive = true)] decimal? Amount, [Required] DateOnly? DrawnOn,
    [Required, MaxLength(DrawRequest.MaxReference)] string? Reference) : IValidatableRequest
{
    public const int MaxReference = 100;
}

public sealed record DrawResponse(
    Guid Id, Guid ApplicationId, Guid SchoolId, [MaxLength(ProgrammeFields.MaxCode)] string ProgrammeCode, [Money(ApplicationLimits.MaxAmount)] decimal Amount,
    DateOnly DrawnOn, [MaxLength(DrawRequest.MaxReference)] string Reference, DateTimeOffset DrawnAt, [MaxLength(CallerClaims.MaxActorLength)] string DrawnBy)
{
    public static DrawResponse From(Draw d) => new(d.Id, d.ApplicationId, d.SchoolId, d.ProgrammeCode, d.Amount, d.DrawnOn, d.Reference, d.DrawnAt,
        d.DrawnBy);
}

/// <summary>A draw with what it leaves on its application.</summary>
public sealed record DrawResult(DrawResponse Draw, decimal ApprovedAmount, decimal DrawnTotal, decimal Remaining);

public sealed record ExpenditureRequest(
    [Required, MaxLength(ExpenditureRequest.MaxVendor)] string? Vendor,
    [Required, MaxLength(ExpenditureRequest.MaxInvoiceNumber)] string? InvoiceNumber,
    [Required] DateOnly? InvoiceDate,
    [Required, Money(ApplicationLimits.MaxAmount, Positive = true)] decimal? Amount,
    [Required] SpendingCategory? Category,
    [MaxLength(ExpenditureRequest.MaxLinks, ErrorMessage = "At most 2000 ids.")] IReadOnlyList<Guid>? DeviceIds,
    [MaxLength(ExpenditureRequest.MaxLinks, ErrorMessage = "At most 2000 ids.")] IReadOnlyList<Guid>? RolloutItemIds) : IValidatableRequest
{
    /// <summary>An invoice for a class set of tablets lists a few hundred devices; thousands are a mistake, not an invoice.</summary>
    public const int MaxLinks = 2_000;

    public const int MaxVendor = 200;
    public const int MaxInvoiceNumber = 100;

    public void Validate(ValidationErrors errors)
    {
        NoEmptyId(errors, "deviceIds", DeviceIds);
        NoEmptyId(errors, "rolloutItemIds", RolloutItemIds);
    }

    private static void NoEmptyId(ValidationErrors errors, string field, IReadOnlyList<Guid>? ids)
    {
        if (ids is not null && ids.Contains(Guid.Empty))
        {
            errors.Add(field, "The empty id is not an id.");
        }
    }
}

public sealed record ExpenditureResponse(
    Guid Id, Guid ApplicationId, Guid SchoolId, [MaxLength(ProgrammeFields.MaxCode)] string ProgrammeCode,
    [MaxLength(ExpenditureRequest.MaxVendor)] string Vendor, [MaxLength(ExpenditureRequest.MaxInvoiceNumber)] string InvoiceNumber,
    DateOnly InvoiceDate, [Money(ApplicationLimits.MaxAmount)] decimal Amount, SpendingCategory Category,
    [MaxLength(ExpenditureRequest.MaxLinks)] IReadOnlyList<Guid> DeviceIds, [MaxLength(ExpenditureRequest.MaxLinks)] IReadOnlyList<Guid> RolloutItemIds,
    DateTimeOffset RecordedAt, [MaxLength(CallerClaims.MaxActorLength)] string RecordedBy)
{
    public static ExpenditureResponse From(Expenditure e) => new(e.Id, e.ApplicationId, e.SchoolId, e.ProgrammeCode, e.Vendor, e.InvoiceNumber,
        e.InvoiceDate, e.Amount, e.Category, e.DeviceIds, e.RolloutItemIds, e.RecordedAt, e.RecordedBy);
}

public sealed record ExpenditureListQuery(Guid? SchoolId, [PageNumber] int? Page, [PageSize] int? PageSize) : IValidatableRequest;
