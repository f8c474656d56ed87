using System.Security.Claims;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Mep.Staffing.Data;
using Mep.Staffing.Models;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Staffing.Scenarios;

public static class ScenarioEndpoints
{
    public static RouteGroupBuilder MapScenarioEndpoints(this RouteGroupBuilder group)
    {
        var scenarios = group.MapGroup("/scenarios").WithTags("Scenarios");
        scenarios.MapGet("/", ListScenarios).RequireAuthorization(StaffingAccess.Read).WithName(nameof(ListScenarios))
            .WithSummary("Saved scenarios, newest change first.");
        scenarios.MapGet("/{id:guid}", GetScenario).RequireAuthorization(StaffingAccess.Read).WithName(nameof(GetScenario))
            .WithSummary("One scenario with its definition; the ETag is its version for If-Match.");
        scenarios.MapPost("/", CreateScenario).RequireAuthorization(StaffingAccess.Plan).WithName(nameof(CreateScenario))
            .WithSummary("Save a scenario: which schools reach the MEP standard when, and the devices expected there.");
        scenarios.MapPut("/{id:guid}", ReplaceScenario).RequireAuthorization(StaffingAccess.Plan).WithName(nameof(ReplaceScenario))
            .WithSummary("Replace a scenario (If-Match required: 428 without, 412 when stale).");
        scenarios.MapDelete("/{id:guid}", DeleteScenario).RequireAuthorization(StaffingAccess.Plan).WithName(nameof(DeleteScenario))
            .WithSummary("Delete a scenario (If-Match optional).");
        scenarios.MapPost("/{id:guid}/copy", CopyScenario).RequireAuthorization(StaffingAccess.Plan).WithName(nameof(CopyScenario))
            .WithSummary("Copy a scenario under a new name, to try a variant.");
        scenarios.MapGet("/{id:guid}/projection", ProjectScenario).RequireAuthorization(StaffingAccess.Read).WithName(nameof(ProjectScenario))
            .WithSummary("Project a scenario year by year: schools at MEP standard, devices, FTE and personnel cost under each model side by side.");
        scenarios.MapPost("/projection", ProjectDefinition).RequireAuthorization(StaffingAccess.Read).WithName(nameof(ProjectDefinition))
            .WithSummary("Project a definition without saving it.");
        scenarios.MapGet("/comparison", CompareScenarios).RequireAuthorization(StaffingAccess.Read).WithName(nameof(CompareScenarios))
            .WithSummary("Several scenarios side by side under one model, year by year.");
        return group;
    }

