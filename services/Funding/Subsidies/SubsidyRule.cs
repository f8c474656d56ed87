using Mep.Contracts.Assets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Funding.Subsidies;

/// <summary>The city's share of a parents' tablet contract for one subsidy category (docs/domain.md: BuT/AsylbLG 60 %, siblings 40 %): data, not code.</summary>
public sealed class SubsidyRule
{
    private SubsidyRule()
    {
    }

    public SubsidyCategory Category { get; private set; }

    /// <summary>Share of the monthly rate the city pays, 0 to 1.</summary>
    public decimal CityShare { get; private set; }

    /// <summary>
    /// Share of the purchase price the city pays once for a tablet the parents bought outright, 0 to 1 (siblings: 40 %, "of the monthly
    /// rate or of the purchase price"); null where the category has no one-off subsidy (the paper names only the rent for BuT).
    /// </summary>
    public decimal? PurchaseShare { get; private set; }
    public string Source { get; private set; } = string.Empty;
}

internal sealed class SubsidyRuleConfiguration : IEntityTypeConfiguration<SubsidyRule>
{
    public void Configure(EntityTypeBuilder<SubsidyRule> rule)
    {
        rule.ToTable("subsidy_rules");
        rule.HasKey(r => r.Category);
        rule.Property(r => r.CityShare).HasPrecision(5, 4);
        rule.Property(r => r.PurchaseShare).HasPrecision(5, 4);
    }
}
