using Mep.Funding.Audit;
using Mep.Funding.Data;
using Mep.Funding.Directory;
using Mep.Funding.Programmes;
using Mep.ServiceDefaults.Errors;
using Mep.SchoolDirectory;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Allocations;

/// <summary>
/// The per-pupil share of a programme: the proposal from pupils and type weights, and staging a distribution. The endpoints and the
/// demo seed both go through here, so a proposal applied by either is the same distribution with the same audit rows.
/// </summary>
internal static class PerPupilDistribution
{
    /// <summary>Pupils of the rule's school year times the school type's weight, to the cent by <see cref="PerPupilProposal"/>.</summary>
    public static async Task<PerPupilShareProposal> ProposeAsync(FundingDbContext db, Programme programme, PerPupilShareRule rule,
        CancellationToken cancellationToken)
    {
        var schools = await db.Set<KnownSchool>().OrderBy(s => s.Number).ToListAsync(cancellationToken);
        var pupils = await db.Set<KnownSchoolYear>().Where(y => y.StartYear == rule.PupilsOfStartYear)
            .ToDictionaryAsync(y => y.SchoolId, y => y.Pupils, cancellationToken);
        var weighted = schools.ConvertAll(s => new WeightedSchool(s.SchoolId, pupils.GetValueOrDefault(s.SchoolId) * rule.WeightOf(s.Type)));
        var amounts = PerPupilProposal.Distribute(rule.Pool, weighted);
        var proposed = schools.ConvertAll(s => new ProposedShare(s.SchoolId, s.Number, s.Type, pupils.TryGetValue(s.SchoolId, out var p) ? p : null,
            rule.WeightOf(s.Type), pupils.GetValueOrDefault(s.SchoolId) * rule.WeightOf(s.Type), amounts[s.SchoolId], s.Name));
        var total = proposed.Sum(p => p.Amount);
        return new PerPupilShareProposal(programme.Code, rule.Pool, rule.PupilsOfStartYear, proposed, total, total - rule.Pool,
            proposed.Where(p => p.Pupils is null).Select(p => p.SchoolId).ToList(),
            proposed.ConvertAll(p => new SchoolShare(p.SchoolId, p.Amount)));
    }

    /// <summary>
    /// Stages the whole distribution (schools not named get 0, a school Funding does not know is refused) with an audit row per changed
    /// school; the caller touches the allocation set and saves.
    /// </summary>
    /// <returns>How many schools' shares changed.</returns>
    public static async Task<int> StageAsync(FundingDbContext db, Programme programme, IReadOnlyDictionary<Guid, decimal> shares, string? reason,
        string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var named = shares.Keys.ToList();
        EnsureSchoolsKnown(named, await db.Set<KnownSchool>().Where(s => named.Contains(s.SchoolId)).Select(s => s.SchoolId).ToListAsync(cancellationToken));
        var existing = await db.Set<Allocation>().AsTracking().Where(a => a.ProgrammeCode == programme.Code).ToDictionaryAsync(a => a.SchoolId, cancellationToken);
        var changed = 0;
        foreach (var schoolId in shares.Keys.Union(existing.Keys))
        {
            var amount = shares.GetValueOrDefault(schoolId);
            if (!existing.TryGetValue(schoolId, out var allocation))
            {
                allocation = Allocation.Empty(programme.Code, schoolId, actor, now);
                db.Add(allocation);
            }

            if (allocation.SetPerPupilShare(amount, actor, now))
            {
                changed++;
                db.Audit("allocation", $"{programme.Code}/{schoolId}", schoolId, "perPupilShareSet", actor, now,
                    new { programmeCode = programme.Code, perPupilShare = amount, reason });
            }
        }

        return changed;
    }

    /// <summary>A distribution gives money to schools Funding knows (from Schools' events), never to an id nobody registered.</summary>
    /// <param name="known">Those of the <paramref name="named"/> schools Funding knows.</param>
    internal static void EnsureSchoolsKnown(IReadOnlyList<Guid> named, IReadOnlyCollection<Guid> known)
    {
        if (named.Except(known).ToList() is { Count: > 0 } unknown)
        {
            throw new DomainRuleException("allocation-school-unknown", $"{unknown.Count} school(s) of the distribution are not known to Funding.")
            {
                Extensions = new Dictionary<string, object?> { ["schoolIds"] = unknown },
            };
        }
    }
}
