using System.ComponentModel.DataAnnotations;
using Mep.Contracts.Schools;
using Mep.Funding.Applications;
using Mep.Funding.Programmes;
using Mep.SchoolDirectory;
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

/// <param name="SchoolNumber">The school's number, from the school directory (null only while the directory does not know the school
/// yet).</param>
/// <param name="SchoolName">The school's name, from the school directory.</param>
public sealed record DrawResponse(
    Guid Id, Guid ApplicationId, Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string? SchoolNumber,
    [MaxLength(SchoolFields.MaxName)] string? SchoolName,
    [MaxLength(ProgrammeFields.MaxCode)] string ProgrammeCode, [Money(ApplicationLimits.MaxAmount)] decimal Amount, DateOnly DrawnOn,
    [MaxLength(DrawRequest.MaxReference)] string Reference, DateTimeOffset DrawnAt, [MaxLength(CallerClaims.MaxActorLength)] string DrawnBy)
{
    public static DrawResponse From(Draw d, KnownSchool? school) => new(d.Id, d.ApplicationId, d.SchoolId, school?.Number, school?.Name,
        d.ProgrammeCode, d.Amount, d.DrawnOn, d.Reference, d.DrawnAt, d.DrawnBy);
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

/// <param name="SchoolNumber">The school's number, from the school directory (null only while the directory does not know the school
/// yet).</param>
/// <param name="SchoolName">The school's name, from the school directory.</param>
public sealed record ExpenditureResponse(
    Guid Id, Guid ApplicationId, Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string? SchoolNumber,
    [MaxLength(SchoolFields.MaxName)] string? SchoolName,
    [MaxLength(ProgrammeFields.MaxCode)] string ProgrammeCode,
    [MaxLength(ExpenditureRequest.MaxVendor)] string Vendor, [MaxLength(ExpenditureRequest.MaxInvoiceNumber)] string InvoiceNumber,
    DateOnly InvoiceDate, [Money(ApplicationLimits.MaxAmount)] decimal Amount, SpendingCategory Category,
    [MaxLength(ExpenditureRequest.MaxLinks)] IReadOnlyList<Guid> DeviceIds, [MaxLength(ExpenditureRequest.MaxLinks)] IReadOnlyList<Guid> RolloutItemIds,
    DateTimeOffset RecordedAt, [MaxLength(CallerClaims.MaxActorLength)] string RecordedBy)
{
    public static ExpenditureResponse From(Expenditure e, KnownSchool? school) => new(e.Id, e.ApplicationId, e.SchoolId, school?.Number, school?.Name,
        e.ProgrammeCode, e.Vendor, e.InvoiceNumber, e.InvoiceDate, e.Amount, e.Category, e.DeviceIds, e.RolloutItemIds, e.RecordedAt, e.RecordedBy);
}

/// <param name="SchoolId">Only this school's invoices (a school key sees only its own school's anyway).</param>
/// <param name="SchoolNumber">Only the invoices of the school with this number (with schoolId, both must name the same school).</param>
public sealed record ExpenditureListQuery(
    Guid? SchoolId, [MaxLength(SchoolFields.NumberLength), SchoolNumber] string? SchoolNumber, [PageNumber] int? Page, [PageSize] int? PageSize)
    : IValidatableRequest;
