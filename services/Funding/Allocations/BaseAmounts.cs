using Mep.Funding.Audit;
using Mep.Funding.Data;
using Mep.Funding.Directory;
using Mep.Funding.Programmes;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Allocations;

/// <summary>
/// Keeps the base amounts what the programme's rule makes of the schools' pupils. Called when a school's figures arrive, when a
/// programme's rules change and when finance asks for it; stages its changes (with audit rows) in the caller's unit of work.
/// </summary>
public static class BaseAmounts
{
    /// <summary>Who changes a base when a school's figures arrive from Schools.</summary>
    public const string FiguresActor = "schools:school-year-figures";

    /// <summary>Recomputes the base of one school in every programme whose rule counts the pupils of <paramref name="startYear"/>.</summary>
    public static async Task<int> RecomputeForSchoolYearAsync(FundingDbContext db, Guid schoolId, int startYear, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var programmes = await db.Set<Programme>().AsNoTracking().ToListAsync(cancellationToken);
        var changed = 0;
        foreach (var programme in programmes.Where(p => p.Rules.BaseAmount?.PupilsOfStartYear == startYear))
        {
            changed += await RecomputeAsync(db, programme, [schoolId], FiguresActor, now, cancellationToken);
        }

        return changed;
    }

    /// <summary>
    /// Recomputes the programme's base amounts (of the given schools, or of all): the rule applied to the pupils of its school year; a
    /// school without figures for that year has no base. Without a base amount rule every base is 0.
    /// </summary>
    /// <returns>How many schools' bases changed.</returns>
    public static async Task<int> RecomputeAsync(FundingDbContext db, Programme programme, IReadOnlyCollection<Guid>? schoolIds, string actor,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rule = programme.Rules.BaseAmount;
        var pupils = new Dictionary<Guid, int>();
        if (rule is not null)
        {
            var years = db.Set<KnownSchoolYear>().AsNoTracking().Where(y => y.StartYear == rule.PupilsOfStartYear);
            if (schoolIds is not null)
            {
                years = years.Where(y => schoolIds.Contains(y.SchoolId));
            }

            pupils = await years.ToDictionaryAsync(y => y.SchoolId, y => y.Pupils, cancellationToken);
        }

        var allocations = db.Set<Allocation>().AsTracking().Where(a => a.ProgrammeCode == programme.Code);
        if (schoolIds is not null)
        {
            allocations = allocations.Where(a => schoolIds.Contains(a.SchoolId));
        }

        var existing = await allocations.ToDictionaryAsync(a => a.SchoolId, cancellationToken);
        var changed = 0;
        foreach (var schoolId in pupils.Keys.Union(existing.Keys))
        {
            int? count = pupils.TryGetValue(schoolId, out var p) ? p : null;
            var amount = rule is not null && count is { } known ? rule.For(known) : 0m;
            if (!existing.TryGetValue(schoolId, out var allocation))
            {
                allocation = Allocation.Empty(programme.Code, schoolId, actor, now);
                db.Add(allocation);
            }

            if (allocation.SetBase(amount, count, actor, now))
            {
                changed++;
                db.Audit("allocation", $"{programme.Code}/{schoolId}", schoolId, "baseRecomputed", actor, now,
                    new { programmeCode = programme.Code, baseAmount = amount, basePupils = count, pupilsOfStartYear = rule?.PupilsOfStartYear });
            }
        }

        if (changed > 0)
        {
            (await AllocationSets.LoadAsync(db, programme.Code, now, cancellationToken)).Touch(actor, now);
        }

        return changed;
    }
}
