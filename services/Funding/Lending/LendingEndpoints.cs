using System.Security.Claims;
using Mep.Exports;
using Mep.Funding.Data;
using Mep.Funding.Programmes;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mep.Jobs;

namespace Mep.Funding.Lending;

/// <summary>What loans and repairs add to Funding's reports: loan devices per programme for its proof of use, repair costs per payer.</summary>
public static class LendingEndpoints
{
    public static RouteGroupBuilder MapLendingEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/reports/loans", LoanReport).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(LoanReport))
            .WithSummary("Loan devices of one programme per school, for its proof of use: devices lent in the period (distinct), loans, out now, "
                + "overdue, returned (damaged), lost, stolen and transferred with the borrower to another school; totals over all schools.");
        group.MapExport("/reports/loans.{format}", LoanReportFile, nameof(LoanReport),
                "The loan devices of one programme per school as a file; the workbook adds the totals.")
            .RequireAuthorization(FundingAccess.Manage);
        group.MapGet("/reports/loans/schools/{schoolId:guid}", SchoolLoans).RequireAuthorization(FundingAccess.Read)
            .WithName(nameof(SchoolLoans))
            .WithSummary("One school's loan devices in every programme devices are lent from; a school key reads its own school only.");
        group.MapGet("/reports/repair-costs", RepairCostReport).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(RepairCostReport))
            .WithSummary("Repair costs per school and payer in a year: what the city and the schools' system-support budgets bore (with the "
                + "contractor's hours), and what the parents' provider, manufacturers' warranty and sellers' liability bore.");
        group.MapExport("/reports/repair-costs.{format}", RepairCostReportFile, nameof(RepairCostReport),
                "Repair costs per school and payer in a year as a file; the workbook adds the totals.")
            .RequireAuthorization(FundingAccess.Manage);
        group.MapGet("/reports/repair-costs/schools/{schoolId:guid}", SchoolRepairCosts).RequireAuthorization(FundingAccess.Read)
            .WithName(nameof(SchoolRepairCosts))
            .WithSummary("One school's repair costs per payer in a year; a school key reads its own school only.");
        return group;
    }

    public static async Task<Results<Ok<LoanReport>, ProblemHttpResult>> LoanReport([AsParameters] LoanReportQuery query, FundingDbContext db,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var (report, _, problem) = await LoanReportAsync(query, db, clock, cancellationToken);
        return problem is null ? TypedResults.Ok(report!) : problem;
    }

    public static async Task<Results<ExportDocument, ProblemHttpResult>> LoanReportFile([AsParameters] LoanReportQuery query, FundingDbContext db,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var (report, districtAsStored, problem) = await LoanReportAsync(query, db, clock, cancellationToken);
        return problem is null ? LendingExport.Of(report!, districtAsStored) : problem;
    }

    public static async Task<Results<Ok<OneSchoolLoans>, ProblemHttpResult>> SchoolLoans(Guid schoolId, [AsParameters] SchoolLoanQuery query,
        ClaimsPrincipal user, FundingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!user.MaySee(schoolId) || await db.KnownSchools.FindAsync([schoolId], cancellationToken) is not { } school)
        {
            return ApiProblems.NotFound("school");
        }

        var today = BerlinDay.Today(clock);
        var programmes = new List<ProgrammeLoans>();
        foreach (var programme in await ProgrammeCatalog.AllAsync(db, cancellationToken))
        {
            if (LoanProgrammes.SourceOf(programme.Code) is not { } source)
            {
                continue;
            }

            var (from, until) = (query.LentFrom ?? programme.Rules.Dates.MeasuresFrom, query.LentUntil ?? today);
            var row = (await LoanLedger.RowsAsync(db, source, from, until, schoolId, district: null, today, cancellationToken)).Last();
            programmes.Add(new ProgrammeLoans(programme.Code, programme.Name, source, from, until, LoanFigures.From(row)));
        }

        return TypedResults.Ok(new OneSchoolLoans(school.SchoolId, school.Number, school.Name, today, programmes));
    }

    public static async Task<Ok<RepairCostReport>> RepairCostReport([AsParameters] RepairCostQuery query, FundingDbContext db, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var (report, _) = await RepairCostReportAsync(query, db, clock, cancellationToken);
        return TypedResults.Ok(report);
    }

    public static async Task<ExportDocument> RepairCostReportFile([AsParameters] RepairCostQuery query, FundingDbContext db, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var (report, districtAsStored) = await RepairCostReportAsync(query, db, clock, cancellationToken);
        return LendingExport.Of(report, districtAsStored);
    }

    public static async Task<Results<Ok<OneSchoolRepairCosts>, ProblemHttpResult>> SchoolRepairCosts(Guid schoolId, [AsParameters] SchoolRepairCostQuery query,
        ClaimsPrincipal user, FundingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!user.MaySee(schoolId) || await db.KnownSchools.FindAsync([schoolId], cancellationToken) is not { } school)
        {
            return ApiProblems.NotFound("school");
        }

        var year = query.Year ?? BerlinDay.Today(clock).Year;
        var sums = await RepairCostLedger.SumsAsync(db, year, schoolId, district: null, cancellationToken);
        return TypedResults.Ok(new OneSchoolRepairCosts(school.SchoolId, school.Number, school.Name, year, RepairCostFigures.Of(sums)));
    }

    /// <returns>The report; the district as its schools have it stored (null without a district or when no school has it); or the problem.</returns>
    private static async Task<(LoanReport? Report, string? DistrictAsStored, ProblemHttpResult? Problem)> LoanReportAsync(LoanReportQuery query,
        FundingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await ProgrammeCatalog.FindAsync(db, query.Programme!.Trim(), cancellationToken) is not { } programme)
        {
            return (null, null, ApiProblems.NotFound("programme"));
        }

        var source = LoanProgrammes.RequireSourceOf(programme);
        var today = BerlinDay.Today(clock);
        var (from, until) = (query.LentFrom ?? programme.Rules.Dates.MeasuresFrom, query.LentUntil ?? today);
        var district = string.IsNullOrWhiteSpace(query.District) ? null : query.District.Trim();
        var rows = await LoanLedger.RowsAsync(db, source, from, until, schoolId: null, district, today, cancellationToken);
        var schools = rows.Where(r => r.SchoolId is not null)
            .Select(r => new SchoolLoans(r.SchoolId!.Value, r.Number, r.Name, r.District, LoanFigures.From(r))).ToList();
        var report = new LoanReport(programme.Code, programme.Name, source, from, until, today, LoanFigures.From(rows[^1]), schools);
        return (report, district is null ? null : schools.FirstOrDefault()?.District, null);
    }

    private static async Task<(RepairCostReport Report, string? DistrictAsStored)> RepairCostReportAsync(RepairCostQuery query, FundingDbContext db,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var year = query.Year ?? BerlinDay.Today(clock).Year;
        var district = string.IsNullOrWhiteSpace(query.District) ? null : query.District.Trim();
        var sums = await RepairCostLedger.SumsAsync(db, year, schoolId: null, district, cancellationToken);
        var schoolIds = sums.Select(s => s.SchoolId).Distinct().ToList();
        var known = await db.KnownSchools.Where(s => schoolIds.Contains(s.SchoolId)).ToDictionaryAsync(s => s.SchoolId, cancellationToken);
        var schools = sums.GroupBy(s => s.SchoolId)
            .Select(g => (School: known.GetValueOrDefault(g.Key), Row: g))
            .OrderBy(s => s.School?.Number ?? "~").ThenBy(s => s.Row.Key)
            .Select(s => new SchoolRepairCosts(s.Row.Key, s.School?.Number, s.School?.Name, s.School?.District, RepairCostFigures.Of(s.Row)))
            .ToList();
        return (new RepairCostReport(year, RepairCostFigures.Of(sums), schools), district is null ? null : schools.FirstOrDefault()?.District);
    }
}
