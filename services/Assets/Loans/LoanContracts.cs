using System.ComponentModel.DataAnnotations;
using Mep.Assets.Devices;
using Mep.Contracts.Assets;
using Mep.Contracts.Schools;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;

namespace Mep.Assets.Loans;

/// <summary>The limits of the loans API's fields, declared once for the records below.</summary>
public static class LoanFields
{
    /// <summary>A class set, a cart or the end of the school year: up to 5,000 devices in one call, as the device registration takes.</summary>
    public const int MaxRows = 5_000;

    public const int MaxClassName = 20;
    public const int MaxVersion = 20;

    /// <summary>An accessory as schools write it: "charger", "case", "pen", "USB-C cable".</summary>
    public const string AccessoryPattern = @"^[\p{L}\p{N}][\p{L}\p{N} \-/]*$";

    public const string AccessoryExplanation = "Letters, digits, spaces, '-' and '/', starting with a letter or digit.";

    /// <summary>A class or group as schools name it: "5b", "Q1-Inf", "Förderkurs 2".</summary>
    public const string ClassNamePattern = @"^[\p{L}\p{N}][\p{L}\p{N} \-./]*$";

    private static readonly DateOnly FirstDay = new(1990, 1, 1);
    private static readonly DateOnly LastDay = new(2100, 12, 31);

    /// <summary>A loan's days lie between 1990 and 2100, as a device's do: a typo such as 9999-12-31 is refused, never counted on.</summary>
    public static void CheckDay(ValidationErrors errors, string field, DateOnly? day)
    {
        if (day is { } value && (value < FirstDay || value > LastDay))
        {
            errors.Add(field, "A day from 1990-01-01 to 2100-12-31.");
        }
    }
}

/// <param name="Template">The agreement's template as the school names it ("Leihvertrag Sofortausstattung").</param>
/// <param name="Version">The template's version ("2").</param>
/// <param name="SignedOn">The day the agreement was signed (on or before the hand-out).</param>
/// <param name="DamagePayer">Who pays for damage or loss: guardian, borrower, school, city or insurance; by default the guardians for a pupil, the teacher for themselves.</param>
public sealed record LoanAgreementRequest(
    [Required, MaxLength(Loan.MaxTextLength)] string? Template,
    [Required, MaxLength(LoanFields.MaxVersion)] string? Version,
    [Required] DateOnly? SignedOn,
    [EnumName<DamagePayer>] string? DamagePayer = null) : IRequestPart;

/// <summary>One device of a hand-out: named by serial number or id, and its borrower; the other fields override the call's defaults.</summary>
/// <param name="SerialNumber">The device's serial number (spaces removed, any case); or name it by deviceId.</param>
/// <param name="BorrowerKind">pupil or teacher.</param>
/// <param name="BorrowerReference">The borrower's pseudonymous reference ("P-7F3K2"): never a name or an e-mail address.</param>
/// <param name="GuardianReference">The pseudonymous reference of the guardian who signed for a pupil ("G-19AB"); none for a teacher.</param>
public sealed record LoanHandOutRow(
    [MaxLength(DeviceRow.MaxRawSerial)] string? SerialNumber,
    Guid? DeviceId,
    [Required, EnumName<BorrowerKind>] string? BorrowerKind,
    [Required, MaxLength(LoanReference.MaxLength), RegularExpression(LoanReference.Pattern, ErrorMessage = LoanReference.Rule)] string? BorrowerReference,
    [MaxLength(LoanReference.MaxLength), RegularExpression(LoanReference.Pattern, ErrorMessage = LoanReference.Rule)] string? GuardianReference = null,
    DateOnly? DueBack = null,
    [MaxLength(Loan.MaxAccessories), Items(MaxLength = Loan.MaxAccessoryLength, Pattern = LoanFields.AccessoryPattern,
        PatternExplanation = LoanFields.AccessoryExplanation)] IReadOnlyList<string>? Accessories = null,
    [EnumName<DeviceCondition>] string? Condition = null,
    LoanAgreementRequest? Agreement = null) : IRequestPart;

