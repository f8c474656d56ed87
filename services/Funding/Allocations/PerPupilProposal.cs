namespace Mep.Funding.Allocations;

/// <summary>One school's claim on the per-pupil pool: its pupils times its school type's weight.</summary>
public sealed record WeightedSchool(Guid SchoolId, decimal WeightedPupils);

/// <summary>
/// Distributes a pool in proportion to weighted pupils, to the cent, so that the amounts add up to the pool exactly: every school
/// gets its proportional share rounded down, and the cents left over go one each to the largest remainders (Hare-Niemeyer), ties
/// by school id so the same inputs always give the same distribution.
/// </summary>
public static class PerPupilProposal
{
    public static IReadOnlyDictionary<Guid, decimal> Distribute(decimal pool, IReadOnlyList<WeightedSchool> schools)
    {
        var totalWeight = schools.Sum(s => s.WeightedPupils);
        if (totalWeight == 0)
        {
            return schools.ToDictionary(s => s.SchoolId, _ => 0m);
        }

        var poolCents = pool * 100m;
        var shares = schools
            .Select(s =>
            {
                var exactCents = poolCents * s.WeightedPupils / totalWeight;
                var wholeCents = decimal.Floor(exactCents);
                return (s.SchoolId, WholeCents: wholeCents, Remainder: exactCents - wholeCents);
            })
            .ToList();
        var leftOver = (int)(poolCents - shares.Sum(s => s.WholeCents));
        var getsACent = shares.OrderByDescending(s => s.Remainder).ThenBy(s => s.SchoolId).Take(leftOver).Select(s => s.SchoolId).ToHashSet();
        return shares.ToDictionary(s => s.SchoolId, s => (s.WholeCents + (getsACent.Contains(s.SchoolId) ? 1m : 0m)) / 100m);
    }
}
