using Mep.Contracts.Assets;
using Mep.Funding.Data;
using Mep.Funding.Directory;
using Microsoft.EntityFrameworkCore;
using Mep.Jobs;

namespace Mep.Funding.Subsidies;

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
