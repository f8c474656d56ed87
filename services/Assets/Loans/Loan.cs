using System.Text.Json.Serialization;
using Mep.Assets.Devices;
using Mep.Contracts.Assets;
using Mep.Jobs;
using Mep.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Assets.Loans;

/// <summary>Where a loan stands. Only an <see cref="Out"/> loan changes; the others are how it ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LoanState>))]
public enum LoanState
{
    Out,
    Returned,
    Lost,
    Stolen,

    /// <summary>The borrower changed school and took the device along; the loan continues as a new loan at the new school.</summary>
    TransferredOut,
}

/// <summary>A device's condition as written on the agreement at hand-out and on the return slip.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeviceCondition>))]
public enum DeviceCondition
{
    New,
    Good,
    Used,
    Worn,
    Damaged,
}

/// <summary>Who the loan agreement makes pay for damage or loss.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DamagePayer>))]
public enum DamagePayer
{
    /// <summary>The pupil's guardians (who signed the agreement).</summary>
    Guardian,

    /// <summary>The borrower (a teacher, who signs for themselves).</summary>
    Borrower,

    School,
    City,
    Insurance,
}

/// <summary>Who borrows: a pupil (the guardians sign) or a teacher (signs for themselves), by pseudonymous reference.</summary>
public sealed record Borrower(BorrowerKind Kind, string Reference);

/// <summary>
/// The loan agreement (Leihvertrag / Nutzungsvereinbarung) the device is handed out under: the school's template and its version,
/// the day it was signed, the guardian who signed for a pupil, and who pays for damage or loss (the guardians for a pupil, the
/// teacher for themselves, when the agreement does not say otherwise).
/// </summary>
public sealed record LoanAgreement(string Template, string Version, DateOnly SignedOn, string? GuardianReference, DamagePayer? DamagePayer = null);

/// <summary>What is written on the hand-out: when, until when, to which class, with which accessories, in which condition.</summary>
public sealed record LoanHandOut(
    DateOnly LentOn, DateOnly DueBack, string? ClassName, IReadOnlyList<string> Accessories, DeviceCondition Condition, LoanAgreement Agreement);

/// <summary>The return slip: the day, the condition, damage and the accessories that did not come back.</summary>
public sealed record LoanReturn(DateOnly ReturnedOn, DeviceCondition? Condition, bool Damaged, string? DamageNote, IReadOnlyList<string> MissingAccessories);

/// <summary>
/// A device lent to a pupil or teacher of one school. The device's financing programme (<see cref="LoanProgrammeRule"/>) decides who may
/// borrow it and until when; a device is out on at most one loan at a time (a partial unique index backs <see cref="Lend"/>).
/// A borrower's change of school ends the loan here and starts a new one there (<see cref="TransferTo"/>): each school sees only its
/// own loan, and nothing on the new one names the old school.
/// </summary>
public sealed class Loan
{
    public const int MaxTextLength = 100;
    public const int MaxNoteLength = 500;
    public const int MaxAccessories = 20;
    public const int MaxAccessoryLength = 40;

    private Loan()
    {
    }

    public Guid Id { get; private set; }
    public Guid DeviceId { get; private set; }
    public Guid SchoolId { get; private set; }

    /// <summary>The programme that financed the device when it was lent (reports per programme read it here).</summary>
    public FundingSource Programme { get; private set; }

    public BorrowerKind BorrowerKind { get; private set; }
    public string BorrowerReference { get; private set; } = string.Empty;

    /// <summary>The class or group the device was handed out to ("5b"), if the school says.</summary>
    public string? ClassName { get; private set; }

    public DateOnly LentOn { get; private set; }

    /// <summary>
    /// The day the programme's limit counts from: <see cref="LentOn"/>, or for a loan continued after a transfer the day the borrower first
    /// got the device (a change of school does not restart the programme's term).
    /// </summary>
    public DateOnly TermStartedOn { get; private set; }
    public DateOnly DueBack { get; private set; }
    public LoanState State { get; private set; }

