using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Mep.Staffing.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Staffing.OrgUnits;

public static class OrgUnitEndpoints
{
    public static RouteGroupBuilder MapOrgUnitEndpoints(this RouteGroupBuilder group)
    {
        var units = group.MapGroup("/org-units").WithTags("Organisational units");
        units.MapGet("/", ListOrgUnits).RequireAuthorization(StaffingAccess.Read).WithName(nameof(ListOrgUnits))
            .WithSummary("The organisational units that hold posts, by code, with their current posts; retired ones on request.");
        units.MapGet("/{code}", GetOrgUnit).RequireAuthorization(StaffingAccess.Read).WithName(nameof(GetOrgUnit))
            .WithSummary("One organisational unit; the ETag is its version for If-Match.");
        units.MapPost("/", CreateOrgUnit).RequireAuthorization(StaffingAccess.OrgUnits).WithName(nameof(CreateOrgUnit))
            .WithSummary("Create an organisational unit, so that posts can be set for it (409 if the code exists, retired units included).");
        units.MapPut("/{code}", RenameOrgUnit).RequireAuthorization(StaffingAccess.OrgUnits).WithName(nameof(RenameOrgUnit))
            .WithSummary("Rename an active unit; its code stays (If-Match required: 428 without, 412 when stale).");
        units.MapPost("/{code}/retire", RetireOrgUnit).RequireAuthorization(StaffingAccess.OrgUnits).WithName(nameof(RetireOrgUnit))
            .WithSummary("Retire a unit whose posts are 0: it takes no more posts and stays with its history (If-Match supported).");
        units.MapDelete("/{code}", DeleteOrgUnit).RequireAuthorization(StaffingAccess.OrgUnits).WithName(nameof(DeleteOrgUnit))
            .WithSummary("Delete a unit created by mistake, one whose posts were never set (409 otherwise: retire it); its history stays (If-Match supported).");
        units.MapGet("/{code}/history", OrgUnitHistory).RequireAuthorization(StaffingAccess.Read).WithName(nameof(OrgUnitHistory))
            .WithSummary("Every change of a unit and its posts, oldest first: who, when, from what to what; also of a deleted unit.");
        return group;
    }

