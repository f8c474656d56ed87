using Mep.Contracts.Support;
using Mep.Funding.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Lending;

/// <summary>One school's repair costs of one payer in a year.</summary>
public sealed record RepairCostSum(Guid SchoolId, RepairPayer Payer, int Costs, int RepairCases, decimal Amount, decimal ContractorHours);

public static class RepairCostLedger
{
    /// <summary>The sums per school and payer of the costs incurred in <paramref name="year"/> (all schools, one, or one district's).</summary>
    public static Task<List<RepairCostSum>> SumsAsync(FundingDbContext db, int year, Guid? schoolId, string? district, CancellationToken cancellationToken)
    {
        var (first, next) = (new DateOnly(year, 1, 1), new DateOnly(year + 1, 1, 1));
        var costs = db.Set<RepairCost>().AsNoTracking().Where(c => c.IncurredOn >= first && c.IncurredOn < next);
        if (schoolId is { } one)
        {
            costs = costs.Where(c => c.SchoolId == one);
        }

        if (district is not null)
        {
            costs = costs.Where(c => db.KnownSchools.Any(s => s.SchoolId == c.SchoolId && s.District == district));
        }

        return costs.GroupBy(c => new { c.SchoolId, c.Payer })
            .Select(g => new RepairCostSum(g.Key.SchoolId, g.Key.Payer, g.Count(), g.Select(c => c.RepairCaseId).Distinct().Count(), g.Sum(c => c.Amount),
                g.Sum(c => c.ContractorHours) ?? 0m))
            .ToListAsync(cancellationToken);
    }
}
