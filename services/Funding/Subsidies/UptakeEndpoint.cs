using Mep.Contracts.Assets;
using Mep.Funding.Data;
using Mep.Funding.Directory;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Subsidies;

public static class UptakeEndpoint
{
    public static async Task<Results<Ok<UptakeTable>, ProblemHttpResult>> GetUptake([AsParameters] UptakeQuery query, FundingDbContext db,
        ISchoolNumbers numbers, CancellationToken cancellationToken)
    {
        var numbered = query.SchoolNumbers.Count == 0 ? new Dictionary<string, Guid>()
            : await numbers.IdsOfAsync(query.SchoolNumbers, cancellationToken);
        if (query.SchoolNumbers.Where(number => !numbered.ContainsKey(number)).ToList() is { Count: > 0 } unknown)
        {
            // An unknown id stays in the table without figures; a number names no school at all, so the table could not show it. Ids
            // and numbers are each a member of the set of schools (repeated parameters), not two names of one school: not compared.
            return ApiProblems.NotFound("school", "number", new Dictionary<string, object?> { ["schoolNumbers"] = unknown });
        }

        var schools = query.OnlyAtMepStandard
            ? await db.Set<KnownSchool>().Where(s => s.AtMepStandard).Select(s => s.SchoolId).ToListAsync(cancellationToken)
            : [];
        schools = [.. schools.Union(query.SchoolIds).Union(numbered.Values).Order()];
        var contracts = await ParentContract.LoadAsync(db, schools, cancellationToken);
        var pupils = (await db.Set<KnownSchoolYear>().Where(y => schools.Contains(y.SchoolId)).ToListAsync(cancellationToken))
            .ToLookup(y => y.StartYear);

        // Without a given range the table spans the school years in which a selected tablet is under contract on the census day.
        var counted = contracts.SelectMany(c => Enumerable.Range(c.Start.Year - 1, (c.Months / 12) + 3).Where(y => c.RunsOn(query.CensusOf(y)))).ToList();
        var from = query.From ?? (counted.Count > 0 ? counted.Min() : (int?)null);
        var to = query.To ?? (counted.Count > 0 ? counted.Max() : from);
        var missing = new HashSet<Guid>();
        var rows = new List<UptakeRow>();
        for (var year = from ?? 0; from is not null && year <= to; year++)
        {
            var census = query.CensusOf(year);
            var tablets = contracts.Where(c => c.RunsOn(census)).ToList();
            var pupilsYear = query.PupilsYear ?? year;
            var figures = pupils[pupilsYear].ToList();
            missing.UnionWith(schools.Except(figures.Select(f => f.SchoolId)));
            var (count, but, siblings, pupilCount) = (tablets.Count, tablets.Count(t => t.Category == SubsidyCategory.ButAsylbLG),
                tablets.Count(t => t.Category == SubsidyCategory.Sibling), figures.Sum(f => f.Pupils));
            rows.Add(new UptakeRow($"{year}/{(year + 1) % 100:D2}", year, census, count, but, siblings, pupilCount, pupilsYear,
                UptakeShare.Compute(count, pupilCount), UptakeShare.Compute(but, count), UptakeShare.Compute(siblings, count)));
        }

        return TypedResults.Ok(new UptakeTable(schools, query.PupilsYear, string.IsNullOrWhiteSpace(query.CensusDay) ? UptakeQuery.DefaultCensusDay
            : query.CensusDay.Trim(), rows, [.. missing.Order()]));
    }
}