    public string AgreementTemplate { get; private set; } = string.Empty;
    public string AgreementVersion { get; private set; } = string.Empty;
    public DateOnly AgreementSignedOn { get; private set; }
    public string? GuardianReference { get; private set; }
    public DamagePayer DamagePayer { get; private set; }

    /// <summary>Handed out with the device: "charger", "case", ... (trimmed, lower case, each once).</summary>
    public List<string> Accessories { get; private set; } = [];

    public DeviceCondition ConditionAtHandOut { get; private set; }

    public DateOnly? ReturnedOn { get; private set; }
    public DeviceCondition? ConditionAtReturn { get; private set; }
    public bool Damaged { get; private set; }
    public string? DamageNote { get; private set; }
    public List<string> MissingAccessories { get; private set; } = [];

    /// <summary>The day a loss or theft was reported.</summary>
    public DateOnly? LossReportedOn { get; private set; }

    /// <summary>The day the borrower left for another school with the device.</summary>
    public DateOnly? TransferredOn { get; private set; }

    /// <summary>Support's repair case, when the device was lent as a replacement while the borrower's own is away for repair.</summary>
    public Guid? RepairCaseId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public uint Version { get; private set; }

    public Borrower Borrower => new(BorrowerKind, BorrowerReference);

    public LoanAgreement Agreement => new(AgreementTemplate, AgreementVersion, AgreementSignedOn, GuardianReference, DamagePayer);

    /// <summary>Out and due before today (the caller's Berlin day, <see cref="BerlinDay.Today(TimeProvider)"/>).</summary>
    public bool IsOverdue(DateOnly today) => State == LoanState.Out && DueBack < today;

    /// <summary>
    /// Lends <paramref name="device"/> to <paramref name="borrower"/> at the device's school. <paramref name="rule"/> is the rule of the
    /// device's programme (null when none is kept for it); <paramref name="deviceIsOut"/> whether the device is on another loan now;
    /// <paramref name="lastLoanEndedOn"/> the day its latest loan that ended did so (returned, lost or transferred), if it has one.
    /// </summary>
    public static Loan Lend(Guid id, Device device, LoanProgrammeRule? rule, bool deviceIsOut, Borrower borrower, LoanHandOut handOut,
        DateTimeOffset now, Guid? repairCaseId = null, DateOnly? lastLoanEndedOn = null)
    {
        if (device.Status is not (DeviceStatus.InService or DeviceStatus.Delivered))
        {
            throw new DomainRuleException("device-not-lendable",
                $"The device is {DeviceRules.Name(device.Status)}; only a device in service or delivered is lent.") { IsStateConflict = true, Field = "serialNumber" };
        }

        if (device.Kind is not (DeviceKind.Tablet or DeviceKind.ComputerRoomDevice))
        {
            // A board system's part or a switch is installed in a room; what goes home with a pupil or teacher is a tablet or a laptop.
            throw new DomainRuleException("device-not-lendable",
                $"A device of kind {DeviceRules.Name(device.Kind)} is installed in a room; only tablets and computer-room devices are lent.")
            {
                Field = "serialNumber",
            };
        }

        if (deviceIsOut)
        {
            throw new DomainRuleException("device-already-lent", "The device is already lent; it is returned before it is lent again.")
            {
                IsStateConflict = true, Field = "serialNumber",
            };
        }

        if (lastLoanEndedOn is { } ended && handOut.LentOn < ended)
        {
            // Two loans of one device over the same days would count it twice in the report and the proof of use.
            throw new DomainRuleException("lent-before-last-loan-ended",
                $"The device's last loan ended on {ended:yyyy-MM-dd}; it is lent again on or after that day.") { Field = "lentOn" };
        }

        if (device.Ownership == TabletOwnership.ParentFinancedPupil)
        {
            throw new DomainRuleException("device-not-lendable", "A parent-financed tablet belongs to its pupil; it is never lent.") { Field = "serialNumber" };
        }

        if (device.FundingSource is not { } programme)
        {
            throw new DomainRuleException("device-programme-unknown",
                "The device's financing programme is not recorded; record its fundingSource first, it decides who may borrow it.") { Field = "serialNumber" };
        }

        if (rule is null || rule.Programme != programme)
        {
            throw new DomainRuleException("device-not-lendable", $"No loan rule is kept for {DeviceRules.Name(programme)}; its devices are not lent.")
            {
                Field = "serialNumber",
            };
        }

        if (handOut.DueBack <= handOut.LentOn)
        {
            throw new DomainRuleException("due-back-not-after-lent", "dueBack must be after lentOn.") { Field = "dueBack" };
        }

        rule.Check(borrower.Kind, handOut.LentOn, handOut.DueBack);

        var loan = new Loan
        {
            Id = id,
            DeviceId = device.Id,
            SchoolId = device.SchoolId,
            Programme = programme,
            RepairCaseId = repairCaseId,
            CreatedAt = now,
        };
        loan.HandOut(borrower, handOut, now);
        return loan;
    }