/// <summary>
/// A hand-out of one or more devices at one school (a class set, a cart to a class, a single loan): the call's lentOn, dueBack,
/// agreement, accessories and condition apply to every row that does not say otherwise.
/// </summary>
/// <param name="SchoolId">The school that lends (a school key: its own, may be left out).</param>
/// <param name="SchoolNumber">The school by its number instead of its id.</param>
/// <param name="ClassName">The class or group the devices go to ("5b").</param>
/// <param name="Accessories">Handed out with every device: "charger", "case", "pen", ...</param>
/// <param name="Condition">The devices' condition at hand-out: new, good, used, worn or damaged.</param>
/// <param name="Loans">1 to 5,000 devices and their borrowers; all are lent or none is.</param>
public sealed record LoanBatchRequest(
    Guid? SchoolId,
    [MaxLength(SchoolFields.NumberLength), SchoolNumber] string? SchoolNumber,
    [Required] DateOnly? LentOn,
    [Required] DateOnly? DueBack,
    [MaxLength(LoanFields.MaxClassName), RegularExpression(LoanFields.ClassNamePattern)] string? ClassName,
    [Required] LoanAgreementRequest? Agreement,
    [MaxLength(Loan.MaxAccessories), Items(MaxLength = Loan.MaxAccessoryLength, Pattern = LoanFields.AccessoryPattern,
        PatternExplanation = LoanFields.AccessoryExplanation)] IReadOnlyList<string>? Accessories,
    [Required, EnumName<DeviceCondition>] string? Condition,
    [Required, Length(1, LoanFields.MaxRows, ErrorMessage = "1 to 5000 loans.")] IReadOnlyList<LoanHandOutRow>? Loans) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        LoanFields.CheckDay(errors, "lentOn", LentOn);
        LoanFields.CheckDay(errors, "dueBack", DueBack);
        LoanFields.CheckDay(errors, "agreement.signedOn", Agreement?.SignedOn);
        for (var i = 0; i < (Loans?.Count ?? 0); i++)
        {
            if (Loans![i] is not { } row)
            {
                continue;
            }

            if ((row.SerialNumber is null) == (row.DeviceId is null))
            {
                errors.Add($"loans[{i}].serialNumber", "Name the device by serialNumber or by deviceId (one of them).");
            }

            LoanFields.CheckDay(errors, $"loans[{i}].dueBack", row.DueBack);
            LoanFields.CheckDay(errors, $"loans[{i}].agreement.signedOn", row.Agreement?.SignedOn);
        }
    }
}

/// <param name="LoanId">The loan; or name it by the serialNumber of its device.</param>
/// <param name="SerialNumber">The device that comes back (its loan that is out).</param>
/// <param name="Condition">new, good, used, worn or damaged; damaged when left out and damaged is true.</param>
/// <param name="Damaged">The device came back damaged.</param>
/// <param name="DamageNote">What is damaged ("Display gesprungen"); only for a damaged device. No names.</param>
/// <param name="MissingAccessories">The accessories handed out that did not come back.</param>
public sealed record LoanReturnRow(
    Guid? LoanId,
    [MaxLength(DeviceRow.MaxRawSerial)] string? SerialNumber,
    [EnumName<DeviceCondition>] string? Condition = null,
    bool? Damaged = null,
    [MaxLength(Loan.MaxNoteLength)] string? DamageNote = null,
    [MaxLength(Loan.MaxAccessories), Items(MaxLength = Loan.MaxAccessoryLength, Pattern = LoanFields.AccessoryPattern,
        PatternExplanation = LoanFields.AccessoryExplanation)] IReadOnlyList<string>? MissingAccessories = null) : IRequestPart;

