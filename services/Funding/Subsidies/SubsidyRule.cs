using Mep.Contracts.Assets;
using Mep.Funding.Data;
using Mep.Funding.Directory;
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

/// <summary>
/// A parent-financed pupil tablet's contract as Funding knows it from Assets. It starts on the purchase date (else the day Funding
/// first heard of the device) and runs <see cref="Months"/> calendar months from that month on. A device lost or retired ends it on
/// the day it was reported so: it still counts in that month (the month's rate was due) and on census days before it.
/// </summary>
public sealed record ParentContract(Guid DeviceId, Guid SchoolId, SubsidyCategory Category, decimal MonthlyRate, int Months, DateOnly Start,
    DateOnly? EndedOn)
{
    public bool RunsIn(int year, int month)
    {
        var index = (year * 12) + month - ((Start.Year * 12) + Start.Month);
        // Ended on the first of a month still counts in it: that month's rate was due when it ended.
        return index >= 0 && index < Months && (EndedOn is null || EndedOn >= new DateOnly(year, month, 1));
    }

    public bool RunsOn(DateOnly day) => Start <= day && day < Start.AddMonths(Months) && (EndedOn is null || EndedOn > day);

    /// <summary>Every pupil tablet with a parents' contract, of the given schools (or all).</summary>
    public static async Task<List<ParentContract>> LoadAsync(FundingDbContext db, IReadOnlyCollection<Guid>? schoolIds, CancellationToken cancellationToken)
    {
        var devices = db.Set<KnownDevice>().Where(d => d.Ownership == TabletOwnership.ParentFinancedPupil && d.SchoolId != null
            && d.ContractMonthlyRate != null && d.ContractMonths != null);
        if (schoolIds is not null)
        {
            devices = devices.Where(d => schoolIds.Contains(d.SchoolId!.Value));
        }

        var rows = await devices
            .Select(d => new { d.DeviceId, d.SchoolId, d.SubsidyCategory, d.ContractMonthlyRate, d.ContractMonths, d.PurchaseDate, d.FirstSeenAt, d.Status, d.StatusAsOf })
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(d => new ParentContract(d.DeviceId, d.SchoolId!.Value, d.SubsidyCategory ?? SubsidyCategory.None, d.ContractMonthlyRate!.Value,
            d.ContractMonths!.Value, d.PurchaseDate ?? BerlinDay.Of(d.FirstSeenAt),
            d.Status is DeviceStatus.Lost or DeviceStatus.Retired ? BerlinDay.Of(d.StatusAsOf) : null));
    }
}

/// <summary>
/// A parent-financed pupil tablet the parents bought outright (a purchase price, no contract), as Funding knows it from Assets. Its one-off
/// subsidy falls in the month of purchase (else the month Funding first heard of it); losing the device later does not undo a purchase.
/// </summary>
public sealed record ParentPurchase(Guid DeviceId, Guid SchoolId, SubsidyCategory Category, decimal Price, DateOnly PurchasedOn)
{
    public bool In(int year, int month) => PurchasedOn.Year == year && PurchasedOn.Month == month;

    /// <summary>Every outright purchase of a pupil tablet, of the given schools (or all).</summary>
    public static async Task<List<ParentPurchase>> LoadAsync(FundingDbContext db, IReadOnlyCollection<Guid>? schoolIds, CancellationToken cancellationToken)
    {
        var devices = db.Set<KnownDevice>().Where(d => d.Ownership == TabletOwnership.ParentFinancedPupil && d.SchoolId != null
            && d.ContractMonthlyRate == null && d.PurchasePrice != null);
        if (schoolIds is not null)
        {
            devices = devices.Where(d => schoolIds.Contains(d.SchoolId!.Value));
        }

        var rows = await devices.Select(d => new { d.DeviceId, d.SchoolId, d.SubsidyCategory, d.PurchasePrice, d.PurchaseDate, d.FirstSeenAt })
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(d => new ParentPurchase(d.DeviceId, d.SchoolId!.Value, d.SubsidyCategory ?? SubsidyCategory.None, d.PurchasePrice!.Value,
            d.PurchaseDate ?? BerlinDay.Of(d.FirstSeenAt)));
    }
}

/// <summary>The city's share of one device's monthly rate, rounded to the cent per device (as each parent's rate is paid).</summary>
public sealed class SubsidyRates(IReadOnlyList<SubsidyRule> rules)
{
    public IReadOnlyList<SubsidyRule> Rules { get; } = rules;

    public decimal ShareOf(SubsidyCategory category) => Rules.FirstOrDefault(r => r.Category == category)?.CityShare ?? 0m;

    public decimal CityShareOf(ParentContract contract) => Money.Cents(contract.MonthlyRate * ShareOf(contract.Category));

    /// <summary>The one-off share of an outright purchase, to the cent; 0 where the category has none.</summary>
    public decimal CityShareOf(ParentPurchase purchase) =>
        Money.Cents(purchase.Price * (Rules.FirstOrDefault(r => r.Category == purchase.Category)?.PurchaseShare ?? 0m));

    public static async Task<SubsidyRates> LoadAsync(FundingDbContext db, CancellationToken cancellationToken) =>
        new(await db.Set<SubsidyRule>().OrderBy(r => r.Category).ToListAsync(cancellationToken));
}
