using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Funding.Programmes;

/// <summary>A funding programme (DigitalPakt 2019-2024 Lower Saxony, the supplementary programmes, DigitalPakt 2.0, the city's budgets) with its rules as data.</summary>
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
}

internal sealed class ProgrammeConfiguration : IEntityTypeConfiguration<Programme>
{
    public void Configure(EntityTypeBuilder<Programme> programme)
    {
        programme.ToTable("programmes");
        programme.HasKey(p => p.Code);
        programme.Property(p => p.Rules).HasColumnType("jsonb").HasConversion(JsonColumn.Converter<ProgrammeRules>());
    }
}
