using Mep.Contracts.Assets;
using Mep.Funding.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Subsidies;

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
