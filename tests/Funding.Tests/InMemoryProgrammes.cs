using Mep.Contracts;
using Mep.Funding.Programmes;
using static Mep.Funding.Programmes.SpendingCategory;

namespace Mep.Funding.Tests;

/// <summary>Programmes built in memory for the domain types' unit tests: DigitalPakt 2019-2024 Lower Saxony as the migration defines it.</summary>
internal static class InMemoryProgrammes
{
    public const string DigitalPaktName = "DigitalPakt Schule 2019-2024 (Lower Saxony)";

    public static readonly ProgrammeRules DigitalPaktRules = new(
        FundingRate: 1.0m, OwnShareRate: 0m, Financiers: [new Financier("federal", 0.9m), new Financier("land", 0.1m)], Pool: 20_186_836.00m,
        BaseAmount: new BaseAmountRule(PerSchool: 30_000m, MinimumPupils: 60, PerPupilBelowMinimum: 500m, PupilsOfStartYear: 2019, BoundToSchool: true),
        PerPupilShare: new PerPupilShareRule(17_216_836.00m, [new SchoolTypeWeight(SchoolType.GS, 0.5m)], PupilsOfStartYear: 2019),
        EligibleCategories: [Networking, SchoolWlan, LearningPlatforms, DisplayDevices, WorkDevices, MobileDevices],
        MobileDeviceCap: new MobileDeviceCap(ShareOfPool: 0.2m, PerSchool: 25_000m, EligibleFrom: new DateOnly(2020, 3, 26)),
        Dates: new ProgrammeDates(MeasuresFrom: new DateOnly(2019, 5, 17), MeasuresUntil: new DateOnly(2024, 12, 31),
            ApplicationsUntil: new DateOnly(2023, 6, 30), FirstComeFirstServedUntil: new DateOnly(2024, 5, 15), ApprovalsUntil: new DateOnly(2024, 5, 15),
            SettlementUntil: new DateOnly(2024, 12, 31)),
        SafetySurchargeRate: 0.2m,
        Settlement: new SettlementRule(ProofOfUseRequired: true, FullMediaConceptRequired: true, RequirementProfileToApply: true),
        WarningDaysBeforeDeadline: [90, 30, 7], PublishedFigures: [], Note: null);

    /// <param name="change">What this test's programme has other than DigitalPakt's rules.</param>
    public static Programme DigitalPakt(Func<ProgrammeRules, ProgrammeRules>? change = null) =>
        Programme.Define("digitalpakt-2019-ni", ProgrammeKind.DigitalPakt, DigitalPaktName, "Richtlinie RdErl. d. MK v. 08.08.2019",
            change is null ? DigitalPaktRules : change(DigitalPaktRules), "finance-frank", new DateTimeOffset(2019, 8, 8, 0, 0, 0, TimeSpan.Zero));
}
