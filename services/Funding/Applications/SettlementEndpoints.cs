using System.Security.Claims;
using Mep.Funding.Audit;
using Mep.Funding.Data;
using Mep.Funding.Directory;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;
using Mep.Jobs;

namespace Mep.Funding.Applications;

/// <summary>The end of a measure: the proof of use (Verwendungsnachweis) and the settlement that closes the application.</summary>
public static class SettlementEndpoints
{
    public static RouteGroupBuilder MapSettlementEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/applications/{id:guid}/proof-of-use", SubmitProofOfUse).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(SubmitProofOfUse)).Produces<ApplicationResponse>().WithSummary("Record the proof of use of a running or completed measure: day, document, what was spent.");
        group.MapPost("/applications/{id:guid}/settlement", SettleApplication).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(SettleApplication)).Produces<ApplicationResponse>()
            .WithSummary("Settle a completed application: needs the proof of use and the school's full media concept when the programme says so, by settlementUntil.");
        return group;
    }

    public static async Task<IResult> SubmitProofOfUse(Guid id, ProofOfUseRequest request, ClaimsPrincipal user, FundingDbContext db, TimeProvider clock,
        HttpContext http, CancellationToken cancellationToken)
    {
        if (request.SubmittedOn > BerlinDay.Today(clock))
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["submittedOn"] = ["Not after today."] });
        }

        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var found = await ETags.FindForWriteAsync(ApplicationStore.LockAsync(db, id, cancellationToken), "application", http.Request,
                a => a.Version);
            if (!found.TryGet(out var application, out var refusal))
            {
                return (IResult)refusal;
            }

            var now = clock.GetUtcNow();
            StageProofOfUse(db, application, request.SubmittedOn!.Value, request.DocumentReference!.Trim(), request.SpentTotal!.Value, user.Actor(), now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            ETags.Set(http.Response, application.Version);
            return TypedResults.Ok(await ApplicationEndpoints.AnswerAsync(db, application, cancellationToken));
        });
    }

    public static async Task<IResult> SettleApplication(Guid id, SettlementRequest request, ClaimsPrincipal user, FundingDbContext db, TimeProvider clock,
        HttpContext http, CancellationToken cancellationToken)
    {
        var settledOn = request.SettledOn!.Value;
        if (settledOn > BerlinDay.Today(clock))
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["settledOn"] = ["Not after today."] });
        }

        return await ApplicationEndpoints.ChangeStatusAsync(id, ApplicationStatus.Settled, user, db, clock, http, async step =>
            step.Application.Settle(step.Programme, await MediaConcepts.OfAsync(db, step.Application.SchoolId, cancellationToken), settledOn,
                step.Today, step.Actor, step.Now), cancellationToken);
    }

    /// <summary>Records the proof of use on the application (the caller holds its row lock) with its audit row.</summary>
    internal static void StageProofOfUse(FundingDbContext db, FundingApplication application, DateOnly submittedOn, string documentReference,
        decimal spentTotal, string actor, DateTimeOffset now)
    {
        application.RecordProofOfUse(submittedOn, documentReference, spentTotal, now);
        db.Audit("application", application.Id.ToString(), application.SchoolId, "proofOfUse", actor, now, new
        {
            submittedOn = application.ProofOfUseSubmittedOn, documentReference = application.ProofOfUseDocument,
            spentTotal = application.ProofOfUseSpentTotal, application.DrawnAmount,
        });
    }
}
