using System.Security.Claims;
using Mep.Assets.Data;
using Mep.Assets.Devices;
using Mep.Assets.Rooms;
using Mep.Contracts.Assets;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mep.ServiceDefaults.Data;

namespace Mep.Assets.BoardSystems;

public static class BoardSystemEndpoints
{
    public static RouteGroupBuilder MapBoardSystemEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/board-systems", ListBoardSystems).RequireAuthorization(AssetsAccess.Read)
            .WithName(nameof(ListBoardSystems)).WithSummary("Board systems with their components and the kinds still missing.");
        group.MapGet("/board-systems/{id:guid}", GetBoardSystem).RequireAuthorization(AssetsAccess.Read)
            .WithName(nameof(GetBoardSystem)).WithSummary("One board system with its components.");
        group.MapPost("/board-systems", SetUpBoardSystem).RequireAuthorization(AssetsAccess.Register)
            .WithName(nameof(SetUpBoardSystem))
            .WithSummary("Set up a board system in a room; components join it by registering or updating a boardSystemComponent device with its boardSystemId.");
        group.MapPost("/board-systems/{id:guid}/dismantle", DismantleBoardSystem).RequireAuthorization(AssetsAccess.Register)
            .WithName(nameof(DismantleBoardSystem)).WithSummary("Take a board system out of use; its components stay in the inventory, unassigned.");
        return group;
    }

    public static async Task<Results<Ok<Page<BoardSystemResponse>>, ProblemHttpResult>> ListBoardSystems(
        [AsParameters] BoardSystemListQuery query, ClaimsPrincipal user, AssetsDbContext db, ISchoolNumbers numbers,
        CancellationToken cancellationToken)
    {
        var (school, rooms, refusal) = await RoomNames.SelectAsync(db, numbers, user, query.SchoolId, query.SchoolNumber, query.Building, query.Room,
            cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var systems = school.Apply(db.BoardSystems, b => b.SchoolId);
        if (query.RoomId is { } room)
        {
            systems = systems.Where(b => b.RoomId == room);
        }

        if (rooms is not null)
        {
            systems = systems.Where(b => rooms.Contains(b.RoomId));
        }

        if (query.IncludeDismantled != true)
        {
            systems = systems.Where(b => b.DismantledAt == null);
        }

        var (skip, take, page, pageSize) = Paging.Resolve(query.Page, query.PageSize);
        var total = await systems.CountAsync(cancellationToken);
        var items = await systems.OrderBy(b => b.SchoolId).ThenBy(b => b.RoomId).ThenBy(b => b.Id).Page(skip, take)
            .LeftJoin(db.KnownSchools, b => b.SchoolId, s => s.SchoolId, (b, s) => new SystemAtSchool(b, s)).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<BoardSystemResponse>(await WithComponentsAsync(db, items, cancellationToken), page, pageSize, total));
    }

    public static async Task<Results<Ok<BoardSystemResponse>, ProblemHttpResult>> GetBoardSystem(
        Guid id, ClaimsPrincipal user, AssetsDbContext db, HttpResponse response, CancellationToken cancellationToken)
    {
        var system = await FindVisibleAsync(db, user, id, tracking: false, cancellationToken);
        if (system is null)
        {
            return ApiProblems.NotFound("board system");
        }

        ETags.Set(response, system.Version);
        return TypedResults.Ok(await AnswerAsync(db, system, cancellationToken));
    }

    public static async Task<Results<Created<BoardSystemResponse>, ValidationProblem, ProblemHttpResult>> SetUpBoardSystem(
        BoardSystemRequest request, ClaimsPrincipal user, AssetsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var required = await SchoolSelection.RequireAsync(db, user, request.SchoolId, schoolNumber: null, cancellationToken);
        if (required.Refused(out var refusal))
        {
            return refusal;
        }

        var schoolId = required.School!.SchoolId;
        if (!await db.KnownRooms.AnyAsync(r => r.RoomId == request.RoomId && r.SchoolId == schoolId, cancellationToken))
        {
            return ApiProblems.DomainRule("room-unknown", "Not a room of this school (rooms come from the Schools service).", ["roomId"]);
        }

        var now = clock.GetUtcNow();
        var system = BoardSystem.SetUp(schoolId, request.RoomId!.Value, request.Label, BoardSystemRequest.Day(request.InstalledOn), now);
        db.BoardSystems.Add(system);
        db.BoardSystemRegistered(system, now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"{AssetsService.PathPrefix}/board-systems/{system.Id}", await AnswerAsync(db, system, cancellationToken));
    }

    public static async Task<Results<Ok<BoardSystemResponse>, ProblemHttpResult>> DismantleBoardSystem(
        Guid id, ClaimsPrincipal user, AssetsDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var found = await ETags.FindForWriteAsync(FindVisibleAsync(db, user, id, tracking: true, cancellationToken),
            "board system", http.Request, s => s.Version);
        if (!found.TryGet(out var system, out var refusal))
        {
            return refusal;
        }

        var now = clock.GetUtcNow();
        system.Dismantle(now);
        var components = await db.Devices.AsTracking().Where(d => d.BoardSystemId == id).ToListAsync(cancellationToken);
        foreach (var component in components)
        {
            component.LeaveBoardSystem(now);
            db.DeviceHistory.Add(DeviceHistoryEntry.Updated(component, user.Actor(), now));
            db.DeviceUpdated(component, now);
        }

        db.BoardSystemDismantled(system, now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await AnswerAsync(db, system, cancellationToken));
    }

    private static async Task<BoardSystem?> FindVisibleAsync(AssetsDbContext db, ClaimsPrincipal user, Guid id, bool tracking,
        CancellationToken cancellationToken)
    {
        var systems = tracking ? db.BoardSystems.AsTracking() : db.BoardSystems;
        var scope = user.SchoolScope();
        return await systems.FirstOrDefaultAsync(b => b.Id == id && (scope == null || b.SchoolId == scope), cancellationToken);
    }

    /// <summary>A board system and its school in the directory (for the school's number and name).</summary>
    private sealed record SystemAtSchool(BoardSystem System, KnownSchool? School);

    private static async Task<BoardSystemResponse> AnswerAsync(AssetsDbContext db, BoardSystem system, CancellationToken cancellationToken)
    {
        var school = await KnownSchools.OfAsync(db, system.SchoolId, cancellationToken);
        return (await WithComponentsAsync(db, [new SystemAtSchool(system, school)], cancellationToken))[0];
    }

    private static async Task<List<BoardSystemResponse>> WithComponentsAsync(AssetsDbContext db, IReadOnlyList<SystemAtSchool> systems,
        CancellationToken cancellationToken)
    {
        var ids = systems.Select(s => s.System.Id).ToList();
        var components = (await db.Devices.Where(d => d.BoardSystemId != null && ids.Contains(d.BoardSystemId.Value))
                .Select(d => new { System = d.BoardSystemId!.Value, Component = new BoardComponentResponse(d.Id, d.ComponentKind!.Value, d.SerialNumber, d.Manufacturer, d.Model, d.Status) })
                .ToListAsync(cancellationToken))
            .ToLookup(c => c.System, c => c.Component);
        return
        [
            .. systems.Select(row =>
            {
                var (s, school) = (row.System, row.School);
                var parts = components[s.Id].OrderBy(c => c.ComponentKind).ToList();
                var missing = Enum.GetValues<BoardComponentKind>().Except(parts.Select(p => p.ComponentKind)).ToList();
                return new BoardSystemResponse(s.Id, s.SchoolId, school?.Number, school?.Name, s.RoomId, s.Label, s.InstalledOn, s.DismantledAt,
                    parts, missing, s.CreatedAt);
            }),
        ];
    }
}
