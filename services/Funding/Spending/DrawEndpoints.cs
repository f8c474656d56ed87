using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Mep.Contracts.Funding;
using Mep.Funding.Applications;
using Mep.Funding.Audit;
using Mep.Funding.Data;
using Mep.Funding.Programmes;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Messaging;
using Mep.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mep.Funding.Spending;

public sealed record DrawRequest(
    [Required, Money(ApplicationLimits.MaxAmount, Positive = true)] decimal? Amount, [Required] DateOnly? DrawnOn,
    [Required, MaxLength(DrawRequest.MaxReference)] string? Reference) : IValidatableRequest
{
    public const int MaxReference = 100;
}

public sealed record DrawResponse(
    Guid Id, Guid ApplicationId, Guid SchoolId, [MaxLength(ProgrammeFields.MaxCode)] string ProgrammeCode, [Money(ApplicationLimits.MaxAmount)] decimal Amount,
    DateOnly DrawnOn, [MaxLength(DrawRequest.MaxReference)] string Reference, DateTimeOffset DrawnAt, [MaxLength(CallerClaims.MaxActorLength)] string DrawnBy)
{
    public static DrawResponse From(Draw d) => new(d.Id, d.ApplicationId, d.SchoolId, d.ProgrammeCode, d.Amount, d.DrawnOn, d.Reference, d.DrawnAt,
        d.DrawnBy);
}

/// <summary>A draw with what it leaves on its application.</summary>
public sealed record DrawResult(DrawResponse Draw, decimal ApprovedAmount, decimal DrawnTotal, decimal Remaining);

public static class DrawEndpoints
{
    public static RouteGroupBuilder MapDrawEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/applications/{id:guid}/draws", DrawFunds).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(DrawFunds)).Produces<DrawResult>(StatusCodes.Status201Created)
            .WithSummary("Draw money (Mittelabruf) against an approved application, never above approved minus drawn. Idempotency-Key supported.");
        group.MapGet("/applications/{id:guid}/draws", ApplicationDraws).RequireAuthorization(FundingAccess.Read)
            .WithName(nameof(ApplicationDraws)).WithSummary("The draws on one application, oldest first.");
        return group;
    }

    public static async Task<IResult> DrawFunds(Guid id, DrawRequest request, HttpRequest http, ClaimsPrincipal user, FundingDbContext db,
        TimeProvider clock, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        return await IdempotentWrite.RunAsync(db, http, user, request, clock, json.Value.SerializerOptions, async now =>
        {
            // Draws on one application wait for each other here: each judges what the one before it left.
            if (await ApplicationStore.LockAsync(db, id, cancellationToken) is not { } application)
            {
                return WriteOutcome.Refused(ApiProblems.NotFound("application"));
            }

            if (!application.MayDraw)
            {
                return WriteOutcome.Refused(ApiProblems.DomainRule("draw-needs-approval",
                    $"Money is drawn on approved applications until they are settled; this one is {application.Status.Name()}."));
            }

            var drawnOn = request.DrawnOn!.Value;
            var today = BerlinDay.Today(clock);
            if (drawnOn > today || (application.ApprovedOn is { } approvedOn && drawnOn < approvedOn))
            {
                return WriteOutcome.Refused(ApiProblems.DomainRule("draw-outside-approval",
                    $"A draw is dated from the approval ({ApplicationRules.Day(application.ApprovedOn!.Value)}) to today ({ApplicationRules.Day(today)}); "
                    + $"this one is dated {ApplicationRules.Day(drawnOn)}."));
            }

            var programme = (await ProgrammeCatalog.FindAsync(db, application.ProgrammeCode, cancellationToken))!;
            if (programme.Rules.Dates.SettlementUntil is { } lastDay && today > lastDay)
            {
                return WriteOutcome.Refused(ApiProblems.DomainRule("draw-after-settlement-deadline",
                    $"{programme.Name} pays out until its settlement day, {ApplicationRules.Day(lastDay)}.",
                    new Dictionary<string, object?> { ["deadline"] = lastDay }));
            }

            var amount = request.Amount!.Value;
            if (amount > application.Remaining)
            {
                return WriteOutcome.Refused(ApiProblems.DomainRule("draw-exceeds-approved",
                    $"{ApplicationRules.Eur(amount)} is more than remains of the approved {ApplicationRules.Eur(application.ApprovedAmount!.Value)}: "
                    + $"{ApplicationRules.Eur(application.DrawnAmount)} are drawn, {ApplicationRules.Eur(application.Remaining)} remain.",
                    new Dictionary<string, object?>
                    {
                        ["remaining"] = application.Remaining, ["approvedAmount"] = application.ApprovedAmount, ["drawnAmount"] = application.DrawnAmount,
                    }));
            }

            var draw = StageDraw(db, application, amount, drawnOn, request.Reference!.Trim(), user.Actor(), now);
            return WriteOutcome.Created(new DrawResult(DrawResponse.From(draw), application.ApprovedAmount!.Value, application.DrawnAmount,
                application.Remaining), $"{FundingService.PathPrefix}/applications/{application.Id}/draws");
        }, cancellationToken);
    }

    /// <summary>
    /// Records a draw with its audit row and FundsDrawn event; the caller holds the application's row lock and has judged the amount
    /// (<see cref="FundingApplication.RecordDraw"/> refuses again).
    /// </summary>
    internal static Draw StageDraw(FundingDbContext db, FundingApplication application, decimal amount, DateOnly drawnOn, string reference,
        string actor, DateTimeOffset now)
    {
        var draw = Draw.Against(application, amount, drawnOn, reference, actor, now);
        db.Add(draw);
        db.Audit("draw", draw.Id.ToString(), draw.SchoolId, "drawn", actor, now, new
        {
            applicationId = application.Id, draw.Amount, draw.DrawnOn, draw.Reference, drawnTotal = application.DrawnAmount,
            application.ApprovedAmount,
        });
        db.AddIntegrationEvent(new FundsDrawn(draw.Id, application.Id, application.SchoolId, application.ProgrammeCode, draw.Amount,
            application.DrawnAmount, application.ApprovedAmount!.Value, draw.DrawnOn, now), application.Id.ToString(), now);
        return draw;
    }

    public static async Task<Results<Ok<List<DrawResponse>>, ProblemHttpResult>> ApplicationDraws(Guid id, ClaimsPrincipal user, FundingDbContext db,
        CancellationToken cancellationToken)
    {
        if (!await db.VisibleApplications(user).AnyAsync(a => a.Id == id, cancellationToken))
        {
            return ApiProblems.NotFound("application");
        }

        var draws = await db.Set<Draw>().Where(d => d.ApplicationId == id).OrderBy(d => d.DrawnOn).ThenBy(d => d.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(draws.ConvertAll(DrawResponse.From));
    }
}
