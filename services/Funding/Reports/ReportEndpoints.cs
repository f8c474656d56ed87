using Mep.Contracts.Schools;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Mep.Exports;
using Mep.Funding.Data;
using Mep.Funding.Programmes;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Mep.Jobs;

namespace Mep.Funding.Reports;

public static class ReportEndpoints
{
    public static RouteGroupBuilder MapReportEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/reports/schools", SchoolsReport).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(SchoolsReport))
            .WithSummary("Per school in one programme: allocated, applied (net and gross: without and with the safety surcharge), approved (gross), spent, "
                + "drawn, open amounts and what is at risk (deadline near, money open).");
        group.MapExport("/reports/schools.{format}", SchoolsReportFile, nameof(SchoolsReport),
                "The per-school report as a file, net and gross named in the headers; the workbook adds the programme's totals.")
            .RequireAuthorization(FundingAccess.Manage);
        group.MapGet("/reports/schools/{schoolId:guid}", OneSchool).RequireAuthorization(FundingAccess.Read)
            .WithName(nameof(OneSchool)).WithSummary("One school's figures in every programme; a school key reads its own school only.");
        group.MapGet("/reports/programmes", Programmes).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(Programmes)).WithSummary("Per programme: the city's totals and the schools at risk.");
        return group;
    }

    /// <param name="district">Only the schools of this district, exactly as the school directory has it.</param>
    public static async Task<Results<Ok<SchoolReport>, ProblemHttpResult>> SchoolsReport([MaxLength(ProgrammeFields.MaxCode)] string? programme, [MaxLength(SchoolFields.MaxDistrict)] string? district, bool? atRiskOnly,
        FundingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (report, _, problem) = await ReportAsync(programme, district, atRiskOnly, db, clock, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return TypedResults.Ok(report!);
    }

    /// <param name="district">Only the schools of this district, exactly as the school directory has it.</param>
    public static async Task<Results<ExportDocument, ProblemHttpResult>> SchoolsReportFile([MaxLength(ProgrammeFields.MaxCode)] string? programme,
        [MaxLength(SchoolFields.MaxDistrict)] string? district, bool? atRiskOnly, FundingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (report, districtAsStored, problem) = await ReportAsync(programme, district, atRiskOnly, db, clock, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return SchoolReportExport.Of(report!, districtAsStored);
    }

    public static async Task<Results<Ok<OneSchoolReport>, ProblemHttpResult>> OneSchool(Guid schoolId, ClaimsPrincipal user, FundingDbContext db,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!user.MaySee(schoolId) || await db.KnownSchools.FindAsync([schoolId], cancellationToken) is null)
        {
            return ApiProblems.NotFound("school");
        }

        var today = BerlinDay.Today(clock);
        var programmes = await ProgrammeCatalog.AllAsync(db, cancellationToken);
        var figures = new List<OneSchoolProgramme>();
        foreach (var programme in programmes)
        {
            var row = (await FundingLedger.RowsAsync(db, programme.Code, schoolId, cancellationToken)).Single();
            figures.Add(new OneSchoolProgramme(programme.Code, programme.Name, SchoolFigures.From(row, FundingLedger.RisksOf(row, programme.Rules, today))));
        }

        return TypedResults.Ok(new OneSchoolReport(schoolId, today, figures));
    }

    public static async Task<Ok<List<ProgrammeSummary>>> Programmes(FundingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var today = BerlinDay.Today(clock);
        var summaries = new List<ProgrammeSummary>();
        foreach (var programme in await ProgrammeCatalog.AllAsync(db, cancellationToken))
        {
            var rows = await FundingLedger.RowsAsync(db, programme.Code, null, cancellationToken);
            var figures = rows.ConvertAll(r => SchoolFigures.From(r, FundingLedger.RisksOf(r, programme.Rules, today)));
            summaries.Add(new ProgrammeSummary(programme.Code, programme.Name, programme.Kind, programme.Rules.Pool, ProgrammeTotals.Of(figures)));
        }

        return TypedResults.Ok(summaries);
    }

    /// <returns>The report; the district as its schools have it stored (null without a district or when no school has it); or the problem.</returns>
    private static async Task<(SchoolReport? Report, string? DistrictAsStored, ProblemHttpResult? Problem)> ReportAsync(string? programmeCode,
        string? district, bool? atRiskOnly, FundingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(programmeCode))
        {
            return (null, null, ApiProblems.Malformed("Name the programme: ?programme=digitalpakt-2019-ni (GET /programmes lists them).",
                new Dictionary<string, string[]> { ["programme"] = ["Required."] }));
        }

        if (await ProgrammeCatalog.FindAsync(db, programmeCode, cancellationToken) is not { } programme)
        {
            return (null, null, ApiProblems.NotFound("programme"));
        }

        var today = BerlinDay.Today(clock);
        var ledger = await FundingLedger.RowsAsync(db, programme.Code, schoolId: null, string.IsNullOrWhiteSpace(district) ? null : district.Trim(),
            cancellationToken);
        var rows = ledger.Select(r => SchoolFigures.From(r, FundingLedger.RisksOf(r, programme.Rules, today)))
            .Where(r => atRiskOnly != true || r.AtRisk)
            .ToList();
        var districtAsStored = district is null ? null : ledger.FirstOrDefault()?.District;
        return (new SchoolReport(programme.Code, programme.Name, today, programme.Rules.Pool, ProgrammeTotals.Of(rows), rows), districtAsStored, null);
    }
}
