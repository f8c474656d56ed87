using System.Globalization;
using Mep.Contracts.Schools;
using Mep.Funding.Allocations;
using Mep.Funding.Applications;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Domain;
using Mep.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Funding.Programmes;

/// <summary>
/// A funding programme (DigitalPakt 2019-2024 Lower Saxony, the supplementary programmes, DigitalPakt 2.0, the city's budgets) with its
/// rules as data, and the decisions those rules make: what it funds, until when it takes, approves, pays out and settles, its caps and
/// which of its pots may move. Each refusal is a <see cref="DomainRuleException"/> named for its rule. The rules are data
/// (<see cref="ProgrammeRules"/>): a Land that changes a date or a cap changes data, not this code.
/// </summary>
public sealed class Programme
{
    private Programme()
    {
    }

    /// <summary>Stable code, e.g. "digitalpakt-2019-ni".</summary>
    public string Code { get; private set; } = string.Empty;
    public string Name { get; private set; } = string.Empty;
    public ProgrammeKind Kind { get; private set; }

    /// <summary>Where the rules come from (guideline, council paper), for the auditor.</summary>
    public string Source { get; private set; } = string.Empty;
    public ProgrammeRules Rules { get; private set; } = null!;
    public DateTimeOffset UpdatedAt { get; private set; }
    public string UpdatedBy { get; private set; } = string.Empty;
    public uint Version { get; private set; }

    /// <exception cref="Mep.ServiceDefaults.Errors.DomainRuleException">A date of the rules lies outside the calculation window.</exception>
    public void ChangeRules(string name, string source, ProgrammeRules rules, string actor, DateTimeOffset now)
    {
        // Deadlines, eligibility and the ledger's warnings are computed from these dates.
        CalculationWindow.Ensure("rules.dates.measuresFrom", rules.Dates.MeasuresFrom);
        CalculationWindow.Ensure("rules.dates.measuresUntil", rules.Dates.MeasuresUntil);
        CalculationWindow.Ensure("rules.dates.applicationsUntil", rules.Dates.ApplicationsUntil);
        CalculationWindow.Ensure("rules.dates.firstComeFirstServedUntil", rules.Dates.FirstComeFirstServedUntil);
        CalculationWindow.Ensure("rules.dates.approvalsUntil", rules.Dates.ApprovalsUntil);
        CalculationWindow.Ensure("rules.dates.settlementUntil", rules.Dates.SettlementUntil);
        CalculationWindow.Ensure("rules.mobileDeviceCap.eligibleFrom", rules.MobileDeviceCap?.EligibleFrom);
        (Name, Source, Rules, UpdatedBy, UpdatedAt) = (name, source, rules, actor, now);
    }

    /// <summary>The migrations define the real programmes; this builds one with the same checks, to judge rules without a database.</summary>
    internal static Programme Define(string code, ProgrammeKind kind, string name, string source, ProgrammeRules rules, string actor,
        DateTimeOffset now)
    {
        var programme = new Programme { Code = code, Kind = kind };
        programme.ChangeRules(name, source, rules, actor, now);
        return programme;
    }

    /// <summary>What a draft's content must meet, whenever it is written: a category funded here, a measure started in the programme's time.</summary>
    public void EnsureFundsMeasure(SpendingCategory category, DateOnly measureStart)
    {
        if (!Rules.EligibleCategories.Contains(category))
        {
            throw new DomainRuleException("category-not-eligible",
                $"{Name} does not fund {Contracts.EnumText.CamelName(category)}; it funds "
                + $"{string.Join(", ", Rules.EligibleCategories.Select(Contracts.EnumText.CamelName))}.");
        }

        if (measureStart < Rules.Dates.MeasuresFrom)
        {
            throw new DomainRuleException("measure-started-too-early",
                $"{Name} funds measures started on or after {RuleText.Day(Rules.Dates.MeasuresFrom)}; this one started on {RuleText.Day(measureStart)}.")
            {
                Extensions = new Dictionary<string, object?> { ["measuresFrom"] = Rules.Dates.MeasuresFrom },
            };
        }

        if (category == SpendingCategory.MobileDevices && Rules.MobileDeviceCap?.EligibleFrom is { } eligibleFrom && measureStart < eligibleFrom)
        {
            throw new DomainRuleException("mobile-devices-not-yet-eligible",
                $"Mobile devices are eligible in {Name} for measures started on or after {RuleText.Day(eligibleFrom)}; this one started on {RuleText.Day(measureStart)}.")
            {
                Extensions = new Dictionary<string, object?> { ["eligibleFrom"] = eligibleFrom },
            };
        }
    }

