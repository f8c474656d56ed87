using Mep.Funding.Data;
using Mep.Funding.Programmes;
using Mep.ServiceDefaults.Http;
using Mep.SchoolDirectory;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Allocations;

/// <summary>A programme's allocations with their totals and pool check, as finance reads them.</summary>
internal static class ProgrammeAllocationsView
{
    public static async Task<ProgrammeAllocations> BuildAsync(FundingDbContext db, Programme programme, AllocationSet set,
        CancellationToken cancellationToken)
    {
        var schools = await db.Set<KnownSchool>().ToDictionaryAsync(s => s.SchoolId, cancellationToken);
        var allocations = await db.Set<Allocation>().AsNoTracking().Where(a => a.ProgrammeCode == programme.Code)
            .ToDictionaryAsync(a => a.SchoolId, cancellationToken);
        var rules = programme.Rules;
        var hasBaseRule = rules.BaseAmount is not null;
        var rows = schools.Keys.Union(allocations.Keys)
            .Select(id => SchoolAllocationRow.From(allocations.GetValueOrDefault(id), id, schools.GetValueOrDefault(id), hasBaseRule))
            .OrderBy(r => r.Number ?? "~").ThenBy(r => r.SchoolId)
            .ToList();
        var baseTotal = rows.Sum(r => r.BaseAmount);
        var perPupilTotal = rows.Sum(r => r.PerPupilShare);
        var figures = rules.PublishedFigures.Select(f =>
        {
            var (configured, computed) = f.Figure switch
            {
                "perPupilShare" => (rules.PerPupilShare?.Pool, (decimal?)perPupilTotal),
                "pool" => (rules.Pool, baseTotal + perPupilTotal),
                "baseAmount" => (null, baseTotal),
                _ => ((decimal?)null, (decimal?)null),
            };
            return new PublishedFigureCheck(f.Figure, f.Amount, f.Source, configured, f.Amount - configured, computed, f.Amount - computed);
        }).ToList();
        var missing = rows.Where(r => r.BaseMissing).Select(r => r.SchoolId).ToList();
        return new ProgrammeAllocations(programme.Code, programme.Name, rules.BaseAmount?.PupilsOfStartYear, rules.BaseAmount?.BoundToSchool ?? false,
            rows, new AllocationTotals(baseTotal, perPupilTotal, baseTotal + perPupilTotal),
            new PoolCheck(rows.Count, rows.Count(r => r.BasePupils is not null && hasBaseRule), missing, baseTotal,
                PotCheck.Of(rules.PerPupilShare?.Pool, perPupilTotal), PotCheck.Of(rules.Pool, baseTotal + perPupilTotal), figures),
            set.UpdatedAt, set.UpdatedBy, ETags.Format(set.Version));
    }
}
