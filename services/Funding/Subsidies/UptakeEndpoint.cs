using Mep.Contracts.Schools;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Mep.Contracts.Assets;
using Mep.Funding.Data;
using Mep.Funding.Directory;
using Mep.ServiceDefaults.SchoolDirectory;
using Mep.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Subsidies;

/// <param name="SchoolId">The schools, repeated (schoolId=..&amp;schoolId=..); or <see cref="AtMepStandard"/>.</param>
/// <param name="AtMepStandard">"true": every school at the MEP standard (the pilot schools in 2020).</param>
/// <param name="PupilsOfStartYear">Take every row's pupils from this school year (the paper: 2018, the pilots' 5,080); default each row's own.</param>
/// <param name="CensusDay">The day of each school year a tablet must be under contract to count, as MM-dd; default 09-15 (after the first weeks of school).</param>
/// <param name="FromStartYear">First row; default the first school year with a counted tablet.</param>
/// <param name="ToStartYear">Last row; default the last school year with a counted tablet.</param>
public sealed record UptakeQuery(
    [MaxLength(UptakeQuery.MaxSchools, ErrorMessage = "At most 1,000 schools."), Items(MaxLength = 36)] string[]? SchoolId,
    [OneOf("true", "false", IgnoreCase = true, Trim = true, Message = "true or false.")] string? AtMepStandard,
    [MaxLength(4)] string? PupilsOfStartYear,
    [MaxLength(5)] string? CensusDay,
    [MaxLength(4)] string? FromStartYear,
    [MaxLength(4)] string? ToStartYear) : IValidatableRequest
{
    public const string DefaultCensusDay = "09-15";
    public const int MaxSchools = 1_000;

    public IReadOnlyList<Guid> SchoolIds => SchoolId?.Select(id => Guid.Parse(id.Trim())).Distinct().ToList() ?? [];
    public bool OnlyAtMepStandard => string.Equals(AtMepStandard?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
    public int? PupilsYear => Year(PupilsOfStartYear);
    public int? From => Year(FromStartYear);
    public int? To => Year(ToStartYear);

    public DateOnly CensusOf(int startYear)
    {
        var day = DateOnly.ParseExact($"2000-{(string.IsNullOrWhiteSpace(CensusDay) ? DefaultCensusDay : CensusDay.Trim())}", "yyyy-MM-dd",
            CultureInfo.InvariantCulture);
        return new DateOnly(startYear, day.Month, day.Day == 29 && day.Month == 2 && !DateTime.IsLeapYear(startYear) ? 28 : day.Day);
    }

    public void Validate(ValidationErrors errors)
    {
        if (SchoolId is { Length: > 0 and <= MaxSchools } ids && ids.Any(id => !Guid.TryParse(id?.Trim(), out _)))
        {
            errors.Add("schoolId", "School ids (uuid).");
        }

        if (SchoolId is not { Length: > 0 } && !OnlyAtMepStandard)
        {
            errors.Add("schoolId", "Name the schools, or give atMepStandard=true.");
        }

        YearField(errors, "pupilsOfStartYear", PupilsOfStartYear);
        YearField(errors, "fromStartYear", FromStartYear);
        YearField(errors, "toStartYear", ToStartYear);
        if (From is { } from && To is { } to && (to < from || to - from > 50))
        {
            errors.Add("toStartYear", "From fromStartYear to at most 50 years later.");
        }

        if (CensusDay is not null && !DateOnly.TryParseExact($"2000-{CensusDay.Trim()}", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            errors.Add("censusDay", "A day of the year as MM-dd, e.g. 09-15.");
        }
    }

    private static void YearField(ValidationErrors errors, string field, string? value)
    {
        if (value is not null && Year(value) is null)
        {
            errors.Add(field, "A year from 2000 to 2100.");
        }
    }

    private static int? Year(string? value) =>
        int.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 2000 and <= 2100 ? year : null;
}

/// <summary>A share as the paper prints it (whole percent, rounded half up) beside the exact ratio it comes from.</summary>
/// <param name="Ratio">Of / Base, to six decimal places; null when the base is 0.</param>
public sealed record UptakeShare(int Of, int Base, decimal? Ratio, int? Percent)
{
    public static UptakeShare Compute(int of, int @base) => @base == 0
        ? new(of, @base, null, null)
        : new(of, @base, Math.Round((decimal)of / @base, 6, MidpointRounding.AwayFromZero),
            (int)Math.Round(100m * of / @base, 0, MidpointRounding.AwayFromZero));
}

/// <param name="TabletsShare">Tablets of the pupils (2,441 / 5,080 = 48 %).</param>
/// <param name="ButAsylbLGShare">BuT/AsylbLG tablets of the tablets, not of the pupils (243 / 2,441 = 10 %), as the paper computes.</param>
/// <param name="SiblingsShare">Sibling tablets of the tablets (169 / 2,441 = 7 %).</param>
public sealed record UptakeRow([MaxLength(SchoolFields.SchoolYearLength)] string SchoolYear, int StartYear, DateOnly CensusDate, int Tablets, int ButAsylbLG, int Siblings, int Pupils,
    int PupilsOfStartYear, UptakeShare TabletsShare, UptakeShare ButAsylbLGShare, UptakeShare SiblingsShare);

/// <param name="SchoolsWithoutPupils">Selected schools without figures for a row's pupils year: their pupils are missing from it.</param>
public sealed record UptakeTable(IReadOnlyList<Guid> Schools, int? PupilsOfStartYear, [MaxLength(5)] string CensusDay, IReadOnlyList<UptakeRow> Rows,
    IReadOnlyList<Guid> SchoolsWithoutPupils);

public static class UptakeEndpoint
{
    public static async Task<Ok<UptakeTable>> GetUptake([AsParameters] UptakeQuery query, FundingDbContext db, CancellationToken cancellationToken)
    {
        var schools = query.OnlyAtMepStandard
            ? await db.Set<KnownSchool>().Where(s => s.AtMepStandard).Select(s => s.SchoolId).ToListAsync(cancellationToken)
            : [];
        schools = [.. schools.Union(query.SchoolIds).Order()];
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
