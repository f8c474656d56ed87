using System.Security.Claims;
using Mep.Contracts.Assets;
using Mep.Funding.Data;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.SchoolDirectory;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Subsidies;

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