/// <param name="ReturnedOn">The day the devices came back.</param>
/// <param name="Returns">1 to 5,000 loans; all are returned or none is.</param>
public sealed record LoanReturnsRequest(
    [Required] DateOnly? ReturnedOn,
    [Required, Length(1, LoanFields.MaxRows, ErrorMessage = "1 to 5000 returns.")] IReadOnlyList<LoanReturnRow>? Returns) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        LoanFields.CheckDay(errors, "returnedOn", ReturnedOn);
        for (var i = 0; i < (Returns?.Count ?? 0); i++)
        {
            if (Returns![i] is { } row && (row.LoanId is null) == (row.SerialNumber is null))
            {
                errors.Add($"returns[{i}].loanId", "Name the loan by loanId or by the serialNumber of its device (one of them).");
            }
        }
    }
}

/// <param name="DueBack">The new day the device is due back: later than now, within the programme's limit.</param>
public sealed record LoanExtensionRequest([Required] DateOnly? DueBack) : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => LoanFields.CheckDay(errors, "dueBack", DueBack);
}

/// <param name="Kind">lost or stolen.</param>
/// <param name="ReportedOn">The day the loss or theft was reported.</param>
public sealed record LoanLossRequest([Required, EnumName<LossKind>] string? Kind, [Required] DateOnly? ReportedOn) : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => LoanFields.CheckDay(errors, "reportedOn", ReportedOn);
}

/// <param name="ToSchoolNumber">The school the borrower moves to, by its number (a school key names it so).</param>
/// <param name="ToSchoolId">The school by id instead (staff).</param>
/// <param name="On">The day the borrower moves; the loan continues there from this day.</param>
public sealed record LoanTransferRequest(
    [MaxLength(SchoolFields.NumberLength), SchoolNumber] string? ToSchoolNumber,
    Guid? ToSchoolId,
    [Required] DateOnly? On) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (ToSchoolNumber is null && ToSchoolId is null)
        {
            errors.Add("toSchoolNumber", "Required (or toSchoolId).");
        }

        LoanFields.CheckDay(errors, "on", On);
    }
}

/// <summary>Filters of the loan list; a school key sees only its own school's loans.</summary>
/// <param name="SchoolId">Only this school's loans.</param>
/// <param name="SchoolNumber">Only the loans of the school with this number.</param>
/// <param name="State">out, returned, lost, stolen or transferredOut.</param>
/// <param name="Overdue">true: only loans out and due back before today (Berlin); false: only those that are not.</param>
/// <param name="BorrowerReference">One borrower's loans (the pseudonymous reference, any case).</param>
/// <param name="Programme">The programme that financed the device: digitalPaktBase, immediateEquipmentLoan, teacherLoanDevices, cityMepBudget.</param>
/// <param name="ClassName">One class's or group's loans ("5b").</param>
/// <param name="DeviceId">One device's loans.</param>
/// <param name="Page">Page number, from 1.</param>
/// <param name="PageSize">Items per page, 1 to 200 (default 50).</param>
public sealed record LoanListQuery(
    Guid? SchoolId,
    [MaxLength(SchoolFields.NumberLength), SchoolNumber] string? SchoolNumber,
    [EnumName<LoanState>] string? State,
    bool? Overdue,
    [MaxLength(LoanReference.MaxLength)] string? BorrowerReference,
    [EnumName<FundingSource>] string? Programme,
    [MaxLength(LoanFields.MaxClassName)] string? ClassName,
    Guid? DeviceId,
    [PageNumber] int? Page,
    [PageSize] int? PageSize) : IValidatableRequest;

/// <param name="GuardianReference">The guardian who signed for a pupil (pseudonymous); none for a teacher.</param>
public sealed record LoanAgreementResponse(
    [MaxLength(Loan.MaxTextLength)] string Template,
    [MaxLength(LoanFields.MaxVersion)] string Version,
    DateOnly SignedOn,
    [MaxLength(LoanReference.MaxLength)] string? GuardianReference,
    DamagePayer DamagePayer);

