using Mep.Funding.Programmes;
using System.Security.Claims;
using System.ComponentModel.DataAnnotations;
using Mep.Exports;
using Mep.Funding.Audit;
using Mep.Funding.Data;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.CostTables;

public static class CostTableEndpoints
{

    public static RouteGroupBuilder MapCostTableEndpoints(this RouteGroupBuilder group)
    {
        var tables = group.MapGroup("/cost-tables").WithTags("Cost tables");
        tables.MapGet("/", ListCostTables).RequireAuthorization(FundingAccess.Staff).WithName(nameof(ListCostTables))
            .WithSummary("Every stored cost table with its two balances and how many printed figures disagree with the computation.");
        tables.MapGet("/{code}", GetCostTable).RequireAuthorization(FundingAccess.Staff).WithName(nameof(GetCostTable))
            .WithSummary("One cost table: inputs, computed lines beside the printed figures with their differences; ETag for If-Match.");
        tables.MapExport("/{code}/{format}", CostTableFile, "CostTable", "One cost table: computed lines beside the printed figures and their differences.")
            .RequireAuthorization(FundingAccess.Staff);
        tables.MapPost("/", CreateCostTable).RequireAuthorization(FundingAccess.Manage).WithName(nameof(CreateCostTable))
            .WithSummary("Store a named cost table (409 when the code exists); audited.");
        tables.MapPut("/{code}", ChangeCostTable).RequireAuthorization(FundingAccess.Manage).WithName(nameof(ChangeCostTable))
            .WithSummary("Replace a cost table's inputs and printed figures (If-Match required: 428 without, 412 when stale); audited.");
        tables.MapPost("/compute", ComputeCostTable).RequireAuthorization(FundingAccess.Staff).WithName(nameof(ComputeCostTable))
            .WithSummary("Compute a cost table from inputs without saving it.");
        return group;
    }

    public static async Task<Ok<List<CostTableSummary>>> ListCostTables(FundingDbContext db, CancellationToken cancellationToken)
    {
        var tables = await db.Set<CostTable>().OrderBy(t => t.Code).ToListAsync(cancellationToken);
        return TypedResults.Ok(tables.ConvertAll(t =>
        {
            var result = CostTableCalculator.Compute(t.Inputs, t.PrintedFigures);
            return new CostTableSummary(t.Code, t.Name, t.Source, result.Investment.Balance, result.PerYear.Balance, result.PrintedDisagreements,
                t.UpdatedAt, t.UpdatedBy);
        }));
    }

    public static async Task<Results<Ok<CostTableResponse>, ProblemHttpResult>> GetCostTable([MaxLength(ProgrammeFields.MaxCode)] string code, FundingDbContext db, HttpResponse response,
        CancellationToken cancellationToken)
    {
        if (await db.Set<CostTable>().FirstOrDefaultAsync(t => t.Code == code, cancellationToken) is not { } table)
        {
            return ApiProblems.NotFound("cost table");
        }

        ETags.Set(response, table.Version);
        return TypedResults.Ok(CostTableResponse.From(table));
    }

    public static async Task<Results<ExportDocument, ProblemHttpResult>> CostTableFile([MaxLength(ProgrammeFields.MaxCode)] string code, FundingDbContext db,
        CancellationToken cancellationToken)
    {
        if (await db.Set<CostTable>().FirstOrDefaultAsync(t => t.Code == code, cancellationToken) is not { } table)
        {
            return ApiProblems.NotFound("cost table");
        }

        return CostTableExport.Of(table);
    }

    public static async Task<Results<Created<CostTableResponse>, ProblemHttpResult>> CreateCostTable(CostTableRequest request, ClaimsPrincipal user,
        FundingDbContext db, TimeProvider clock, HttpResponse response, CancellationToken cancellationToken)
    {
        var code = request.Code!.Trim();
        if (await db.Set<CostTable>().AnyAsync(t => t.Code == code, cancellationToken))
        {
            return ApiProblems.Conflict($"A cost table with the code {code} exists; PUT it to change it.");
        }

        var now = clock.GetUtcNow();
        var printed = Printed(request.PrintedFigures);
        var table = CostTable.Create(code, request.Name!.Trim(), request.Source?.Trim(), request.Inputs!, printed, user.Actor(), now);
        db.Add(table);
        db.Audit("costTable", code, null, "created", user.Actor(), now, new { request.Name, request.Inputs, printedFigures = printed });
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(response, table.Version);
        return TypedResults.Created($"{FundingService.PathPrefix}/cost-tables/{code}", CostTableResponse.From(table));
    }

    public static async Task<Results<Ok<CostTableResponse>, ProblemHttpResult>> ChangeCostTable([MaxLength(ProgrammeFields.MaxCode)] string code, ChangeCostTableRequest request,
        ClaimsPrincipal user, FundingDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var found = await ETags.FindForReplacementAsync(db.Set<CostTable>().AsTracking().FirstOrDefaultAsync(t => t.Code == code, cancellationToken),
            "cost table", http.Request, t => t.Version);
        if (!found.TryGet(out var table, out var refusal))
        {
            return refusal;
        }

        var now = clock.GetUtcNow();
        var printed = Printed(request.PrintedFigures);
        table.Change(request.Name!.Trim(), request.Source?.Trim(), request.Inputs!, printed, user.Actor(), now);
        db.Audit("costTable", code, null, "changed", user.Actor(), now, new { request.Name, request.Inputs, printedFigures = printed });
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(http.Response, table.Version);
        return TypedResults.Ok(CostTableResponse.From(table));
    }

    public static Ok<CostTableResult> ComputeCostTable(ComputeCostTableRequest request) =>
        TypedResults.Ok(CostTableCalculator.Compute(request.Inputs!, Printed(request.PrintedFigures)));

    private static List<PrintedFigure> Printed(IReadOnlyList<PrintedFigure?>? printed) =>
        printed?.Select(p => p! with { Line = p.Line!.Trim() }).ToList() ?? [];
}
