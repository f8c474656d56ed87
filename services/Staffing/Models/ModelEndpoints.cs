using System.Security.Claims;
using System.ComponentModel.DataAnnotations;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.Staffing.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Staffing.Models;

public static class ModelEndpoints
{
    public static RouteGroupBuilder MapModelEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/models", ListModels).RequireAuthorization(StaffingAccess.Read)
            .WithName(nameof(ListModels)).WithSummary("Every staffing model with its versions and what each computes.");
        group.MapGet("/models/{code}", GetModel).RequireAuthorization(StaffingAccess.Read)
            .WithName(nameof(GetModel)).WithSummary("One staffing model with its versions.");
        group.MapPost("/models", CreateModel).RequireAuthorization(StaffingAccess.Plan)
            .WithName(nameof(CreateModel)).WithSummary("Create a custom model: ratios per category with weights, FTE per school type, which schools count.");
        group.MapPost("/models/{code}/versions", AddModelVersion).RequireAuthorization(StaffingAccess.Plan)
            .WithName(nameof(AddModelVersion))
            .WithSummary("A new version valid from a day; the previous one ends the day before. Built-in models: admins only.");
        return group;
    }

    public static async Task<Ok<List<ModelResponse>>> ListModels(StaffingDbContext db, CancellationToken cancellationToken)
    {
        var models = await db.StaffingModels.Include(m => m.Versions).OrderByDescending(m => m.BuiltIn).ThenBy(m => m.Code).ToListAsync(cancellationToken);
        return TypedResults.Ok(models.ConvertAll(ModelResponse.From));
    }

    public static async Task<Results<Ok<ModelResponse>, ProblemHttpResult>> GetModel([MaxLength(CreateModelRequest.MaxCode)] string code, StaffingDbContext db, CancellationToken cancellationToken) =>
        await ModelCatalog.FindAsync(db, code, cancellationToken) is { } model ? TypedResults.Ok(ModelResponse.From(model)) : ApiProblems.NotFound("staffing model");

    public static async Task<Results<Created<ModelResponse>, ProblemHttpResult>> CreateModel(CreateModelRequest request, ClaimsPrincipal user,
        StaffingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var code = request.Code!.Trim();
        if (await db.StaffingModels.AnyAsync(m => m.Code == code, cancellationToken))
        {
            return ApiProblems.Conflict($"A staffing model with code '{code}' exists; add a version to it or choose another code.");
        }

        var model = StaffingModel.Create(code, request.Name!.Trim(), request.Source!.Trim(), request.ValidFrom!.Value, request.ValidUntil,
            request.Definition!, request.Note?.Trim(), user.Actor(), clock.GetUtcNow());
        db.StaffingModels.Add(model);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"{StaffingService.PathPrefix}/models/{code}", ModelResponse.From(model));
    }

    public static async Task<Results<Created<ModelVersionResponse>, ProblemHttpResult>> AddModelVersion([MaxLength(CreateModelRequest.MaxCode)] string code, NewModelVersionRequest request,
        ClaimsPrincipal user, StaffingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var model = await ModelCatalog.FindAsync(db, code, cancellationToken, tracking: true);
        if (model is null)
        {
            return ApiProblems.NotFound("staffing model");
        }

        if (model.BuiltIn && !user.IsInRole(PlatformRoles.Admin))
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "Forbidden",
                "Built-in models change only by an admin; create a custom model to try other numbers.");
        }

        var version = model.AddVersion(request.ValidFrom!.Value, request.ValidUntil, request.Definition!, request.Note?.Trim(), user.Actor(),
            clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"{StaffingService.PathPrefix}/models/{code}", ModelVersionResponse.From(version));
    }
}
