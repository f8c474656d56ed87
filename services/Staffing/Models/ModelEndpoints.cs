using System.Security.Claims;
using System.ComponentModel.DataAnnotations;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Validation;
using Mep.Staffing.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Staffing.Models;

public sealed record ModelVersionResponse(
    [Range(1, int.MaxValue)] int Version, DateOnly ValidFrom, DateOnly? ValidUntil, ModelDefinition Definition,
    [MaxLength(CreateModelRequest.MaxNote)] string? Note, DateTimeOffset CreatedAt, [MaxLength(CallerClaims.MaxActorLength)] string CreatedBy)
{
    public static ModelVersionResponse From(StaffingModelVersion v) => new(v.Version, v.ValidFrom, v.ValidUntil, v.Definition, v.Note, v.CreatedAt, v.CreatedBy);
}

public sealed record ModelResponse(
    [MaxLength(CreateModelRequest.MaxCode)] string Code, [MaxLength(CreateModelRequest.MaxName)] string Name,
    [MaxLength(CreateModelRequest.MaxSource)] string Source, bool BuiltIn, DateTimeOffset CreatedAt,
    [MaxLength(CallerClaims.MaxActorLength)] string CreatedBy, IReadOnlyList<ModelVersionResponse> Versions)
{
    public static ModelResponse From(StaffingModel m) => new(m.Code, m.Name, m.Source, m.BuiltIn, m.CreatedAt, m.CreatedBy,
        m.Versions.OrderBy(v => v.Version).Select(ModelVersionResponse.From).ToList());
}

/// <param name="Code">Lower-case letters, digits and hyphens, e.g. "hannover-tablets-1200".</param>
public sealed record CreateModelRequest(
    [Required, MaxLength(CreateModelRequest.MaxCode),
     RegularExpression(CreateModelRequest.CodePattern, ErrorMessage = "lower-case letters, digits and hyphens, starting with a letter or digit")]
    string? Code,
    [Required, MaxLength(CreateModelRequest.MaxName)] string? Name,
    [Required, MaxLength(CreateModelRequest.MaxSource)] string? Source,
    [Required] DateOnly? ValidFrom,
    DateOnly? ValidUntil,
    [Required] ModelDefinition? Definition,
    [MaxLength(CreateModelRequest.MaxNote)] string? Note) : IValidatableRequest
{
    public const int MaxCode = 60;
    public const string CodePattern = "^[a-z0-9][a-z0-9-]{1,59}$";
    public const int MaxName = 200;
    public const int MaxSource = 2_000;
    public const int MaxNote = 500;

    public void Validate(ValidationErrors errors)
    {
        if (ValidUntil < ValidFrom)
        {
            errors.Add("validUntil", "Not before validFrom.");
        }

        Definition?.Validate(errors, "definition");
    }
}

public sealed record NewModelVersionRequest(
    [Required] DateOnly? ValidFrom, DateOnly? ValidUntil, [Required] ModelDefinition? Definition, [MaxLength(CreateModelRequest.MaxNote)] string? Note)
    : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => Definition?.Validate(errors, "definition");
}

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

/// <summary>Models by code, with their versions.</summary>
public static class ModelCatalog
{
    public const string DefaultModel = "hannover-mep-2020";

    public static Task<StaffingModel?> FindAsync(StaffingDbContext db, string code, CancellationToken cancellationToken, bool tracking = false)
    {
        var models = tracking ? db.StaffingModels.AsTracking() : db.StaffingModels;
        return models.Include(m => m.Versions).FirstOrDefaultAsync(m => m.Code == code, cancellationToken);
    }

    /// <summary>Model codes from a query string ("a,b,c"); null when none are given.</summary>
    public static IReadOnlyList<string>? ParseCodes(string? commaSeparated) =>
        commaSeparated?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>What a comparison shows when the caller names no model: the published ones.</summary>
    public static Task<List<string>> BuiltInCodesAsync(StaffingDbContext db, CancellationToken cancellationToken) =>
        db.StaffingModels.Where(m => m.BuiltIn).OrderBy(m => m.Code).Select(m => m.Code).ToListAsync(cancellationToken);

    /// <summary>The models with these codes, in the order asked; the first unknown code, if any.</summary>
    public static async Task<(List<StaffingModel> Models, string? Unknown)> FindAllAsync(StaffingDbContext db, IReadOnlyList<string> codes,
        CancellationToken cancellationToken)
    {
        var found = await db.StaffingModels.Include(m => m.Versions).Where(m => codes.Contains(m.Code)).ToListAsync(cancellationToken);
        var unknown = codes.FirstOrDefault(c => found.All(m => m.Code != c));
        return (codes.Distinct().Select(c => found.FirstOrDefault(m => m.Code == c)).OfType<StaffingModel>().ToList(), unknown);
    }
}
