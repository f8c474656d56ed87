using Mep.Contracts.Assets;
using Mep.Funding.Data;
using Mep.Funding.Directory;
using Microsoft.EntityFrameworkCore;
using Mep.Jobs;

namespace Mep.Funding.Subsidies;

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