    public static async Task<Ok<List<OrgUnitResponse>>> ListOrgUnits([AsParameters] OrgUnitListQuery query, StaffingDbContext db,
        CancellationToken cancellationToken)
    {
        var units = db.OrgUnits.AsQueryable();
        if (query.IncludeRetired is not true)
        {
            units = units.Where(u => u.RetiredAt == null);
        }

        var rows = await (from u in units
                          join p in db.CurrentPosts on u.Code equals p.OrgUnit into posts
                          from p in posts.DefaultIfEmpty()
                          orderby u.Code
                          select new { Unit = u, Posts = p == null ? 0m : p.Posts }).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.ConvertAll(r => OrgUnitResponse.From(r.Unit, r.Posts)));
    }

    public static async Task<Results<Ok<OrgUnitResponse>, ProblemHttpResult>> GetOrgUnit(
        [MaxLength(OrgUnit.MaxCode), RegularExpression(OrgUnit.CodePattern, ErrorMessage = OrgUnit.CodeRule)] string code, StaffingDbContext db,
        HttpResponse response, CancellationToken cancellationToken)
    {
        var unit = await db.OrgUnits.FirstOrDefaultAsync(u => u.Code == code, cancellationToken);
        if (unit is null)
        {
            return NotFound(code);
        }

        ETags.Set(response, unit.Version);
        return TypedResults.Ok(OrgUnitResponse.From(unit, await PostsOfAsync(db, unit.Code, cancellationToken)));
    }

    public static async Task<Results<Created<OrgUnitResponse>, ProblemHttpResult>> CreateOrgUnit(CreateOrgUnitRequest request, ClaimsPrincipal user,
        StaffingDbContext db, TimeProvider clock, HttpResponse response, CancellationToken cancellationToken)
    {
        var code = request.Code!.Trim();
        // A code holds no '%' or backslash; its '_' is escaped, so the pattern matches the code itself, ignoring case.
        var sameIgnoringCase = code.Replace("_", "\\_", StringComparison.Ordinal);
        if (await db.OrgUnits.Where(u => EF.Functions.ILike(u.Code, sameIgnoringCase, "\\")).Select(u => u.Code)
                .FirstOrDefaultAsync(cancellationToken) is { } existing)
        {
            return ApiProblems.Conflict($"An organisational unit with the code {existing} exists already (codes are unique ignoring case, and a "
                + "retired unit keeps its code); rename it or choose another code.", new Dictionary<string, object?> { ["orgUnit"] = existing });
        }

        var (unit, change) = OrgUnit.Create(code, request.Name!.Trim(), user.Actor(), clock.GetUtcNow());
        db.OrgUnits.Add(unit);
        db.OrgUnitChanges.Add(change);
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(response, unit.Version);
        return TypedResults.Created($"{StaffingService.PathPrefix}/org-units/{unit.Code}", OrgUnitResponse.From(unit, 0m));
    }

    public static async Task<Results<Ok<OrgUnitResponse>, ProblemHttpResult>> RenameOrgUnit(
        [MaxLength(OrgUnit.MaxCode), RegularExpression(OrgUnit.CodePattern, ErrorMessage = OrgUnit.CodeRule)] string code, RenameOrgUnitRequest request,
        ClaimsPrincipal user, StaffingDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var found = await ETags.FindForReplacementAsync(db.OrgUnits.AsTracking().FirstOrDefaultAsync(u => u.Code == code, cancellationToken),
            Unit(code), http.Request, u => u.Version);
        if (!found.TryGet(out var unit, out var refusal))
        {
            return refusal;
        }

        if (unit.Rename(request.Name!.Trim(), user.Actor(), clock.GetUtcNow()) is { } change)
        {
            db.OrgUnitChanges.Add(change);
            await db.SaveChangesAsync(cancellationToken);
        }

        ETags.Set(http.Response, unit.Version);
        return TypedResults.Ok(OrgUnitResponse.From(unit, await PostsOfAsync(db, unit.Code, cancellationToken)));
    }

    public static async Task<Results<Ok<OrgUnitResponse>, ProblemHttpResult>> RetireOrgUnit(
        [MaxLength(OrgUnit.MaxCode), RegularExpression(OrgUnit.CodePattern, ErrorMessage = OrgUnit.CodeRule)] string code, RetireOrgUnitRequest request,
        ClaimsPrincipal user, StaffingDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var found = await ETags.FindForWriteAsync(db.OrgUnits.AsTracking().FirstOrDefaultAsync(u => u.Code == code, cancellationToken),
            Unit(code), http.Request, u => u.Version);
        if (!found.TryGet(out var unit, out var refusal))
        {
            return refusal;
        }

        // Setting posts writes the unit's row as well: a concurrent change of its posts fails this save on the row version (412).
        var posts = await PostsOfAsync(db, unit.Code, cancellationToken);
        db.OrgUnitChanges.Add(unit.Retire(posts, Blank(request.Reason), user.Actor(), clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(http.Response, unit.Version);
        return TypedResults.Ok(OrgUnitResponse.From(unit, posts));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteOrgUnit(
        [MaxLength(OrgUnit.MaxCode), RegularExpression(OrgUnit.CodePattern, ErrorMessage = OrgUnit.CodeRule)] string code, ClaimsPrincipal user,
        StaffingDbContext db, TimeProvider clock, HttpRequest request, CancellationToken cancellationToken)
    {
        var found = await ETags.FindForWriteAsync(db.OrgUnits.AsTracking().FirstOrDefaultAsync(u => u.Code == code, cancellationToken),
            Unit(code), request, u => u.Version);
        if (!found.TryGet(out var unit, out var refusal))
        {
            return refusal;
        }

        db.OrgUnitChanges.Add(unit.Delete(user.Actor(), clock.GetUtcNow()));
        db.OrgUnits.Remove(unit);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<List<OrgUnitChangeResponse>>, ProblemHttpResult>> OrgUnitHistory(
        [MaxLength(OrgUnit.MaxCode), RegularExpression(OrgUnit.CodePattern, ErrorMessage = OrgUnit.CodeRule)] string code, StaffingDbContext db,
        CancellationToken cancellationToken)
    {
        var changes = await db.OrgUnitChanges.Where(c => c.OrgUnit == code).OrderBy(c => c.Id).ToListAsync(cancellationToken);
        return changes.Count == 0 ? NotFound(code) : TypedResults.Ok(changes.ConvertAll(OrgUnitChangeResponse.From));
    }

    /// <summary>The unit's current posts; 0 while none were set.</summary>
    public static async Task<decimal> PostsOfAsync(StaffingDbContext db, string code, CancellationToken cancellationToken) =>
        await db.CurrentPosts.Where(p => p.OrgUnit == code).Select(p => (decimal?)p.Posts).FirstOrDefaultAsync(cancellationToken) ?? 0m;

    public static ProblemHttpResult NotFound(string code) => ApiProblems.NotFound(Unit(code));

    private static string Unit(string code) => $"organisational unit '{code}'";

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