    /// <summary>The device came back; refused unless the loan is out.</summary>
    public void Return(LoanReturn slip, DateTimeOffset now)
    {
        EnsureOut("returned");
        if (slip.ReturnedOn < LentOn)
        {
            throw new DomainRuleException("returned-before-lent", $"The loan began on {LentOn:yyyy-MM-dd}; it cannot end before.") { Field = "returnedOn" };
        }

        EnsureNotAfterToday(slip.ReturnedOn, now, "returned-after-today", "returnedOn");

        if (!slip.Damaged && !string.IsNullOrWhiteSpace(slip.DamageNote))
        {
            throw new DomainRuleException("damage-note-without-damage", "A damage note is for a device that came back damaged.") { Field = "damageNote" };
        }

        var missing = NormaliseAccessories(slip.MissingAccessories, "missingAccessories");
        if (missing.Except(Accessories, StringComparer.Ordinal).ToList() is { Count: > 0 } notHandedOut)
        {
            throw new DomainRuleException("missing-accessory-not-handed-out",
                $"Not handed out with this loan: {string.Join(", ", notHandedOut)}. Handed out: {(Accessories.Count > 0 ? string.Join(", ", Accessories) : "none")}.")
            {
                Field = "missingAccessories",
            };
        }

        State = LoanState.Returned;
        ReturnedOn = slip.ReturnedOn;
        ConditionAtReturn = slip.Condition ?? (slip.Damaged ? DeviceCondition.Damaged : null);
        Damaged = slip.Damaged;
        DamageNote = string.IsNullOrWhiteSpace(slip.DamageNote) ? null : slip.DamageNote.Trim();
        MissingAccessories = missing;
        UpdatedAt = now;
    }

    /// <summary>
    /// The device was lost or stolen: the loan ends so, and the device becomes lost (it leaves what Staffing and Funding count). Returns
    /// the device's status before, for its DeviceStatusChanged event.
    /// </summary>
    public DeviceStatus ReportLoss(LossKind kind, DateOnly reportedOn, Device device, DateTimeOffset now)
    {
        EnsureOut("reported lost");
        EnsureLoanOf(device);
        if (reportedOn < LentOn)
        {
            throw new DomainRuleException("loss-before-lent", $"The loan began on {LentOn:yyyy-MM-dd}; a loss is reported on or after it.") { Field = "reportedOn" };
        }

        EnsureNotAfterToday(reportedOn, now, "loss-reported-after-today", "reportedOn");

        var from = device.Status;
        device.ChangeStatus(DeviceStatus.Lost, now);
        State = kind == LossKind.Stolen ? LoanState.Stolen : LoanState.Lost;
        LossReportedOn = reportedOn;
        UpdatedAt = now;
        return from;
    }

