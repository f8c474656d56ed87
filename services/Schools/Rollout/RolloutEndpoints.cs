using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Mep.Contracts;
using Mep.Schools.Data;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Schools.Rollout;

/// <summary>A school's rollout: read it, change its parts, plan milestones, record the survey, accept the school.</summary>
public static class RolloutEndpoints
{
    public static RouteGroupBuilder MapRolloutEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}/rollout", GetRollout).RequireAuthorization(SchoolsAccess.Read)
            .WithName(nameof(GetRollout)).WithSummary("The school's rollout: parts, derived status, critical path, open items, violations, blocked items.");
        group.MapPut("/{id:guid}/rollout/broadband", ChangeBroadband).RequireAuthorization(SchoolsAccess.Write)
            .WithName(nameof(ChangeBroadband)).WithSummary("Replace the school's broadband connection and backbone node (If-Match supported).");
        group.MapPut("/{id:guid}/buildings/{buildingId:guid}/network", ChangeBuildingNetwork).RequireAuthorization(SchoolsAccess.Write)
            .WithName(nameof(ChangeBuildingNetwork)).WithSummary("Replace a building's technical rooms, distributors and cabling state (If-Match supported).");
        group.MapPut("/{id:guid}/rooms/{roomId:guid}/rollout", ChangeRoomRollout).RequireAuthorization(SchoolsAccess.Write)
            .WithName(nameof(ChangeRoomRollout)).WithSummary("Replace a room's WLAN, access points, board-system plan and computer-room replacement (If-Match supported).");
        group.MapPut("/{id:guid}/rollout/milestones/{milestone}", PlanMilestone).RequireAuthorization(SchoolsAccess.Write)
            .WithName(nameof(PlanMilestone)).WithSummary("Plan a milestone (surveyed, buildingWork, equipped, accepted); for surveyed also record the day it was done.");
        group.MapPost("/{id:guid}/rollout/acceptance", AcceptSchool).RequireAuthorization(SchoolsAccess.Write)
            .WithName(nameof(AcceptSchool)).WithSummary("Accept the school into regular operation in the MEP standard; refused, naming what is open, unless every part is done.");
        return group;
    }

    public static async Task<Results<Ok<RolloutView>, ProblemHttpResult>> GetRollout(
        Guid id, ClaimsPrincipal user, SchoolsDbContext db, RolloutLedger ledger, CancellationToken cancellationToken)
    {
        var view = user.MaySee(id) ? await ViewAsync(db, ledger, id, cancellationToken) : null;
        return view is null ? ApiProblems.NotFound("school") : TypedResults.Ok(view);
    }

    public static Task<Results<Ok<RolloutView>, ProblemHttpResult>> ChangeBroadband(
        Guid id, BroadbandRequest request, SchoolsDbContext db, RolloutLedger ledger, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken) =>
        ChangePartAsync(id, db.SchoolRollouts.Where(r => r.SchoolId == id), "school", r => r.Version,
            r => r.ChangeConnection(request.ToConnection(), clock.GetUtcNow()), view => view.Broadband.Etag, db, ledger, http, cancellationToken);

    public static Task<Results<Ok<RolloutView>, ProblemHttpResult>> ChangeBuildingNetwork(
        Guid id, Guid buildingId, BuildingNetworkRequest request, SchoolsDbContext db, RolloutLedger ledger, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken) =>
        ChangePartAsync(id, db.BuildingRollouts.Where(b => b.BuildingId == buildingId && b.SchoolId == id), "building of this school", b => b.Version,
            b => b.Change(request.TechnicalRooms!.Value, request.Distributors!.Value, request.Cabling!.Value, request.CablingMetres, clock.GetUtcNow()),
            view => view.Buildings.Single(b => b.BuildingId == buildingId).Etag, db, ledger, http, cancellationToken);

    public static Task<Results<Ok<RolloutView>, ProblemHttpResult>> ChangeRoomRollout(
        Guid id, Guid roomId, RoomRolloutRequest request, SchoolsDbContext db, RolloutLedger ledger, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken) =>
        ChangePartAsync(id, db.RoomRollouts.Where(r => r.RoomId == roomId && r.SchoolId == id), "room of this school", r => r.Version,
            r => r.Change(request.ToChange(), clock.GetUtcNow()), view => view.Rooms.Single(r => r.RoomId == roomId).Etag, db, ledger, http,
            cancellationToken);

    /// <summary>
    /// One part of a school's rollout replaced: found among the school's parts, If-Match checked against its version, changed
    /// under the ledger; the answer is the whole rollout with the part's new ETag.
    /// </summary>
    private static async Task<Results<Ok<RolloutView>, ProblemHttpResult>> ChangePartAsync<TPart>(Guid id, IQueryable<TPart> part, string what,
        Func<TPart, uint> version, Action<TPart> change, Func<RolloutView, string> etagOf, SchoolsDbContext db, RolloutLedger ledger, HttpContext http,
        CancellationToken cancellationToken) where TPart : class
    {
        var refused = await ledger.ChangeAsync(id, async () =>
        {
            var found = await part.AsTracking().FirstOrDefaultAsync(cancellationToken);
            if (found is null)
            {
                return ApiProblems.NotFound(what);
            }

            if (ETags.CheckIfMatch(http.Request, version(found)) is { } stale)
            {
                return stale;
            }

            change(found);
            return null;
        }, cancellationToken);
        return await AnswerAsync(refused, db, ledger, id, http.Response, etagOf, cancellationToken);
    }

    public static async Task<Results<Ok<RolloutView>, ProblemHttpResult>> PlanMilestone(
        Guid id, [MaxLength(20)] string milestone, MilestoneRequest request, SchoolsDbContext db, RolloutLedger ledger, HttpResponse response,
        CancellationToken cancellationToken)
    {
        if (!EnumText.TryParseName<RolloutMilestone>(milestone, out var which))
        {
            return ApiProblems.NotFound("milestone (surveyed, buildingWork, equipped, accepted)");
        }

        RolloutMilestoneDate.EnsureReportable(which, request.ReachedOn, ledger.Today);
        var refused = await ledger.ChangeAsync(id, async () =>
        {
            var state = (await ledger.LoadAsync(id, tracking: true, cancellationToken))!;
            var date = state.Milestones[which];
            date.Plan(request.PlannedOn);
            if (which == RolloutMilestone.Surveyed)
            {
                if (date.ReachedOn is null && request.ReachedOn is { } surveyedOn)
                {
                    ledger.Reach(state, which, surveyedOn);
                }
                else
                {
                    // A correction of the day (or its removal) is recorded; the milestone was reported once already.
                    date.RecordReached(request.ReachedOn);
                }
            }

            return null;
        }, cancellationToken);
        return await AnswerAsync(refused, db, ledger, id, response, etagOf: null, cancellationToken);
    }

    public static async Task<Results<Ok<RolloutView>, ProblemHttpResult>> AcceptSchool(
        Guid id, AcceptanceRequest request, SchoolsDbContext db, RolloutLedger ledger, HttpResponse response,
        CancellationToken cancellationToken)
    {
        var acceptedOn = request.AcceptedOn!.Value;
        RolloutMilestoneDate.EnsureAcceptanceDay(acceptedOn, ledger.Today);
        var refused = await ledger.ChangeAsync(id, async () =>
        {
            var state = (await ledger.LoadAsync(id, tracking: true, cancellationToken))!;
            state.Assessment.EnsureReadyForAcceptance();
            ledger.Accept(state, acceptedOn);
            return null;
        }, cancellationToken);
        return await AnswerAsync(refused, db, ledger, id, response, etagOf: null, cancellationToken);
    }

    private static async Task<Results<Ok<RolloutView>, ProblemHttpResult>> AnswerAsync(ProblemHttpResult? refused, SchoolsDbContext db,
        RolloutLedger ledger, Guid id, HttpResponse response, Func<RolloutView, string>? etagOf, CancellationToken cancellationToken)
    {
        if (refused is not null)
        {
            return refused;
        }

        var view = (await ViewAsync(db, ledger, id, cancellationToken))!;
        if (etagOf is not null)
        {
            response.Headers.ETag = etagOf(view);
        }

        return TypedResults.Ok(view);
    }

    private static async Task<RolloutView?> ViewAsync(SchoolsDbContext db, RolloutLedger ledger, Guid id, CancellationToken cancellationToken)
    {
        var state = await ledger.ReadAsync(id, cancellationToken);
        if (state is null)
        {
            return null;
        }

        var boardIds = state.Rooms.Where(r => r.BoardSystem is not null).Select(r => r.BoardSystem!.BoardSystemId).ToList();
        var components = boardIds.Count == 0 ? []
            : await db.BoardComponents.Where(c => c.BoardSystemId != null && boardIds.Contains(c.BoardSystemId.Value) && !c.Retired)
                .OrderBy(c => c.Kind).ToListAsync(cancellationToken);
        var late = await MilestoneSchedule.Late(db.RolloutMilestones.Where(m => m.SchoolId == id), db.SchoolRollouts, ledger.Today)
            .Select(m => m.Milestone).ToListAsync(cancellationToken);
        return RolloutView.From(state, components.ToLookup(c => c.BoardSystemId!.Value), late);
    }
}
