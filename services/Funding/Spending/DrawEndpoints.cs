using System.Security.Claims;
using Mep.Contracts.Funding;
using Mep.Funding.Applications;
using Mep.Funding.Audit;
using Mep.Funding.Data;
using Mep.Funding.Programmes;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Telemetry;
using Mep.Messaging;
using Mep.SchoolDirectory;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mep.Jobs;

namespace Mep.Funding.Spending;

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

            var programme = (await ProgrammeCatalog.FindAsync(db, application.ProgrammeCode, cancellationToken))!;
            var draw = StageDraw(db, application, programme, request.Amount!.Value, request.DrawnOn!.Value, BerlinDay.Today(clock),
                request.Reference!.Trim(), user.Actor(), now);
            var school = await KnownSchools.OfAsync(db, draw.SchoolId, cancellationToken);
            http.HttpContext.Response.CountOnSuccess(http.HttpContext.RequestServices.GetRequiredService<DrawMetrics>().Drawn);
            return WriteOutcome.Created(new DrawResult(DrawResponse.From(draw, school), application.ApprovedAmount!.Value, application.DrawnAmount,
                application.Remaining), $"{FundingService.PathPrefix}/applications/{application.Id}/draws");
        }, cancellationToken);
    }

    /// <summary>
    /// Records a draw, judged by the draw rules (<see cref="FundingApplication.RecordDraw"/>), with its audit row and FundsDrawn event;
    /// the caller holds the application's row lock.
    /// </summary>
    internal static Draw StageDraw(FundingDbContext db, FundingApplication application, Programme programme, decimal amount, DateOnly drawnOn,
        DateOnly today, string reference, string actor, DateTimeOffset now)
    {
        var draw = Draw.Against(application, programme, amount, drawnOn, today, reference, actor, now);
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

        var draws = await db.Set<Draw>().Where(d => d.ApplicationId == id).OrderBy(d => d.DrawnOn).ThenBy(d => d.Id)
            .LeftJoin(db.KnownSchools, d => d.SchoolId, s => s.SchoolId, (d, s) => DrawResponse.From(d, s)).ToListAsync(cancellationToken);
        return TypedResults.Ok(draws);
    }
}
