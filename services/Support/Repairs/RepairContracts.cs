using System.ComponentModel.DataAnnotations;
using Mep.Contracts.Schools;
using Mep.Contracts.Support;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;

namespace Mep.Support.Repairs;

public static class RepairFields
{
    public const int MaxDiagnosis = 4_000;
    public const int MaxVendor = 200;
    public const int MaxReason = 2_000;
    public const int MaxDescription = 2_000;
    public const int MaxMakeName = 200;
    public const int MaxModelWarranties = 1_000;
    public const double MaxCost = 100_000;

    /// <summary>
    /// The days a case is opened on lie here: the repeat flag and the budget's year are computed from that day, so a typo such as
    /// 0001-01-01 is refused rather than computed with (a year before it does not exist).
    /// </summary>
    public static readonly DateOnly FirstDay = new(1990, 1, 1);
    public static readonly DateOnly LastDay = new(2100, 12, 31);
}

/// <param name="DeviceId">The broken device, where the ticket does not name one; it must be the ticket's school's.</param>
/// <param name="Diagnosis">What is broken, as found.</param>
/// <param name="OpenedOn">The day the repair was found necessary (default: today, Berlin time), from 1990 on; warranties and the budget are judged on it.</param>
public sealed record OpenRepairRequest(
    Guid? DeviceId,
    [Required, MaxLength(RepairFields.MaxDiagnosis)] string? Diagnosis,
    DateOnly? OpenedOn) : IValidatableRequest
{
    void IValidatableRequest.Validate(ValidationErrors errors)
    {
        if (OpenedOn is { } day && (day < RepairFields.FirstDay || day > RepairFields.LastDay))
        {
            errors.Add("openedOn", "A day from 1990-01-01 to 2100-12-31.");
        }
    }
}

/// <param name="SentTo">The vendor or contractor the device went to (the parents' provider, the manufacturer, CSS).</param>
public sealed record SendRepairRequest([Required] DateOnly? SentOn, [Required, MaxLength(RepairFields.MaxVendor)] string? SentTo) : IValidatableRequest;

public sealed record RepairBackRequest([Required] DateOnly? BackOn) : IValidatableRequest;

/// <param name="Outcome">repaired (the device is back in service) or writtenOff (retired).</param>
public sealed record CloseRepairRequest([Required, EnumName<RepairOutcome>] string? Outcome, [Required] DateOnly? ClosedOn) : IValidatableRequest;

/// <param name="Payer">parentsProvider, manufacturerWarranty, sellerLiability, schoolSystemSupportBudget or city.</param>
/// <param name="Reason">Why the rules' payer does not apply (kept with the case and in the ticket's history).</param>
public sealed record RepairPayerRequest([Required, EnumName<RepairPayer>] string? Payer, [Required, MaxLength(RepairFields.MaxReason)] string? Reason)
    : IValidatableRequest;

/// <param name="Amount">EUR, more than 0, in whole cents.</param>
public sealed record RepairCostRequest(
    [Required, Money(RepairFields.MaxCost, Positive = true)] decimal? Amount,
    [Required, MaxLength(RepairFields.MaxDescription)] string? Description,
    [Required] DateOnly? IncurredOn) : IValidatableRequest;

/// <param name="StatutoryLiabilityMonths">The seller's statutory liability for defects from the purchase (Gewährleistung), in months.</param>
/// <param name="ModelWarranties">Every model's manufacturer warranty; replaces the whole table.</param>
public sealed record RepairTermsRequest(
    [Range(0, RepairTerms.MaxMonths)] int StatutoryLiabilityMonths,
    [MaxLength(RepairFields.MaxModelWarranties)] IReadOnlyList<ModelWarrantyTerm> ModelWarranties) : IValidatableRequest;

public sealed record ModelWarrantyTerm(
    [Required, MaxLength(RepairFields.MaxMakeName)] string Manufacturer,
    [Required, MaxLength(RepairFields.MaxMakeName)] string Model,
    [Range(1, RepairTerms.MaxMonths)] int WarrantyMonths) : IRequestPart;

public sealed record RepairTermsResponse(
    [Range(0, RepairTerms.MaxMonths)] int StatutoryLiabilityMonths, [MaxLength(RepairFields.MaxModelWarranties)] IReadOnlyList<ModelWarrantyTerm> ModelWarranties)
{
    public static RepairTermsResponse From(RepairTerms terms, IEnumerable<ModelWarranty> warranties) =>
        new(terms.StatutoryLiabilityMonths, [.. warranties.OrderBy(w => w.Manufacturer).ThenBy(w => w.Model)
            .Select(w => new ModelWarrantyTerm(w.Manufacturer, w.Model, w.WarrantyMonths))]);
}

