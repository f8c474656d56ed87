using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Mep.Contracts;
using Mep.ServiceDefaults.Validation;

namespace Mep.Funding.Programmes;

/// <summary>What money may be spent on. A programme lists the categories it funds; DigitalPakt funds no running costs, support or maintenance.</summary>
public enum SpendingCategory
{
    /// <summary>Networking in buildings and grounds (servers only under conditions).</summary>
    Networking,
    SchoolWlan,

    /// <summary>Learning platforms, portals, cloud offers.</summary>
    LearningPlatforms,

    /// <summary>Display and interaction devices: interactive boards, displays and their controllers.</summary>
    DisplayDevices,

    /// <summary>Digital work devices (science, vocational).</summary>
    WorkDevices,

    /// <summary>Tablets and laptops; capped in DigitalPakt 2019-2024.</summary>
    MobileDevices,

    /// <summary>IT administration staff and contractors (the administration programme).</summary>
    ItAdministration,
    RunningCosts,
    Support,
    Maintenance,
}

/// <summary>What kind of money a programme is.</summary>
public enum ProgrammeKind
{
    DigitalPakt,
    Supplementary,
    CityBudget,
    SystemSupport,
}

/// <summary>
/// A programme's rules as data (docs/domain.md: a programme's rules are data, not code): rates, pools, the base amount rule, the per-pupil share,
/// eligible categories, the mobile-device cap, deadlines, and what settlement needs. Changing a Land's rules is an edit, not a release.
/// Value-typed fields are required in JSON: a missing one would read as 0 or false and could, say, switch off a settlement rule or
/// unbind base money (<c>"settlement": {}</c>); a body without them is a 400.
/// </summary>
/// <param name="FundingRate">Share of an eligible measure's cost the programme pays (1.00 in Lower Saxony).</param>
/// <param name="OwnShareRate">The school authority's own share (0 in Lower Saxony; other Länder require one).</param>
/// <param name="Financiers">Who pays the funded part, e.g. federal 0.90 and Land 0.10; the shares add up to 1.</param>
/// <param name="Pool">The authority's total in this programme, when it has one (Hannover's DigitalPakt share: 20,186,836.00 EUR).</param>
/// <param name="SafetySurchargeRate">Surcharge every planned amount carries, shown apart (council paper: 20 %).</param>
/// <param name="PublishedFigures">Figures as sources print them, shown with their difference to what the rules compute.</param>
public sealed record ProgrammeRules(
    [property: JsonRequired] decimal FundingRate,
    [property: JsonRequired] decimal OwnShareRate,
    [Required, MaxLength(ProgrammeRules.MaxFinanciers)] IReadOnlyList<Financier> Financiers,
    decimal? Pool,
    BaseAmountRule? BaseAmount,
    PerPupilShareRule? PerPupilShare,
    [Required, MaxLength(ProgrammeRules.MaxCategories)] IReadOnlyList<SpendingCategory> EligibleCategories,
    MobileDeviceCap? MobileDeviceCap,
    [Required] ProgrammeDates Dates,
    [property: JsonRequired] decimal SafetySurchargeRate,
    [Required] SettlementRule Settlement,
    [Required, MaxLength(ProgrammeRules.MaxWarnings)] IReadOnlyList<int> WarningDaysBeforeDeadline,
    [Required, MaxLength(ProgrammeRules.MaxPublishedFigures)] IReadOnlyList<PublishedFigure> PublishedFigures,
    [MaxLength(ProgrammeFields.MaxNote)] string? Note)
{
    public const int MaxFinanciers = 10;

    /// <summary>Every spending category at most once.</summary>
    public const int MaxCategories = 20;

    public const int MaxWarnings = 20;
    public const int MaxPublishedFigures = 50;

    public void Validate(ValidationErrors errors, string at)
    {
        Rate(errors, $"{at}.fundingRate", FundingRate);
        Rate(errors, $"{at}.ownShareRate", OwnShareRate);
        Rate(errors, $"{at}.safetySurchargeRate", SafetySurchargeRate);

        // Missing lists, null entries and texts are reported by the declared rules.
        if (Financiers is not null && Financiers.All(f => f is not null))
        {
            for (var i = 0; i < Financiers.Count; i++)
            {
                Rate(errors, $"{at}.financiers[{i}].share", Financiers[i].Share);
            }

            if (Financiers.Count > 0 && Financiers.Sum(f => f.Share) != 1m)
            {
                errors.Add($"{at}.financiers", "The shares add up to 1.");
            }
        }

        errors.Money($"{at}.pool", Pool, 100_000_000_000m);
        BaseAmount?.Validate(errors, $"{at}.baseAmount");
        PerPupilShare?.Validate(errors, $"{at}.perPupilShare");
        if (EligibleCategories is { Count: 0 })
        {
            errors.Add($"{at}.eligibleCategories", "At least one category.");
        }

        MobileDeviceCap?.Validate(errors, $"{at}.mobileDeviceCap");
        Dates?.Validate(errors, $"{at}.dates");
        if (WarningDaysBeforeDeadline is not null && WarningDaysBeforeDeadline.Any(d => d is < 1 or > 730))
        {
            errors.Add($"{at}.warningDaysBeforeDeadline", "Days from 1 to 730.");
        }
    }

    internal static void Rate(ValidationErrors errors, string field, decimal rate)
    {
        if (rate is < 0 or > 1 || decimal.Round(rate, 4) != rate)
        {
            errors.Add(field, "A share from 0 to 1 with at most four decimal places.");
        }
    }
}

public sealed record Financier([Required, MaxLength(100)] string Name, [property: JsonRequired] decimal Share);