    public static async Task<Ok<List<ScenarioSummary>>> ListScenarios(StaffingDbContext db, CancellationToken cancellationToken)
    {
        var scenarios = await db.Scenarios.OrderByDescending(s => s.UpdatedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(scenarios.ConvertAll(Summary));
    }

    public static async Task<Results<Ok<ScenarioResponse>, ProblemHttpResult>> GetScenario(Guid id, StaffingDbContext db, HttpResponse response,
        CancellationToken cancellationToken)
    {
        var scenario = await db.Scenarios.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (scenario is null)
        {
            return ApiProblems.NotFound("scenario");
        }

        ETags.Set(response, scenario.Version);
        return TypedResults.Ok(ScenarioResponse.From(scenario));
    }

    public static async Task<Created<ScenarioResponse>> CreateScenario(ScenarioRequest request, ClaimsPrincipal user, StaffingDbContext db,
        TimeProvider clock, HttpResponse response, CancellationToken cancellationToken)
    {
        var scenario = Scenario.Create(request.Name!.Trim(), request.Description?.Trim(), request.Definition!, user.Actor(), clock.GetUtcNow());
        db.Scenarios.Add(scenario);
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(response, scenario.Version);
        return TypedResults.Created($"{StaffingService.PathPrefix}/scenarios/{scenario.Id}", ScenarioResponse.From(scenario));
    }

    public static async Task<Results<Ok<ScenarioResponse>, ProblemHttpResult>> ReplaceScenario(Guid id, ScenarioRequest request, ClaimsPrincipal user,
        StaffingDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var found = await ETags.FindForReplacementAsync(db.Scenarios.AsTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken),
            "scenario", http.Request, s => s.Version);
        if (!found.TryGet(out var scenario, out var refusal))
        {
            return refusal;
        }

        scenario.Change(request.Name!.Trim(), request.Description?.Trim(), request.Definition!, user.Actor(), clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(http.Response, scenario.Version);
        return TypedResults.Ok(ScenarioResponse.From(scenario));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteScenario(Guid id, StaffingDbContext db, HttpRequest request,
        CancellationToken cancellationToken)
    {
        var found = await ETags.FindForWriteAsync(db.Scenarios.AsTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken),
            "scenario", request, s => s.Version);
        if (!found.TryGet(out var scenario, out var refusal))
        {
            return refusal;
        }

        db.Scenarios.Remove(scenario);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Created<ScenarioResponse>, ProblemHttpResult>> CopyScenario(Guid id, CopyScenarioRequest request,
        ClaimsPrincipal user, StaffingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var original = await db.Scenarios.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (original is null)
        {
            return ApiProblems.NotFound("scenario");
        }

        var copy = original.Copy(request.Name!.Trim(), user.Actor(), clock.GetUtcNow());
        db.Scenarios.Add(copy);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"{StaffingService.PathPrefix}/scenarios/{copy.Id}", ScenarioResponse.From(copy));
    }

    public static async Task<Results<Ok<ScenarioProjection>, ProblemHttpResult>> ProjectScenario(Guid id, [AsParameters] ProjectionQuery query,
        StaffingDbContext db, CancellationToken cancellationToken)
    {
        var scenario = await db.Scenarios.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (scenario is null)
        {
            return ApiProblems.NotFound("scenario");
        }

        return await ProjectAsync(db, scenario.Id, scenario.Name, scenario.Definition, ModelCatalog.ParseCodes(query.Models), cancellationToken);
    }

    public static Task<Results<Ok<ScenarioProjection>, ProblemHttpResult>> ProjectDefinition(ProjectionRequest request, StaffingDbContext db,
        CancellationToken cancellationToken) =>
        ProjectAsync(db, null, null, request.Definition!, request.Models, cancellationToken);

    public static async Task<Results<Ok<ScenarioComparison>, ProblemHttpResult>> CompareScenarios([AsParameters] ScenarioComparisonQuery query,
        StaffingDbContext db, CancellationToken cancellationToken)
    {
        var ids = query.ParsedIds!;
        var scenarios = await db.Scenarios.Where(s => ids.Contains(s.Id)).ToListAsync(cancellationToken);
        if (ids.Where(id => scenarios.All(s => s.Id != id)).Select(id => (Guid?)id).FirstOrDefault() is { } missing)
        {
            return ApiProblems.NotFound($"scenario {missing}");
        }

        var code = string.IsNullOrWhiteSpace(query.Model) ? ModelCatalog.DefaultModel : query.Model.Trim();
        var model = await ModelCatalog.FindAsync(db, code, cancellationToken);
        if (model is null)
        {
            return ApiProblems.NotFound("staffing model");
        }

        var ordered = ids.Select(id => scenarios.Single(s => s.Id == id)).ToList();
        var (schools, schoolYears) = await ProjectionInputs.LoadAsync(db, cancellationToken);
        var projections = ordered.Select(s => ScenarioProjector.Project(s.Definition, schools, schoolYears, [model])).ToList();
        var years = Enumerable.Range(ordered.Min(s => s.Definition.FirstYear),
                ordered.Max(s => s.Definition.LastYear) - ordered.Min(s => s.Definition.FirstYear) + 1)
            .Select(year => new ComparedYear(year, projections.Select(p => p.FirstOrDefault(y => y.Year == year)?.Models[0]).ToList()))
            .ToList();
        return TypedResults.Ok(new ScenarioComparison(model.Code, ordered.ConvertAll(Summary), years));
    }

    private static async Task<Results<Ok<ScenarioProjection>, ProblemHttpResult>> ProjectAsync(StaffingDbContext db, Guid? id, string? name,
        ScenarioDefinition definition, IReadOnlyList<string>? codes, CancellationToken cancellationToken)
    {
        codes ??= await ModelCatalog.BuiltInCodesAsync(db, cancellationToken);
        var (models, unknown) = await ModelCatalog.FindAllAsync(db, codes, cancellationToken);
        if (unknown is not null)
        {
            return ApiProblems.NotFound($"staffing model '{unknown}'");
        }

        var (schools, schoolYears) = await ProjectionInputs.LoadAsync(db, cancellationToken);
        var years = ScenarioProjector.Project(definition, schools, schoolYears, models);
        return TypedResults.Ok(new ScenarioProjection(id, name, models.ConvertAll(m => m.Code), years));
    }

    private static ScenarioSummary Summary(Scenario s) =>
        new(s.Id, s.Name, s.Description, s.Definition.FirstYear, s.Definition.LastYear, s.CopiedFrom, s.UpdatedAt, s.UpdatedBy);
}