    /// <summary>A later due date, after today and within what the device's programme allows from the day its term started.</summary>
    public void Extend(DateOnly dueBack, LoanProgrammeRule rule, DateTimeOffset now)
    {
        EnsureOut("extended");
        if (dueBack <= DueBack)
        {
            throw new DomainRuleException("extension-not-later", $"The loan is due back on {DueBack:yyyy-MM-dd}; an extension names a later day.")
            {
                Field = "dueBack",
            };
        }

        if (dueBack <= BerlinDay.Of(now))
        {
            // An overdue loan extended to a day already past would still be overdue: the new day lies ahead.
            throw new DomainRuleException("extension-not-after-today", $"An extension names a day after today ({BerlinDay.Of(now):yyyy-MM-dd}).")
            {
                Field = "dueBack",
            };
        }

        if (rule.Programme != Programme)
        {
            throw new ArgumentException("The rule of another programme.", nameof(rule));
        }

        rule.Check(BorrowerKind, TermStartedOn, dueBack);
        DueBack = dueBack;
        UpdatedAt = now;
    }

    /// <summary>
    /// The borrower changed school and keeps the device: this loan ends as transferred-out, the device moves to the new school (no room
    /// there yet), and the returned loan continues it there under the same agreement, due date and programme term, without its class (the
    /// new school assigns one) and without a trace of this school.
    /// </summary>
    public Loan TransferTo(Guid newLoanId, Guid toSchoolId, DateOnly on, Device device, DateTimeOffset now)
    {
        EnsureOut("transferred");
        EnsureLoanOf(device);
        if (toSchoolId == SchoolId)
        {
            throw new DomainRuleException("transfer-to-same-school", "The loan is already at this school.") { Field = "toSchoolNumber" };
        }

        if (on < LentOn)
        {
            throw new DomainRuleException("transfer-before-lent", $"The loan began on {LentOn:yyyy-MM-dd}; it moves on or after it.") { Field = "on" };
        }

        EnsureNotAfterToday(on, now, "transfer-after-today", "on");
        if (on >= DueBack)
        {
            throw new DomainRuleException("transfer-after-due-back",
                $"The loan is due back on {DueBack:yyyy-MM-dd}; after that the device is returned, not transferred (or extend the loan first).") { Field = "on" };
        }

        device.MoveTo(toSchoolId, null, now);
        State = LoanState.TransferredOut;
        TransferredOn = on;
        UpdatedAt = now;

        var continued = new Loan
        {
            Id = newLoanId,
            DeviceId = DeviceId,
            SchoolId = toSchoolId,
            Programme = Programme,
            CreatedAt = now,
        };
        continued.HandOut(Borrower, new LoanHandOut(on, DueBack, null, Accessories, ConditionAtHandOut, Agreement), now);
        continued.TermStartedOn = TermStartedOn;
        return continued;
    }

