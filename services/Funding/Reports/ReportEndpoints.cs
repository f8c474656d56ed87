using Mep.Contracts.Schools;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using CsvHelper;
using Mep.Funding.Data;
using Mep.Funding.Programmes;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Csv;
using Mep.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mep.Funding.Reports;

public static class ReportEndpoints
{
    public static RouteGroupBuilder MapReportEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/reports/schools", SchoolsReport).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(SchoolsReport))
            .WithSummary("Per school in one programme: allocated, applied, approved, spent, drawn, open amounts and what is at risk (deadline near, money open).");
        group.MapGet("/reports/schools.csv", SchoolsReportCsv).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(SchoolsReportCsv)).Produces(StatusCodes.Status200OK, contentType: "text/csv").WithSummary("The per-school report as CSV (semicolons, decimal commas: opens in German Excel).");
        group.MapGet("/reports/schools/{schoolId:guid}", OneSchool).RequireAuthorization(FundingAccess.Read)
            .WithName(nameof(OneSchool)).WithSummary("One school's figures in every programme; a school key reads its own school only.");
        group.MapGet("/reports/programmes", Programmes).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(Programmes)).WithSummary("Per programme: the city's totals and the schools at risk.");
        return group;
    }

    public static async Task<Results<Ok<SchoolReport>, ProblemHttpResult>> SchoolsReport([MaxLength(ProgrammeFields.MaxCode)] string? programme, [MaxLength(SchoolFields.MaxDistrict)] string? district, bool? atRiskOnly,
        FundingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (report, problem) = await ReportAsync(programme, district, atRiskOnly, db, clock, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return TypedResults.Ok(report!);
    }

    public static async Task<IResult> SchoolsReportCsv([MaxLength(ProgrammeFields.MaxCode)] string? programme, [MaxLength(SchoolFields.MaxDistrict)] string? district, bool? atRiskOnly, FundingDbContext db, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var (report, problem) = await ReportAsync(programme, district, atRiskOnly, db, clock, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var german = CsvText.GermanExcel.FormatProvider;
        var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, CsvText.GermanExcel, leaveOpen: true))
        {
            csv.WriteHeader(["schoolNumber", "school", "district", "schoolType", "baseAmount", "perPupilShare", "allocated", "applied", "approved",
                "spent", "drawn", "notYetApplied", "approvedNotDrawn", "atRisk", "risks"]);
            foreach (var s in report!.Schools)
            {
                csv.WriteField(s.Number);
                csv.WriteField(s.Name);
                csv.WriteField(s.District);
                csv.WriteField(s.SchoolType);
                foreach (var amount in (decimal[])[s.BaseAmount, s.PerPupilShare, s.Allocated, s.Applied, s.Approved, s.Spent, s.Drawn, s.NotYetApplied,
                    s.ApprovedNotDrawn])
                {
                    csv.WriteField(amount, "0.00");
                }

                csv.WriteField(s.AtRisk ? "ja" : "nein");
                csv.WriteField(string.Join(", ", s.Risks.Select(r => $"{r.Deadline} {r.Day:yyyy-MM-dd}: {Eur(r.Amount)}")));
                csv.EndRecord();
            }
        }

        return TypedResults.Text(text.ToString(), "text/csv; charset=utf-8", Encoding.UTF8);

        string Eur(decimal amount) => amount.ToString("0.00", german);
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

    private static async Task<(SchoolReport? Report, ProblemHttpResult? Problem)> ReportAsync(string? programmeCode, string? district, bool? atRiskOnly,
        FundingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(programmeCode))
        {
            return (null, ApiProblems.Malformed("Name the programme: ?programme=digitalpakt-2019-ni (GET /programmes lists them).",
                new Dictionary<string, string[]> { ["programme"] = ["Required."] }));
        }

        if (await ProgrammeCatalog.FindAsync(db, programmeCode, cancellationToken) is not { } programme)
        {
            return (null, ApiProblems.NotFound("programme"));
        }

        var today = BerlinDay.Today(clock);
        var rows = (await FundingLedger.RowsAsync(db, programme.Code, null, cancellationToken))
            .Where(r => district is null || string.Equals(r.District, district, StringComparison.OrdinalIgnoreCase))
            .Select(r => SchoolFigures.From(r, FundingLedger.RisksOf(r, programme.Rules, today)))
            .Where(r => atRiskOnly != true || r.AtRisk)
            .ToList();
        return (new SchoolReport(programme.Code, programme.Name, today, programme.Rules.Pool, ProgrammeTotals.Of(rows), rows), null);
    }
}
