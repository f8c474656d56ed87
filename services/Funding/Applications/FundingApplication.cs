using Mep.Contracts.Schools;
using Mep.Funding.Programmes;
using Mep.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Funding.Applications;

/// <summary>Where an application (a funded measure) stands. Rejected and withdrawn are ends; settled is the end of a measure that ran.</summary>
public enum ApplicationStatus
{
    Draft,
    Submitted,
    Approved,
    InProgress,
    Completed,
    Settled,
    Rejected,
    Withdrawn,
}

/// <summary>
/// An application for funds from a programme: one measure of one school in one spending category. The planned amount is net; the
/// programme's safety surcharge is kept beside it, so that both are visible and the total is their sum. Every status change goes
/// through a behaviour method that refuses a transition the lifecycle does not have and records the day and who; the programme's rules
/// on the step (<see cref="Programme"/>) are judged in it, after the lifecycle and before anything changes.
/// </summary>
public sealed class FundingApplication
{
    private FundingApplication()
    {
    }

    public Guid Id { get; private set; }
    public string ProgrammeCode { get; private set; } = string.Empty;
    public Guid SchoolId { get; private set; }
    public SpendingCategory Category { get; private set; }
    public string Title { get; private set; } = string.Empty;
    public string? Description { get; private set; }
    public decimal PlannedAmount { get; private set; }
    public decimal SurchargeAmount { get; private set; }
    public decimal PlannedTotal => PlannedAmount + SurchargeAmount;
    public decimal? ApprovedAmount { get; private set; }
    public decimal DrawnAmount { get; private set; }

    /// <summary>The sum of the invoices recorded against it, kept with each invoice under the row lock: reports read it instead of every invoice.</summary>
    public decimal SpentAmount { get; private set; }
    public decimal Remaining => (ApprovedAmount ?? 0m) - DrawnAmount;
    public DateOnly MeasureStart { get; private set; }

    /// <summary>The school's requirement profile or media education concept this measure rests on (a document reference).</summary>
    public string? ConceptReference { get; private set; }
    public ApplicationStatus Status { get; private set; }

