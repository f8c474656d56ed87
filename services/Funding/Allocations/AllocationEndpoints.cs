using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Mep.Funding.Audit;
using Mep.Funding.Data;
using Mep.Funding.Programmes;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Mep.SchoolDirectory;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Allocations;

public static class AllocationEndpoints
{
    /// <summary>A programme's allocations list every school: staff only (a school key reads its own under /schools/{id}/allocations).</summary>

    public static RouteGroupBuilder MapAllocationEndpoints(this RouteGroupBuilder group)
    {
        var allocations = group.MapGroup("/programmes/{code}/allocations").WithTags("Allocations");
        allocations.MapGet("/", GetProgrammeAllocations).RequireAuthorization(FundingAccess.Staff)
            .WithName(nameof(GetProgrammeAllocations))
            .WithSummary("Every school's base amount (and the pupils it is computed from), per-pupil share and total; the totals and the pool "
                + "check: base total, per-pupil total against the per-pupil pool and both against the programme's pool with the exact "
                + "difference, and each published figure beside the configured and computed value. The ETag versions the whole set.");
        allocations.MapPut("/per-pupil-share", SetPerPupilShares).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(SetPerPupilShares))
            .WithSummary("Replace the per-pupil distribution (If-Match on the allocation set required): every school's amount in whole cents, "
                + "schools not named get 0. A sum that misses the pool is stored and shown as the difference, not refused.");
        allocations.MapPost("/per-pupil-share/proposal", ProposePerPupilShares).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(ProposePerPupilShares))
            .WithSummary("Propose a per-pupil distribution: pupils times the school type's weight, to the cent by largest remainders so that "
                + "it adds up to the pool exactly. Nothing is stored: PUT its shares to apply it.");
        allocations.MapPost("/base/recompute", RecomputeBaseAmounts).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(RecomputeBaseAmounts))
            .WithSummary("Recompute every school's base amount from the rule and the pupils of its school year (also done on every figures "
                + "event and rule change); changes are audited.");
        allocations.MapPost("/transfers", TransferAllocation).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(TransferAllocation))
            .WithSummary("Move money from one school to another: the per-pupil share moves (never below 0: allocation-insufficient); the base "
                + "amount is refused with base-amount-bound-to-school when the rule binds it. Audited on both schools; If-Match optional.");
        group.MapGet("/schools/{schoolId:guid}/allocations", GetSchoolAllocations).RequireAuthorization(FundingAccess.Read)
            .WithTags("Allocations").WithName(nameof(GetSchoolAllocations))
            .WithSummary("One school's allocations in every programme with a base amount or per-pupil share (a school key: its own only).");
        return group;
    }

    public static async Task<Results<Ok<ProgrammeAllocations>, ProblemHttpResult>> GetProgrammeAllocations([MaxLength(ProgrammeFields.MaxCode)] string code, FundingDbContext db,
        TimeProvider clock, HttpResponse response, CancellationToken cancellationToken)
    {
        if (await ProgrammeCatalog.FindAsync(db, code, cancellationToken) is not { } programme)
        {
            return ApiProblems.NotFound("programme");
        }

        var set = await AllocationSets.LoadAsync(db, programme.Code, clock.GetUtcNow(), cancellationToken);
        ETags.Set(response, set.Version);
        return TypedResults.Ok(await ProgrammeAllocationsView.BuildAsync(db, programme, set, cancellationToken));
    }

    public static async Task<Results<Ok<ProgrammeAllocations>, ProblemHttpResult>> SetPerPupilShares([MaxLength(ProgrammeFields.MaxCode)] string code, PerPupilDistributionRequest request,
        ClaimsPrincipal user, FundingDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        if (await ProgrammeCatalog.FindAsync(db, code, cancellationToken) is not { } programme)
        {
            return ApiProblems.NotFound("programme");
        }

        programme.RequirePerPupilShare();
        var now = clock.GetUtcNow();
        var set = await AllocationSets.LoadAsync(db, programme.Code, now, cancellationToken);
        if (ETags.RequireIfMatch(http.Request, set.Version) is { } precondition)
        {
            return precondition;
        }

        var shares = request.Shares!.ToDictionary(s => s!.SchoolId!.Value, s => s!.Amount!.Value);
        var actor = user.Actor();
        await PerPupilDistribution.StageAsync(db, programme, shares, request.Reason?.Trim(), actor, now, cancellationToken);
        set.Touch(actor, now);
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(http.Response, set.Version);
        return TypedResults.Ok(await ProgrammeAllocationsView.BuildAsync(db, programme, set, cancellationToken));
    }

    public static async Task<Results<Ok<PerPupilShareProposal>, ProblemHttpResult>> ProposePerPupilShares([MaxLength(ProgrammeFields.MaxCode)] string code, FundingDbContext db,
        CancellationToken cancellationToken)
    {
        if (await ProgrammeCatalog.FindAsync(db, code, cancellationToken) is not { } programme)
        {
            return ApiProblems.NotFound("programme");
        }

        return TypedResults.Ok(await PerPupilDistribution.ProposeAsync(db, programme, programme.RequirePerPupilShare(), cancellationToken));
    }

    public static async Task<Results<Ok<ProgrammeAllocations>, ProblemHttpResult>> RecomputeBaseAmounts([MaxLength(ProgrammeFields.MaxCode)] string code, ClaimsPrincipal user,
        FundingDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        if (await ProgrammeCatalog.FindAsync(db, code, cancellationToken) is not { } programme)
        {
            return ApiProblems.NotFound("programme");
        }

        var now = clock.GetUtcNow();
        var set = await AllocationSets.LoadAsync(db, programme.Code, now, cancellationToken);
        if (ETags.CheckIfMatch(http.Request, set.Version) is { } stale)
        {
            return stale;
        }

        await BaseAmounts.RecomputeAsync(db, programme, null, user.Actor(), now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(http.Response, set.Version);
        return TypedResults.Ok(await ProgrammeAllocationsView.BuildAsync(db, programme, set, cancellationToken));
    }

    public static async Task<Results<Ok<AllocationTransferResult>, ProblemHttpResult>> TransferAllocation([MaxLength(ProgrammeFields.MaxCode)] string code,
        AllocationTransferRequest request, ClaimsPrincipal user, FundingDbContext db, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken)
    {
        if (await ProgrammeCatalog.FindAsync(db, code, cancellationToken) is not { } programme)
        {
            return ApiProblems.NotFound("programme");
        }

        var (fromId, toId, pot, amount) = (request.FromSchoolId!.Value, request.ToSchoolId!.Value, request.Pot!.Value, request.Amount!.Value);
        var schools = await db.Set<KnownSchool>().Where(s => s.SchoolId == fromId || s.SchoolId == toId).ToDictionaryAsync(s => s.SchoolId, cancellationToken);
        if (!schools.TryGetValue(fromId, out var fromSchool))
        {
            return ApiProblems.NotFound("school (fromSchoolId)");
        }

        if (!schools.TryGetValue(toId, out var toSchool))
        {
            return ApiProblems.NotFound("school (toSchoolId)");
        }

        programme.EnsureMovable(pot);
        var now = clock.GetUtcNow();
        var set = await AllocationSets.LoadAsync(db, programme.Code, now, cancellationToken);
        if (ETags.CheckIfMatch(http.Request, set.Version) is { } stale)
        {
            return stale;
        }

        var allocations = await db.Set<Allocation>().AsTracking()
            .Where(a => a.ProgrammeCode == programme.Code && (a.SchoolId == fromId || a.SchoolId == toId))
            .ToDictionaryAsync(a => a.SchoolId, cancellationToken);
        var actor = user.Actor();
        // A school without an allocation has nothing to give: the transfer refuses it as insufficient.
        var from = allocations.GetValueOrDefault(fromId) ?? Allocation.Empty(programme.Code, fromId, actor, now);
        if (!allocations.TryGetValue(toId, out var to))
        {
            to = Allocation.Empty(programme.Code, toId, actor, now);
            db.Add(to);
        }

        from.TransferTo(to, pot, amount, fromSchool.Number, actor, now);
        var reason = request.Reason!.Trim();
        var details = new { programmeCode = programme.Code, pot, amount, fromSchoolId = fromId, toSchoolId = toId, reason };
        db.Audit("allocation", $"{programme.Code}/{fromId}", fromId, "transferredOut", actor, now, details);
        db.Audit("allocation", $"{programme.Code}/{toId}", toId, "transferredIn", actor, now, details);
        set.Touch(actor, now);
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(http.Response, set.Version);
        var hasBaseRule = programme.Rules.BaseAmount is not null;
        return TypedResults.Ok(new AllocationTransferResult(programme.Code, pot, amount, reason,
            SchoolAllocationRow.From(from, fromId, fromSchool, hasBaseRule), SchoolAllocationRow.From(to, toId, toSchool, hasBaseRule),
            ETags.Format(set.Version)));
    }

    public static async Task<Results<Ok<SchoolAllocations>, ProblemHttpResult>> GetSchoolAllocations(Guid schoolId, ClaimsPrincipal user,
        FundingDbContext db, CancellationToken cancellationToken)
    {
        if (!user.MaySee(schoolId) || await db.Set<KnownSchool>().FirstOrDefaultAsync(s => s.SchoolId == schoolId, cancellationToken) is not { } school)
        {
            return ApiProblems.NotFound("school");
        }

        var programmes = (await db.Set<Programme>().OrderBy(p => p.Code).ToListAsync(cancellationToken))
            .Where(p => p.Rules.BaseAmount is not null || p.Rules.PerPupilShare is not null)
            .ToList();
        var allocations = await db.Set<Allocation>().Where(a => a.SchoolId == schoolId).ToDictionaryAsync(a => a.ProgrammeCode, cancellationToken);
        return TypedResults.Ok(new SchoolAllocations(school.SchoolId, school.Number, school.Name, school.Type, programmes.ConvertAll(p =>
        {
            var allocation = allocations.GetValueOrDefault(p.Code);
            return new SchoolProgrammeAllocation(p.Code, p.Name, allocation?.BasePupils, allocation?.BaseAmount ?? 0m,
                p.Rules.BaseAmount is not null && allocation?.BasePupils is null, p.Rules.BaseAmount?.BoundToSchool ?? false,
                allocation?.PerPupilShare ?? 0m, allocation?.Total ?? 0m);
        })));
    }
}