    /// <summary>Accessories as stored: trimmed, lower case, each once, at most <see cref="MaxAccessories"/>.</summary>
    public static List<string> NormaliseAccessories(IEnumerable<string>? accessories, string field)
    {
        var normalised = (accessories ?? []).Select(a => a.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        if (normalised.Count > MaxAccessories || normalised.Any(a => a.Length is 0 or > MaxAccessoryLength))
        {
            throw new DomainRuleException("accessories-invalid", $"At most {MaxAccessories} accessories of 1 to {MaxAccessoryLength} characters each.")
            {
                Field = field,
            };
        }

        return normalised;
    }

    private void HandOut(Borrower borrower, LoanHandOut handOut, DateTimeOffset now)
    {
        var agreement = handOut.Agreement;
        if (string.IsNullOrWhiteSpace(agreement.Template) || string.IsNullOrWhiteSpace(agreement.Version))
        {
            throw new DomainRuleException("agreement-incomplete", "The agreement names its template and version.") { Field = "agreement" };
        }

        if (agreement.SignedOn > handOut.LentOn)
        {
            throw new DomainRuleException("agreement-signed-after-hand-out", "The agreement is signed before or on the day the device is handed out.")
            {
                Field = "agreement.signedOn",
            };
        }

        string? guardian = null;
        if (borrower.Kind == BorrowerKind.Pupil)
        {
            // A replacement lent while the pupil's own device is away for repair is covered by that device's terms (its loan agreement or
            // the parents' contract), which a guardian signed already: no second signature is collected for it (Repairs/ReplacementLoans).
            guardian = agreement.GuardianReference is { } reference
                ? LoanReference.Checked(reference, "guardianReference")
                : RepairCaseId is not null ? null
                : throw new DomainRuleException("guardian-signature-required", "A pupil's agreement is signed by a guardian: name the guardianReference.")
                {
                    Field = "guardianReference",
                };
        }
        else if (agreement.GuardianReference is not null)
        {
            throw new DomainRuleException("guardian-for-teacher", "A teacher signs the agreement themselves; no guardianReference.") { Field = "guardianReference" };
        }

        BorrowerKind = borrower.Kind;
        BorrowerReference = LoanReference.Checked(borrower.Reference, "borrowerReference");
        ClassName = string.IsNullOrWhiteSpace(handOut.ClassName) ? null : handOut.ClassName.Trim();
        LentOn = handOut.LentOn;
        TermStartedOn = handOut.LentOn;
        DueBack = handOut.DueBack;
        State = LoanState.Out;
        AgreementTemplate = agreement.Template.Trim();
        AgreementVersion = agreement.Version.Trim();
        AgreementSignedOn = agreement.SignedOn;
        GuardianReference = guardian;
        DamagePayer = agreement.DamagePayer ?? (borrower.Kind == BorrowerKind.Pupil ? DamagePayer.Guardian : DamagePayer.Borrower);
        Accessories = NormaliseAccessories(handOut.Accessories, "accessories");
        ConditionAtHandOut = handOut.Condition;
        UpdatedAt = now;
    }

    /// <summary>
    /// A return, a loss or a transfer records what has happened (the device moves at once): a day after today is a typo (2072 for 2027),
    /// never a plan.
    /// </summary>
    private static void EnsureNotAfterToday(DateOnly day, DateTimeOffset now, string rule, string field)
    {
        if (day > BerlinDay.Of(now))
        {
            throw new DomainRuleException(rule, $"{field} is after today ({BerlinDay.Of(now):yyyy-MM-dd}); record what has happened.") { Field = field };
        }
    }

    private void EnsureOut(string what)
    {
        if (State != LoanState.Out)
        {
            throw new DomainRuleException("loan-not-out", $"The loan is {DeviceRules.Name(State)}; only a loan that is out can be {what}.") { IsStateConflict = true };
        }
    }

    private void EnsureLoanOf(Device device)
    {
        if (device.Id != DeviceId)
        {
            throw new ArgumentException("Not the device of this loan.", nameof(device));
        }
    }
}

internal sealed class LoanConfiguration : IEntityTypeConfiguration<Loan>
{
    public void Configure(EntityTypeBuilder<Loan> loan)
    {
        loan.ToTable("loans");
        loan.HasKey(l => l.Id);
        loan.Ignore(l => l.Borrower);
        loan.Ignore(l => l.Agreement);
        loan.HasOne<Device>().WithMany().HasForeignKey(l => l.DeviceId).OnDelete(DeleteBehavior.Restrict);
        // A device is out on one loan at a time; the database refuses a second even when two hand-outs race (Migrations/0003).
        loan.HasIndex(l => l.DeviceId, "ux_loans_device_id_out").IsUnique().HasFilter("state = 'Out'").HasDatabaseName("ux_loans_device_id_out");
        loan.HasIndex(l => l.DeviceId);
        loan.HasIndex(l => new { l.SchoolId, l.LentOn, l.Id });
        loan.HasIndex(l => new { l.SchoolId, l.State, l.DueBack });
        loan.HasIndex(l => new { l.SchoolId, l.BorrowerReference });
    }
}