    /// <summary>Submitted after the authority's application deadline, in the first-come-first-served window without the authority's budget.</summary>
    public bool FirstComeFirstServed { get; private set; }
    public DateOnly? SubmittedOn { get; private set; }
    public DateOnly? ApprovedOn { get; private set; }
    public DateOnly? SettledOn { get; private set; }
    public DateOnly? ProofOfUseSubmittedOn { get; private set; }
    public string? ProofOfUseDocument { get; private set; }
    public decimal? ProofOfUseSpentTotal { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = string.Empty;
    public DateTimeOffset UpdatedAt { get; private set; }
    public uint Version { get; private set; }

    /// <summary>
    /// What the application can cost the programme at most: its approved amount once approved, before that its planned total (approval
    /// never exceeds it). Caps count this, so an approval can never push a school or the authority over a cap that held at submission.
    /// </summary>
    public decimal Committed => ApprovedAmount ?? PlannedTotal;

    public static FundingApplication Draft(Guid schoolId, ApplicationDraft draft, Programme programme, string actor, DateTimeOffset now)
    {
        programme.EnsureFundsMeasure(draft.Category, draft.MeasureStart);
        var application = new FundingApplication
        {
            Id = Guid.CreateVersion7(now), SchoolId = schoolId, ProgrammeCode = draft.ProgrammeCode, Status = ApplicationStatus.Draft,
            CreatedAt = now, CreatedBy = actor,
        };
        application.Apply(draft, programme.Rules.SafetySurchargeRate, now);
        return application;
    }

    /// <summary>Only a draft's content can change; once submitted it is what the Land decides on.</summary>
    public void EnsureRevisable() => Require("revise", ApplicationStatus.Draft);

    public void Revise(ApplicationDraft draft, Programme programme, DateTimeOffset now)
    {
        EnsureRevisable();
        programme.EnsureFundsMeasure(draft.Category, draft.MeasureStart);
        Apply(draft, programme.Rules.SafetySurchargeRate, now);
    }

    private void Apply(ApplicationDraft draft, decimal surchargeRate, DateTimeOffset now)
    {
        (Category, Title, Description, MeasureStart, ConceptReference) =
            (draft.Category, draft.Title, draft.Description, draft.MeasureStart, draft.ConceptReference);
        PlannedAmount = draft.PlannedAmount;
        SurchargeAmount = Money.Cents(draft.PlannedAmount * surchargeRate);
        UpdatedAt = now;
    }

    public ApplicationStatusChange Submit(Programme programme, SubmissionFacts facts, DateOnly today, string actor, DateTimeOffset now)
    {
        EnsureMayMoveTo(ApplicationStatus.Submitted);
        var firstComeFirstServed = programme.TakeSubmission(this, facts, today);
        var change = MoveTo(ApplicationStatus.Submitted, today, actor, now, firstComeFirstServed ? "firstComeFirstServed" : null);
        (SubmittedOn, FirstComeFirstServed) = (today, firstComeFirstServed);
        return change;
    }

    public ApplicationStatusChange Approve(decimal approvedAmount, Programme programme, DateOnly today, string actor, DateTimeOffset now)
    {
        EnsureMayMoveTo(ApplicationStatus.Approved);
        programme.EnsureApprovesOn(today);
        if (approvedAmount > PlannedTotal)
        {
            throw new DomainRuleException("approval-exceeds-planned-total",
                $"The approved amount {RuleText.Eur(approvedAmount)} is above the planned total {RuleText.Eur(PlannedTotal)} "
                + $"(planned {RuleText.Eur(PlannedAmount)} + surcharge {RuleText.Eur(SurchargeAmount)}).");
        }

        var change = MoveTo(ApplicationStatus.Approved, today, actor, now, $"approved {RuleText.Eur(approvedAmount)}");
        (ApprovedAmount, ApprovedOn) = (approvedAmount, today);
        return change;
    }

    public ApplicationStatusChange Reject(string reason, DateOnly today, string actor, DateTimeOffset now) =>
        MoveTo(ApplicationStatus.Rejected, today, actor, now, reason);

    public ApplicationStatusChange Withdraw(string? reason, DateOnly today, string actor, DateTimeOffset now)
    {
        if (Status == ApplicationStatus.Approved && DrawnAmount > 0)
        {
            throw new DomainRuleException("withdrawal-after-draw",
                $"{RuleText.Eur(DrawnAmount)} are already drawn for this application; it can no longer be withdrawn.") { IsStateConflict = true };
        }

        return MoveTo(ApplicationStatus.Withdrawn, today, actor, now,
            reason);
    }

    public ApplicationStatusChange Start(DateOnly today, string actor, DateTimeOffset now) =>
        MoveTo(ApplicationStatus.InProgress, today, actor, now, null);

    public ApplicationStatusChange Complete(DateOnly today, string actor, DateTimeOffset now) =>
        MoveTo(ApplicationStatus.Completed, today, actor, now, null);

    /// <summary>Closes a completed measure: by the programme's deadline, not before its proof of use, with what the programme needs.</summary>
    /// <param name="schoolConcept">The school's media education concept as Funding knows it; null when nothing is on record.</param>
    public ApplicationStatusChange Settle(Programme programme, MediaConceptStatus? schoolConcept, DateOnly settledOn, DateOnly today, string actor,
        DateTimeOffset now)
    {
        EnsureMayMoveTo(ApplicationStatus.Settled);
        programme.EnsureSettlesOn(settledOn, today);
        if (ProofOfUseSubmittedOn is { } proofOn && settledOn < proofOn)
        {
            throw new DomainRuleException("settlement-before-proof-of-use",
                $"The settlement is dated {RuleText.Day(settledOn)}, before the proof of use of {RuleText.Day(proofOn)}.");
        }

        if (programme.Rules.Settlement.ProofOfUseRequired && ProofOfUseSubmittedOn is null)
        {
            throw new DomainRuleException("settlement-needs-proof-of-use",
                $"{programme.Name} settles a measure after its proof of use; none is recorded for this application.");
        }

        programme.EnsureMediaConceptForSettlement(schoolConcept);
        var change = MoveTo(ApplicationStatus.Settled, settledOn, actor, now, null);
        SettledOn = settledOn;
        return change;
    }

    /// <summary>Whether money may be drawn: from approval until the measure is completed.</summary>
    public bool MayDraw => Status is ApplicationStatus.Approved or ApplicationStatus.InProgress or ApplicationStatus.Completed;

    /// <summary>Invoices come in while the measure runs; they may come before approval (a measure may start early at the authority's risk).</summary>
    public bool TakesInvoices => Status is ApplicationStatus.Submitted or ApplicationStatus.Approved or ApplicationStatus.InProgress
        or ApplicationStatus.Completed;

    /// <summary>
    /// Adds a draw (the caller holds the row lock): on an application that takes draws, dated from its approval to today, while the
    /// programme pays out, never above what remains of the approved amount.
    /// </summary>
    public void RecordDraw(decimal amount, DateOnly drawnOn, Programme programme, DateOnly today, DateTimeOffset now)
    {
        if (!MayDraw)
        {
            throw new DomainRuleException("draw-needs-approval",
                $"Money is drawn on approved applications until they are settled; this one is {Status.Name()}.");
        }

        if (drawnOn > today || (ApprovedOn is { } approvedOn && drawnOn < approvedOn))
        {
            throw new DomainRuleException("draw-outside-approval",
                $"A draw is dated from the approval ({RuleText.Day(ApprovedOn!.Value)}) to today ({RuleText.Day(today)}); "
                + $"this one is dated {RuleText.Day(drawnOn)}.");
        }

        programme.EnsurePaysOutOn(today);
        if (amount > Remaining)
        {
            throw new DomainRuleException("draw-exceeds-approved",
                $"{RuleText.Eur(amount)} is more than remains of the approved {RuleText.Eur(ApprovedAmount!.Value)}: "
                + $"{RuleText.Eur(DrawnAmount)} are drawn, {RuleText.Eur(Remaining)} remain.")
            {
                Extensions = new Dictionary<string, object?> { ["remaining"] = Remaining, ["approvedAmount"] = ApprovedAmount, ["drawnAmount"] = DrawnAmount },
            };
        }

        DrawnAmount += amount;
        UpdatedAt = now;
    }

    public void EnsureTakesInvoices()
    {
        if (!TakesInvoices)
        {
            throw new DomainRuleException("expenditure-application-not-open",
                $"Invoices are recorded against submitted, approved, running or completed applications; this one is {Status.Name()}.");
        }
    }

    /// <summary>An invoice is spent on its measure: tablets booked on a networking measure would slip past the mobile-device cap.</summary>
    public void EnsureInvoiceCategory(SpendingCategory category)
    {
        if (category != Category)
        {
            throw new DomainRuleException("expenditure-category-mismatch",
                $"This measure is for {Contracts.EnumText.CamelName(Category)}; an invoice for "
                + $"{Contracts.EnumText.CamelName(category)} belongs to a measure of that category.");
        }
    }

    /// <summary>Adds an invoice's amount; the caller holds the row lock and the invoice passed <see cref="EnsureTakesInvoices"/>.</summary>
    public void RecordSpending(decimal amount, DateTimeOffset now)
    {
        SpentAmount += amount;
        UpdatedAt = now;
    }

    public void RecordProofOfUse(DateOnly submittedOn, string documentReference, decimal spentTotal, DateTimeOffset now)
    {
        if (Status is not (ApplicationStatus.InProgress or ApplicationStatus.Completed))
        {
            throw new DomainRuleException("proof-of-use-needs-running-measure",
                $"A proof of use is submitted for a measure in progress or completed; this application is {Status.Name()}.") { IsStateConflict = true };
        }

        if (ApprovedOn is { } approvedOn && submittedOn < approvedOn)
        {
            throw new DomainRuleException("proof-of-use-before-approval",
                $"The proof of use is dated {RuleText.Day(submittedOn)}, before the approval on {RuleText.Day(approvedOn)}.");
        }

        // A proof of use that accounts for less than was drawn would settle money nobody accounted for.
        if (spentTotal < DrawnAmount)
        {
            throw new DomainRuleException("proof-of-use-below-drawn",
                $"The proof of use accounts for {RuleText.Eur(spentTotal)}, but {RuleText.Eur(DrawnAmount)} are drawn.");
        }

        (ProofOfUseSubmittedOn, ProofOfUseDocument, ProofOfUseSpentTotal, UpdatedAt) = (submittedOn, documentReference, spentTotal, now);
    }

    /// <summary>Refuses (409) a move the lifecycle does not have, before any rule about the move is judged.</summary>
    public void EnsureMayMoveTo(ApplicationStatus to)
    {
        if (!AllowedFrom[to].Contains(Status))
        {
            throw InvalidTransition(to.Name(), AllowedFrom[to]);
        }
    }

    private static readonly Dictionary<ApplicationStatus, ApplicationStatus[]> AllowedFrom = new()
    {
        [ApplicationStatus.Draft] = [],
        [ApplicationStatus.Submitted] = [ApplicationStatus.Draft],
        [ApplicationStatus.Approved] = [ApplicationStatus.Submitted],
        [ApplicationStatus.Rejected] = [ApplicationStatus.Submitted],
        [ApplicationStatus.Withdrawn] = [ApplicationStatus.Draft, ApplicationStatus.Submitted, ApplicationStatus.Approved],
        [ApplicationStatus.InProgress] = [ApplicationStatus.Approved],
        [ApplicationStatus.Completed] = [ApplicationStatus.InProgress],
        [ApplicationStatus.Settled] = [ApplicationStatus.Completed],
    };

    private void Require(string action, ApplicationStatus expected)
    {
        if (Status != expected)
        {
            throw InvalidTransition(action, [expected]);
        }
    }

    private ApplicationStatusChange MoveTo(ApplicationStatus to, DateOnly day, string actor, DateTimeOffset now, string? note)
    {
        EnsureMayMoveTo(to);

        var change = new ApplicationStatusChange(Id, Status, to, day, now, actor, note);
        (Status, UpdatedAt) = (to, now);
        return change;
    }

    private DomainRuleException InvalidTransition(string action, ApplicationStatus[] from) =>
        new("invalid-status-transition",
            $"The application is {Status.Name()}; '{action}' needs it to be {string.Join(" or ", from.Select(s => s.Name()))}.") { IsStateConflict = true };
}

/// <summary>What a submission is judged on besides the application and its programme, read while the application's row is locked.</summary>
/// <param name="MediaConcept">The school's media education concept as Funding knows it; null when nothing is on record.</param>
/// <param name="MobileDevices">What the programme's other mobile-device applications commit, read under the cap's lock; null where no cap applies.</param>
public sealed record SubmissionFacts(MediaConceptStatus? MediaConcept, MobileDeviceCommitments? MobileDevices);

/// <summary>The planned totals (approved amounts once approved) of mobile-device applications that count against the cap.</summary>
/// <param name="School">Of the application's school.</param>
/// <param name="Authority">Of every school of the authority.</param>
public sealed record MobileDeviceCommitments(decimal School, decimal Authority);

/// <summary>What a planner writes into a draft.</summary>
public sealed record ApplicationDraft(string ProgrammeCode, SpendingCategory Category, string Title, string? Description, decimal PlannedAmount,
    DateOnly MeasureStart, string? ConceptReference);

/// <summary>One step of an application's lifecycle, kept for good.</summary>
public sealed class ApplicationStatusChange
{
    private ApplicationStatusChange()
    {
    }