    /// <summary>An invoice is paid from the programme only in a category it funds.</summary>
    public void EnsureFunds(SpendingCategory category)
    {
        if (!Rules.EligibleCategories.Contains(category))
        {
            throw new DomainRuleException("category-not-eligible", $"{Name} does not fund {Contracts.EnumText.CamelName(category)}.");
        }
    }

    /// <summary>Whether applications in the category count against the mobile-device cap (tablets and laptops, where a cap is set).</summary>
    public bool CapsMobileDevices(SpendingCategory category) => category == SpendingCategory.MobileDevices && Rules.MobileDeviceCap is not null;

    /// <summary>
    /// Whether the programme takes the application's submission today: its deadline (the first-come-first-served window's end where
    /// there is one), the school's requirement profile where the programme asks for it, and the mobile-device cap.
    /// </summary>
    /// <returns>Whether the submission falls into the first-come-first-served window after the authority's own deadline.</returns>
    public bool TakeSubmission(FundingApplication application, SubmissionFacts facts, DateOnly today)
    {
        var dates = Rules.Dates;
        if ((dates.FirstComeFirstServedUntil ?? dates.ApplicationsUntil) is { } lastDay && today > lastDay)
        {
            throw new DomainRuleException("application-deadline", $"{Name} took applications until {RuleText.Day(lastDay)}; today is {RuleText.Day(today)}.")
            {
                Extensions = new Dictionary<string, object?> { ["deadline"] = lastDay },
            };
        }

        if (Rules.Settlement.RequirementProfileToApply && facts.MediaConcept is null or MediaConceptStatus.None)
        {
            throw new DomainRuleException("application-needs-requirement-profile",
                $"{Name} takes applications from schools with at least a requirement profile of their media education concept; "
                + "this school has none on record.");
        }

        if (CapsMobileDevices(application.Category))
        {
            EnsureWithinMobileDeviceCap(application.Committed, facts.MobileDevices
                ?? throw new InvalidOperationException("A mobile-device submission is judged without what the cap already holds."));
        }

        return dates.ApplicationsUntil is { } budgetDeadline && today > budgetDeadline;
    }

    /// <param name="adding">What the submitted application commits (its planned total with surcharge).</param>
    private void EnsureWithinMobileDeviceCap(decimal adding, MobileDeviceCommitments committed)
    {
        var cap = Rules.MobileDeviceCap!;
        if (committed.School + adding > cap.PerSchool)
        {
            throw new DomainRuleException("mobile-device-cap-per-school",
                $"Mobile devices may take at most {RuleText.Eur(cap.PerSchool)} per school in {Name}; this school has {RuleText.Eur(committed.School)} applied for, "
                + $"and this application adds {RuleText.Eur(adding)} (planned total with surcharge).")
            {
                Extensions = new Dictionary<string, object?> { ["cap"] = cap.PerSchool, ["committed"] = committed.School, ["requested"] = adding },
            };
        }

        if (Rules.Pool is { } pool)
        {
            var authorityCap = Money.Cents(cap.ShareOfPool * pool);
            if (committed.Authority + adding > authorityCap)
            {
                throw new DomainRuleException("mobile-device-cap-per-authority",
                    $"Mobile devices may take at most {RuleText.Eur(authorityCap)} ({(cap.ShareOfPool * 100).ToString("0.##", CultureInfo.InvariantCulture)} % of the pool) in {Name}; "
                    + $"{RuleText.Eur(committed.Authority)} are applied for, and this application adds {RuleText.Eur(adding)}.")
                {
                    Extensions = new Dictionary<string, object?> { ["cap"] = authorityCap, ["committed"] = committed.Authority, ["requested"] = adding },
                };
            }
        }
    }

