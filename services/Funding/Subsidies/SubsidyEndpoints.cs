using Mep.Funding.Programmes;
using Mep.Contracts.Schools;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using Mep.Contracts.Assets;
using Mep.Funding.Data;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.SchoolDirectory;
using Mep.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Subsidies;

/// <param name="Year">Calendar year, e.g. 2020.</param>
public sealed record SchoolSubsidyQuery([Required, MaxLength(4)] string? Year) : IValidatableRequest
{
    public int ParsedYear => int.Parse(Year!, CultureInfo.InvariantCulture);

    public void Validate(ValidationErrors errors)
    {
        if (!string.IsNullOrWhiteSpace(Year) && Year.Trim().Length <= 4
            && (!int.TryParse(Year, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year is < 2000 or > 2100))
        {
            errors.Add("year", "A year from 2000 to 2100.");
        }
    }
}

/// <param name="Month">Calendar month as yyyy-MM, e.g. 2020-01.</param>
public sealed record MonthSubsidyQuery([Required, MaxLength(SubsidyEndpoints.MonthLength)] string? Month) : IValidatableRequest
{
    public DateOnly FirstDay => DateOnly.ParseExact(Month! + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public void Validate(ValidationErrors errors)
    {
        if (!string.IsNullOrWhiteSpace(Month) && Month.Trim().Length <= SubsidyEndpoints.MonthLength && (!DateOnly.TryParseExact(Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None,
                out var day) || day.Year is < 2000 or > 2100))
        {
            errors.Add("month", "A month as yyyy-MM, e.g. 2020-01.");
        }
    }
}

/// <param name="Devices">Devices whose contract runs in the month.</param>
/// <param name="CityShare">Their monthly rates' city share plus <paramref name="PurchaseCityShare"/>.</param>
/// <param name="Purchases">Tablets the parents bought outright in the month.</param>
/// <param name="PurchaseCityShare">The one-off city share of those purchases.</param>
public sealed record CategorySubsidy(SubsidyCategory Category, int Devices, decimal CityShare, int Purchases, decimal PurchaseCityShare);

/// <param name="CityShare">What the city pays for the month: monthly shares and one-off purchase shares.</param>
public sealed record MonthSubsidy([MaxLength(SubsidyEndpoints.MonthLength)] string Month, int Devices, decimal CityShare, IReadOnlyList<CategorySubsidy> ByCategory);

/// <param name="Devices">Distinct devices in the category in any month of the year.</param>
/// <param name="DeviceMonths">Months paid for, added over the devices.</param>
/// <param name="CityShare">Monthly shares plus <paramref name="PurchaseCityShare"/>.</param>
/// <param name="Purchases">Tablets the parents bought outright in the year.</param>
public sealed record CategoryYear(SubsidyCategory Category, int Devices, int DeviceMonths, decimal CityShare, int Purchases, decimal PurchaseCityShare);

/// <param name="PurchaseShare">Share of the purchase price paid once for a tablet bought outright; null: none.</param>
public sealed record SubsidyRuleResponse(SubsidyCategory Category, decimal CityShare, decimal? PurchaseShare, [MaxLength(ProgrammeFields.MaxSource)] string Source);

public sealed record SchoolSubsidies(
    Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string Number, [MaxLength(SchoolFields.MaxName)] string Name, [Range(2000, 2100)] int Year,
    IReadOnlyList<SubsidyRuleResponse> Rules, [MaxLength(12)] IReadOnlyList<MonthSubsidy> Months, decimal YearCityShare, IReadOnlyList<CategoryYear> ByCategory);

public sealed record SchoolMonthSubsidy(
    Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string? Number, [MaxLength(SchoolFields.MaxName)] string? Name, int Devices, decimal CityShare, IReadOnlyList<CategorySubsidy> ByCategory);

public sealed record MonthSubsidies([MaxLength(SubsidyEndpoints.MonthLength)] string Month, IReadOnlyList<SchoolMonthSubsidy> Schools, int Devices, decimal CityShare,
    IReadOnlyList<CategorySubsidy> ByCategory);

public static class SubsidyEndpoints
{
    /// <summary>A month as yyyy-MM.</summary>
    public const int MonthLength = 7;

    private static readonly SubsidyCategory[] Categories = [SubsidyCategory.ButAsylbLG, SubsidyCategory.Sibling, SubsidyCategory.None];

    public static RouteGroupBuilder MapSubsidyEndpoints(this RouteGroupBuilder group)
    {
        var subsidies = group.MapGroup("/subsidies").WithTags("Subsidies");
        subsidies.MapGet("/rules", ListSubsidyRules).RequireAuthorization(FundingAccess.Read).WithName(nameof(ListSubsidyRules))
            .WithSummary("The city's share of the monthly rate per subsidy category (BuT/AsylbLG 60 %, siblings 40 %).");
        subsidies.MapGet("/schools/{schoolId:guid}", GetSchoolSubsidies).RequireAuthorization(FundingAccess.Read).WithName(nameof(GetSchoolSubsidies))
            .WithSummary("A school's parents' tablet subsidies in a year: per month the devices and the city's share per category, and the "
                + "year's total (a school key: its own only). A device counts in a month its contract runs and it was not lost or retired before.");
        subsidies.MapGet("/", GetMonthSubsidies).RequireAuthorization(FundingAccess.Staff).WithName(nameof(GetMonthSubsidies))
            .WithSummary("One month's subsidies per school and in total.");
        subsidies.MapGet("/uptake", UptakeEndpoint.GetUptake).RequireAuthorization(FundingAccess.Staff).WithName(nameof(UptakeEndpoint.GetUptake))
            .WithSummary("The council paper's uptake table: per school year the parent-financed tablets on the census day, BuT/AsylbLG and "
                + "siblings among them, the pupils and the shares (tablets of pupils; BuT and siblings of the tablets), whole percent rounded "
                + "half up beside the exact ratio.");
        return group;
    }

