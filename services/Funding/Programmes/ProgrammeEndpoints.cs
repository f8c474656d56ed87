using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Mep.Funding.Allocations;
using Mep.Funding.Audit;
using Mep.Funding.Data;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mep.Funding.Programmes;

public static class ProgrammeEndpoints
{
    public static RouteGroupBuilder MapProgrammeEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/programmes", ListProgrammes).RequireAuthorization(FundingAccess.Read)
            .WithName(nameof(ListProgrammes)).WithSummary("Every programme with its rules: rates, pools, base amount, eligible categories, caps, deadlines.");
        group.MapGet("/programmes/{code}", GetProgramme).RequireAuthorization(FundingAccess.Read)
            .WithName(nameof(GetProgramme)).WithSummary("One programme with its rules and ETag.");
        group.MapPut("/programmes/{code}", ChangeProgramme).RequireAuthorization(FundingAccess.Programmes)
            .WithName(nameof(ChangeProgramme)).WithSummary("Replace a programme's rules (If-Match required); the change is audited.");
        return group;
    }

    public static async Task<Ok<List<ProgrammeResponse>>> ListProgrammes(FundingDbContext db, CancellationToken cancellationToken)
    {
        var programmes = await ProgrammeCatalog.AllAsync(db, cancellationToken);
        return TypedResults.Ok(programmes.ConvertAll(ProgrammeResponse.From));
    }

    public static async Task<Results<Ok<ProgrammeResponse>, ProblemHttpResult>> GetProgramme([MaxLength(ProgrammeFields.MaxCode)] string code, FundingDbContext db, HttpResponse response,
        CancellationToken cancellationToken)
    {
        if (await ProgrammeCatalog.FindAsync(db, code, cancellationToken) is not { } programme)
        {
            return ApiProblems.NotFound("programme");
        }

        ETags.Set(response, programme.Version);
        return TypedResults.Ok(ProgrammeResponse.From(programme));
    }

    public static async Task<Results<Ok<ProgrammeResponse>, ProblemHttpResult>> ChangeProgramme([MaxLength(ProgrammeFields.MaxCode)] string code, ChangeProgrammeRequest request,
        ClaimsPrincipal user, FundingDbContext db, TimeProvider clock, HttpRequest http, CancellationToken cancellationToken)
    {
        var found = await ETags.FindForReplacementAsync(ProgrammeCatalog.FindAsync(db, code, cancellationToken, tracking: true),
            "programme", http, p => p.Version);
        if (!found.TryGet(out var programme, out var refusal))
        {
            return refusal;
        }

        var now = clock.GetUtcNow();
        programme.ChangeRules(request.Name!.Trim(), request.Source!.Trim(), request.Rules!, user.Actor(), now);
        db.Audit("programme", code, null, "rulesChanged", user.Actor(), now, new { request.Name, request.Rules });
        // A changed base amount rule (amount, threshold, school year) applies to every school at once, in the same unit of work.
        await BaseAmounts.RecomputeAsync(db, programme, null, user.Actor(), now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(http.HttpContext.Response, programme.Version);
        return TypedResults.Ok(ProgrammeResponse.From(programme));
    }
}