/// <summary>
/// The DigitalPakt base amount (Sockelbetrag) per school: <see cref="PerSchool"/> for schools with <see cref="MinimumPupils"/> or more,
/// otherwise <see cref="PerPupilBelowMinimum"/> per pupil; bound to its school when <see cref="BoundToSchool"/>.
/// </summary>
/// <param name="PupilsOfStartYear">Whose pupils count: the school year starting in this year (2019 is 2019/20).</param>
public sealed record BaseAmountRule([property: JsonRequired] decimal PerSchool, [property: JsonRequired] int MinimumPupils,
    [property: JsonRequired] decimal PerPupilBelowMinimum, [property: JsonRequired] int PupilsOfStartYear, [property: JsonRequired] bool BoundToSchool)
{
    public decimal For(int pupils) => pupils >= MinimumPupils ? PerSchool : Money.Cents(PerPupilBelowMinimum * pupils);

    public void Validate(ValidationErrors errors, string at)
    {
        errors.Money($"{at}.perSchool", PerSchool, 100_000_000m);
        errors.Range($"{at}.minimumPupils", MinimumPupils, 0, 100_000);
        errors.Money($"{at}.perPupilBelowMinimum", PerPupilBelowMinimum, 1_000_000m);
        errors.Range($"{at}.pupilsOfStartYear", PupilsOfStartYear, 2000, 2100);
    }
}

/// <summary>The per-pupil share: a pool the authority distributes freely; the weights per school type are the Land's, for a proposal.</summary>
public sealed record PerPupilShareRule([property: JsonRequired] decimal Pool, [Required, MaxLength(20)] IReadOnlyList<SchoolTypeWeight> Weights,
    [property: JsonRequired] int PupilsOfStartYear)
{
    public decimal WeightOf(SchoolType type) => Weights.FirstOrDefault(w => w.SchoolType == type)?.Weight ?? 1m;

    public void Validate(ValidationErrors errors, string at)
    {
        errors.Money($"{at}.pool", Pool, 100_000_000_000m);
        errors.Range($"{at}.pupilsOfStartYear", PupilsOfStartYear, 2000, 2100);
        if (Weights is not null && Weights.All(w => w is not null))
        {
            for (var i = 0; i < Weights.Count; i++)
            {
                if (Weights[i].Weight is < 0 or > 10)
                {
                    errors.Add($"{at}.weights[{i}].weight", "From 0 to 10.");
                }
            }
        }
    }
}

public sealed record SchoolTypeWeight([property: JsonRequired] SchoolType SchoolType, [property: JsonRequired] decimal Weight);

/// <summary>Tablets and laptops may take at most a share of the authority's funds and an amount per school.</summary>
public sealed record MobileDeviceCap([property: JsonRequired] decimal ShareOfPool, [property: JsonRequired] decimal PerSchool, DateOnly? EligibleFrom)
{
    public void Validate(ValidationErrors errors, string at)
    {
        ProgrammeRules.Rate(errors, $"{at}.shareOfPool", ShareOfPool);
        errors.Money($"{at}.perSchool", PerSchool, 100_000_000m);
    }
}

/// <param name="MeasuresFrom">The first day a funded measure may have started (DigitalPakt: after 16.05.2019, so 17.05.2019).</param>
/// <param name="MeasuresUntil">The last day of spending (a purchase window), when the programme has one.</param>
/// <param name="ApplicationsUntil">Last day to submit within the authority's budget.</param>
/// <param name="FirstComeFirstServedUntil">After <see cref="ApplicationsUntil"/>, submissions until this day are taken first come first served, without the authority's budget.</param>
/// <param name="ApprovalsUntil">Last day an application can be approved.</param>
/// <param name="SettlementUntil">Measures implemented and settled by this day.</param>
public sealed record ProgrammeDates([property: JsonRequired] DateOnly MeasuresFrom, DateOnly? MeasuresUntil, DateOnly? ApplicationsUntil, DateOnly? FirstComeFirstServedUntil,
    DateOnly? ApprovalsUntil, DateOnly? SettlementUntil)
{
    public void Validate(ValidationErrors errors, string at)
    {
        if (MeasuresUntil < MeasuresFrom)
        {
            errors.Add($"{at}.measuresUntil", "Not before measuresFrom.");
        }

        if (FirstComeFirstServedUntil is not null && (ApplicationsUntil is null || FirstComeFirstServedUntil < ApplicationsUntil))
        {
            errors.Add($"{at}.firstComeFirstServedUntil", "Needs applicationsUntil and is not before it.");
        }

        if (SettlementUntil < ApprovalsUntil)
        {
            errors.Add($"{at}.settlementUntil", "Not before approvalsUntil.");
        }
    }
}

/// <param name="ProofOfUseRequired">A proof of use (Verwendungsnachweis) before settlement.</param>
/// <param name="FullMediaConceptRequired">The school's full media education concept by settlement (a requirement profile is enough to apply).</param>
/// <param name="RequirementProfileToApply">A submission needs at least the school's requirement profile.</param>
public sealed record SettlementRule([property: JsonRequired] bool ProofOfUseRequired, [property: JsonRequired] bool FullMediaConceptRequired,
    [property: JsonRequired] bool RequirementProfileToApply);

/// <param name="Figure">What the figure is, e.g. "perPupilShare".</param>
public sealed record PublishedFigure(
    [Required, MaxLength(PublishedFigure.MaxFigure)] string Figure, [property: JsonRequired, Money(ProgrammeFields.MaxPool)] decimal Amount,
    [Required, MaxLength(PublishedFigure.MaxSource)] string Source)
{
    public const int MaxFigure = 60;
    public const int MaxSource = 300;
}