/// <summary>A loan as its school sees it. After a transfer the old school's loan shows only that it was transferred out, and the new
/// school's loan begins on the transfer day; neither names the other school.</summary>
/// <param name="Overdue">Out and due back before today (Berlin).</param>
public sealed record LoanResponse(
    Guid LoanId,
    Guid DeviceId,
    [MaxLength(SerialNumber.MaxLength)] string SerialNumber,
    Guid SchoolId,
    [MaxLength(SchoolFields.NumberLength)] string? SchoolNumber,
    [MaxLength(SchoolFields.MaxName)] string? SchoolName,
    FundingSource Programme,
    BorrowerKind BorrowerKind,
    [MaxLength(LoanReference.MaxLength)] string BorrowerReference,
    [MaxLength(LoanFields.MaxClassName)] string? ClassName,
    DateOnly LentOn,
    DateOnly DueBack,
    LoanState State,
    bool Overdue,
    LoanAgreementResponse Agreement,
    [MaxLength(Loan.MaxAccessories), Items(MaxLength = Loan.MaxAccessoryLength)] IReadOnlyList<string> Accessories,
    DeviceCondition ConditionAtHandOut,
    DateOnly? ReturnedOn,
    DeviceCondition? ConditionAtReturn,
    bool Damaged,
    [MaxLength(Loan.MaxNoteLength)] string? DamageNote,
    [MaxLength(Loan.MaxAccessories), Items(MaxLength = Loan.MaxAccessoryLength)] IReadOnlyList<string> MissingAccessories,
    DateOnly? LossReportedOn,
    DateOnly? TransferredOn,
    Guid? RepairCaseId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static LoanResponse From(Loan l, string serialNumber, KnownSchool? school, DateOnly today) => new(l.Id, l.DeviceId, serialNumber,
        l.SchoolId, school?.Number, school?.Name, l.Programme, l.BorrowerKind, l.BorrowerReference, l.ClassName, l.LentOn, l.DueBack, l.State,
        l.IsOverdue(today), new LoanAgreementResponse(l.AgreementTemplate, l.AgreementVersion, l.AgreementSignedOn, l.GuardianReference, l.DamagePayer),
        l.Accessories, l.ConditionAtHandOut, l.ReturnedOn, l.ConditionAtReturn, l.Damaged, l.DamageNote, l.MissingAccessories, l.LossReportedOn,
        l.TransferredOn, l.RepairCaseId, l.CreatedAt, l.UpdatedAt);
}

public sealed record LoanBatchResult([MaxLength(LoanFields.MaxRows)] IReadOnlyList<LoanResponse> Loans);

public sealed record LoanReturnsResult([Range(0, LoanFields.MaxRows)] int Returned, [MaxLength(LoanFields.MaxRows)] IReadOnlyList<LoanResponse> Loans);

/// <param name="MaxLoanDays">The longest a loan may run from the day it is lent; null where nobody may borrow.</param>
public sealed record LoanRuleResponse(
    FundingSource Programme, bool PupilsMayBorrow, bool TeachersMayBorrow, [Range(1, 36_600)] int? MaxLoanDays, [MaxLength(500)] string Note)
{
    public static LoanRuleResponse From(LoanProgrammeRule r) => new(r.Programme, r.PupilsMayBorrow, r.TeachersMayBorrow, r.MaxLoanDays, r.Note);
}

/// <param name="From">The period's first day (default: 1 August of the school year today is in).</param>
/// <param name="To">The period's last day (default: 31 July ending that school year).</param>
public sealed record LoanReportQuery(
    Guid? SchoolId,
    [MaxLength(SchoolFields.NumberLength), SchoolNumber] string? SchoolNumber,
    DateOnly? From,
    DateOnly? To) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        LoanFields.CheckDay(errors, "from", From);
        LoanFields.CheckDay(errors, "to", To);
        if (From is { } from && To is { } to && to < from)
        {
            errors.Add("to", "Cannot be before from.");
        }
    }
}