    internal ApplicationStatusChange(Guid applicationId, ApplicationStatus? from, ApplicationStatus to, DateOnly onDay, DateTimeOffset at, string actor,
        string? note) =>
        (ApplicationId, FromStatus, ToStatus, OnDay, At, Actor, Note) = (applicationId, from, to, onDay, at, actor, note);

    public long Id { get; private set; }
    public Guid ApplicationId { get; private set; }
    public ApplicationStatus? FromStatus { get; private set; }
    public ApplicationStatus ToStatus { get; private set; }
    public DateOnly OnDay { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string Actor { get; private set; } = string.Empty;
    public string? Note { get; private set; }
}

public static class ApplicationStatusNames
{
    /// <summary>The API's (and the events') name of a status: camelCase, as JSON shows enums.</summary>
    public static string Name(this ApplicationStatus status) => Contracts.EnumText.CamelName(status);
}

internal sealed class FundingApplicationConfiguration : IEntityTypeConfiguration<FundingApplication>
{
    public void Configure(EntityTypeBuilder<FundingApplication> application)
    {
        application.ToTable("applications");
        application.HasKey(a => a.Id);
        application.Property(a => a.PlannedAmount).HasPrecision(14, 2);
        application.Property(a => a.SurchargeAmount).HasPrecision(14, 2);
        application.Property(a => a.ApprovedAmount).HasPrecision(14, 2);
        application.Property(a => a.DrawnAmount).HasPrecision(14, 2);
        application.Property(a => a.SpentAmount).HasPrecision(14, 2);
        application.Property(a => a.ProofOfUseSpentTotal).HasPrecision(14, 2);
        application.Ignore(a => a.PlannedTotal);
        application.Ignore(a => a.Remaining);
        application.Ignore(a => a.Committed);
        application.Ignore(a => a.MayDraw);
        application.Ignore(a => a.TakesInvoices);
        application.HasIndex(a => new { a.SchoolId, a.Status });
        application.HasIndex(a => new { a.ProgrammeCode, a.Status, a.Category });
        application.HasIndex(a => a.Status);
        // The list: newest first, city-wide or per school.
        application.HasIndex(a => new { a.CreatedAt, a.Id });
        application.HasIndex(a => new { a.SchoolId, a.CreatedAt, a.Id });
        // The per-school report sums a programme's applications per school from this index alone (Migrations/0004).
        application.HasIndex(a => new { a.ProgrammeCode, a.SchoolId })
            .IncludeProperties(a => new { a.Status, a.PlannedAmount, a.ApprovedAmount, a.DrawnAmount, a.SpentAmount });
    }
}

internal sealed class ApplicationStatusChangeConfiguration : IEntityTypeConfiguration<ApplicationStatusChange>
{
    public void Configure(EntityTypeBuilder<ApplicationStatusChange> change)
    {
        change.ToTable("application_status_changes");
        change.HasKey(c => c.Id);
        change.Property(c => c.Id).UseIdentityAlwaysColumn();
        // Known to EF so that a new application is inserted before its first history row.
        // Named as in Migrations/0003: the snake_case convention names a foreign key after the principal's table as it was when the
        // key was configured (funding_application, before its configuration sets "applications"), and does not follow the rename.
        change.HasOne<FundingApplication>().WithMany().HasForeignKey(c => c.ApplicationId)
            .HasConstraintName("fk_application_status_changes_applications_application_id");
        change.HasIndex(c => new { c.ApplicationId, c.Id });
    }
}