    public static async Task<Ok<List<SubsidyRuleResponse>>> ListSubsidyRules(FundingDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok((await SubsidyRates.LoadAsync(db, cancellationToken)).Rules.Select(r => new SubsidyRuleResponse(r.Category, r.CityShare, r.PurchaseShare, r.Source)).ToList());

    public static async Task<Results<Ok<SchoolSubsidies>, ProblemHttpResult>> GetSchoolSubsidies(Guid schoolId, [AsParameters] SchoolSubsidyQuery query,
        ClaimsPrincipal user, FundingDbContext db, CancellationToken cancellationToken)
    {
        if (!user.MaySee(schoolId) || await db.Set<KnownSchool>().FirstOrDefaultAsync(s => s.SchoolId == schoolId, cancellationToken) is not { } school)
        {
            return ApiProblems.NotFound("school");
        }

        var year = query.ParsedYear;
        var rates = await SubsidyRates.LoadAsync(db, cancellationToken);
        var contracts = await ParentContract.LoadAsync(db, [schoolId], cancellationToken);
        var purchases = await ParentPurchase.LoadAsync(db, [schoolId], cancellationToken);
        var months = Enumerable.Range(1, 12).Select(month =>
        {
            var running = contracts.Where(c => c.RunsIn(year, month)).ToList();
            var byCategory = ByCategory(running, [.. purchases.Where(p => p.In(year, month))], rates);
            return (Running: running, Subsidy: new MonthSubsidy($"{year:D4}-{month:D2}", running.Count, byCategory.Sum(c => c.CityShare), byCategory));
        }).ToList();
        var yearByCategory = Categories.Select(category =>
        {
            var paid = months.SelectMany(m => m.Running).Where(c => c.Category == category).ToList();
            var bought = purchases.Where(p => p.Category == category && p.PurchasedOn.Year == year).ToList();
            var purchaseShare = bought.Sum(rates.CityShareOf);
            return new CategoryYear(category, paid.Select(c => c.DeviceId).Distinct().Count(), paid.Count, paid.Sum(rates.CityShareOf) + purchaseShare,
                bought.Count, purchaseShare);
        }).ToList();
        return TypedResults.Ok(new SchoolSubsidies(school.SchoolId, school.Number, school.Name, year,
            rates.Rules.Select(r => new SubsidyRuleResponse(r.Category, r.CityShare, r.PurchaseShare, r.Source)).ToList(), months.ConvertAll(m => m.Subsidy),
            yearByCategory.Sum(c => c.CityShare), yearByCategory));
    }

    public static async Task<Ok<MonthSubsidies>> GetMonthSubsidies([AsParameters] MonthSubsidyQuery query, FundingDbContext db,
        CancellationToken cancellationToken)
    {
        var day = query.FirstDay;
        var rates = await SubsidyRates.LoadAsync(db, cancellationToken);
        var running = (await ParentContract.LoadAsync(db, null, cancellationToken)).Where(c => c.RunsIn(day.Year, day.Month)).ToList();
        var bought = (await ParentPurchase.LoadAsync(db, null, cancellationToken)).Where(p => p.In(day.Year, day.Month)).ToList();
        var schools = await db.Set<KnownSchool>().ToDictionaryAsync(s => s.SchoolId, cancellationToken);
        var rows = running.Select(c => c.SchoolId).Union(bought.Select(p => p.SchoolId))
            .Select(schoolId =>
            {
                var contracts = running.Where(c => c.SchoolId == schoolId).ToList();
                var byCategory = ByCategory(contracts, [.. bought.Where(p => p.SchoolId == schoolId)], rates);
                var school = schools.GetValueOrDefault(schoolId);
                return new SchoolMonthSubsidy(schoolId, school?.Number, school?.Name, contracts.Count, byCategory.Sum(c => c.CityShare), byCategory);
            })
            .OrderBy(r => r.Number ?? "~").ThenBy(r => r.SchoolId)
            .ToList();
        var totals = ByCategory(running, bought, rates);
        return TypedResults.Ok(new MonthSubsidies(query.Month!, rows, running.Count, totals.Sum(c => c.CityShare), totals));
    }

    private static List<CategorySubsidy> ByCategory(List<ParentContract> running, List<ParentPurchase> bought, SubsidyRates rates) =>
        [.. Categories.Select(category =>
        {
            var inCategory = running.Where(c => c.Category == category).ToList();
            var purchases = bought.Where(p => p.Category == category).ToList();
            var purchaseShare = purchases.Sum(rates.CityShareOf);
            return new CategorySubsidy(category, inCategory.Count, inCategory.Sum(rates.CityShareOf) + purchaseShare, purchases.Count, purchaseShare);
        })];
}