    public void EnsureApprovesOn(DateOnly today)
    {
        if (Rules.Dates.ApprovalsUntil is { } lastDay && today > lastDay)
        {
            throw new DomainRuleException("approval-deadline", $"{Name} approves applications until {RuleText.Day(lastDay)}; today is {RuleText.Day(today)}.")
            {
                Extensions = new Dictionary<string, object?> { ["deadline"] = lastDay },
            };
        }
    }

    public void EnsurePaysOutOn(DateOnly today)
    {
        if (Rules.Dates.SettlementUntil is { } lastDay && today > lastDay)
        {
            throw new DomainRuleException("draw-after-settlement-deadline", $"{Name} pays out until its settlement day, {RuleText.Day(lastDay)}.")
            {
                Extensions = new Dictionary<string, object?> { ["deadline"] = lastDay },
            };
        }
    }

    /// <summary>What the programme needs of a settlement dated <paramref name="settledOn"/> besides the proof of use: its deadline.</summary>
    public void EnsureSettlesOn(DateOnly settledOn, DateOnly today)
    {
        // Judged on the day it is recorded as well as the day it names: a settlement backdated after the deadline is still late.
        if (Rules.Dates.SettlementUntil is { } lastDay && (settledOn > lastDay || today > lastDay))
        {
            throw new DomainRuleException("settlement-deadline",
                $"{Name} settles measures until {RuleText.Day(lastDay)}; this settlement is dated {RuleText.Day(settledOn)} "
                + $"and recorded on {RuleText.Day(today)}.")
            {
                Extensions = new Dictionary<string, object?> { ["deadline"] = lastDay },
            };
        }
    }

    /// <param name="concept">The school's media education concept as Funding knows it; null when nothing is on record.</param>
    public void EnsureMediaConceptForSettlement(MediaConceptStatus? concept)
    {
        if (Rules.Settlement.FullMediaConceptRequired && concept != MediaConceptStatus.FullConcept)
        {
            throw new DomainRuleException("settlement-needs-media-concept",
                $"{Name} settles a measure once the school's full media education concept is there; the school has "
                + $"{(concept is { } status ? Contracts.EnumText.CamelName(status) : "none on record")}.");
        }
    }

    /// <summary>The per-pupil share to distribute; refused when the programme has none.</summary>
    public PerPupilShareRule RequirePerPupilShare() => Rules.PerPupilShare
        ?? throw new DomainRuleException("programme-without-per-pupil-share", $"Programme {Code} has no per-pupil share to distribute.");

    /// <summary>Whether money of the pot may move from one school to another: a base amount bound to its school may not.</summary>
    public void EnsureMovable(AllocationPot pot)
    {
        switch (pot)
        {
            case AllocationPot.Base when Rules.BaseAmount is null:
                throw new DomainRuleException("programme-without-base-amount", $"Programme {Code} has no base amount to move.");
            case AllocationPot.Base when Rules.BaseAmount.BoundToSchool:
                throw new DomainRuleException("base-amount-bound-to-school",
                    $"The base amount of {Code} is bound to its school: it cannot move to another school (unspent base returns "
                    + "to the Land). Move per-pupil share instead.");
            case AllocationPot.PerPupilShare:
                RequirePerPupilShare();
                break;
        }
    }
}

internal sealed class ProgrammeConfiguration : IEntityTypeConfiguration<Programme>
{
    public void Configure(EntityTypeBuilder<Programme> programme)
    {
        programme.ToTable("programmes");
        programme.HasKey(p => p.Code);
        programme.Property(p => p.Rules).IsJsonColumn();
    }
}