/// <summary>Query of the repair list: all filters combine with AND. A school sees its own cases, a vendor those of its groups' tickets.</summary>
/// <param name="SchoolNumber">Cases of the school with this five-digit number (with schoolId, both must name the same school).</param>
/// <param name="Status">open, sent, back or closed.</param>
/// <param name="Payer">Cases this payer pays.</param>
/// <param name="RepeatRepair">true: cases flagged as a device's third repair within twelve months.</param>
/// <param name="OpenedFrom">Cases opened on or after this day.</param>
/// <param name="OpenedTo">Cases opened on or before this day.</param>
public sealed record RepairListQuery(
    Guid? SchoolId,
    [MaxLength(SchoolFields.NumberLength), SchoolNumber] string? SchoolNumber,
    Guid? DeviceId,
    [EnumName<RepairStatus>] string? Status,
    [EnumName<RepairPayer>] string? Payer,
    bool? RepeatRepair,
    DateOnly? OpenedFrom,
    DateOnly? OpenedTo,
    [PageNumber] int? Page,
    [PageSize] int? PageSize) : IValidatableRequest;

/// <summary>Query of the repair report: cases opened in the period (default: this calendar year up to today), of one school or all visible.</summary>
public sealed record RepairReportQuery(
    Guid? SchoolId,
    [MaxLength(SchoolFields.NumberLength), SchoolNumber] string? SchoolNumber,
    DateOnly? From,
    DateOnly? To) : IValidatableRequest
{
    void IValidatableRequest.Validate(ValidationErrors errors)
    {
        if (From is { } from && To is { } to && to < from)
        {
            errors.Add("to", "The period ends before it begins.");
        }
    }
}

/// <summary>A repair case as the API shows it, with its costs (amounts on the case and the contractor's hours on its ticket).</summary>
/// <param name="PayerRule">The rule that decided <paramref name="DecidedPayer"/>: parents-contract, device-warranty, model-warranty, seller-liability, school-budget or city.</param>
/// <param name="PayerRuleDate">The last day of the warranty or liability that decided, where one did.</param>
/// <param name="Payer">Who pays: the rules' payer, or the one an agent set instead (<paramref name="PayerOverrideReason"/>).</param>
/// <param name="RepeatRepair">The device's third repair (or more) within twelve months.</param>
/// <param name="DaysOutOfService">Days from sent to back, once back.</param>
/// <param name="CostToCity">What of the costs public money pays (the school's budget, the city); warranty and the parents' provider cost it nothing.</param>
public sealed record RepairCaseResponse(
    Guid Id, Guid TicketId, Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string? SchoolNumber, [MaxLength(SchoolFields.MaxName)] string? SchoolName,
    Guid DeviceId, [MaxLength(RepairFields.MaxMakeName)] string? DeviceSerial, [MaxLength(RepairFields.MaxMakeName)] string? Manufacturer,
    [MaxLength(RepairFields.MaxMakeName)] string? Model, [MaxLength(RepairFields.MaxDiagnosis)] string Diagnosis, RepairStatus Status,
    DateOnly OpenedOn, [MaxLength(CallerClaims.MaxActorLength)] string OpenedBy, RepairPayer DecidedPayer, [MaxLength(32)] string PayerRule,
    [MaxLength(RepairFields.MaxReason)] string PayerReason, DateOnly? PayerRuleDate, RepairPayer Payer,
    [MaxLength(CallerClaims.MaxActorLength)] string? PayerOverriddenBy, [MaxLength(RepairFields.MaxReason)] string? PayerOverrideReason,
    bool ReplacementWanted, Guid? ReplacementDeviceId, Guid? ReplacementLoanId, bool ReplacementUnavailable, DateOnly? ReplacementReturnedOn,
    DateOnly? SentOn, [MaxLength(RepairFields.MaxVendor)] string? SentTo, DateOnly? BackOn, DateOnly? ClosedOn, RepairOutcome? Outcome,
    bool RepeatRepair, [Range(0, 100_000)] int? DaysOutOfService, [MaxLength(10_000)] IReadOnlyList<RepairCostLine> Costs, decimal CostTotal,
    decimal CostToCity)
{
    public static RepairCaseResponse From(RepairCase r, KnownSchool? school, string? serial, IEnumerable<RepairCostLine> costs)
    {
        var lines = costs.ToList();
        return new(r.Id, r.TicketId, r.SchoolId, school?.Number, school?.Name, r.DeviceId, serial, r.Manufacturer, r.Model, r.Diagnosis, r.Status,
            r.OpenedOn, r.OpenedBy, r.DecidedPayer, r.PayerRule, r.PayerReason, r.PayerRuleDate, r.Payer, r.PayerOverriddenBy, r.PayerOverrideReason,
            r.ReplacementWanted, r.ReplacementDeviceId, r.ReplacementLoanId, r.ReplacementUnavailable, r.ReplacementReturnedOn, r.SentOn, r.SentTo,
            r.BackOn, r.ClosedOn, r.Outcome, r.RepeatRepair, r.DaysOutOfService, lines, lines.Sum(l => l.Amount),
            lines.Where(l => RepairPayers.IsCityMoney(l.Payer)).Sum(l => l.Amount));
    }
}
