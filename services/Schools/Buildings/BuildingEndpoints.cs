using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Mep.Contracts;
using Mep.Contracts.Schools;
using Mep.Schools.Register;
using Mep.ServiceDefaults.Auth;
using Mep.Schools.Data;
using Mep.Schools.Rollout;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mep.ServiceDefaults.Data;

namespace Mep.Schools.Buildings;

public static class BuildingEndpoints
{
    public static RouteGroupBuilder MapBuildingEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}/buildings", ListBuildings).RequireAuthorization(SchoolsAccess.Read)
            .WithName(nameof(ListBuildings)).WithSummary("The school's buildings with their room counts.");
        group.MapGet("/{id:guid}/buildings/{buildingId:guid}", GetBuilding).RequireAuthorization(SchoolsAccess.Read)
            .WithName(nameof(GetBuilding)).WithSummary("One building with its room count.");
        group.MapPost("/{id:guid}/buildings", AddBuilding).RequireAuthorization(SchoolsAccess.Write)
            .WithName(nameof(AddBuilding)).WithSummary("Add a building; names are unique within a school.");
        group.MapGet("/{id:guid}/rooms", ListRooms).RequireAuthorization(SchoolsAccess.Read)
            .WithName(nameof(ListRooms))
            .WithSummary("The school's rooms, by building and number; ?building=Hauptgebäude&room=0.L finds a room by the names used on site.");
        group.MapGet("/by-number/{number}/rooms", ListRoomsBySchoolNumber).RequireAuthorization(SchoolsAccess.Read)
            .WithName(nameof(ListRoomsBySchoolNumber))
            .WithSummary("The rooms of the school with this school number: the same list and filters as by the school's id.");
        group.MapGet("/{id:guid}/rooms/{roomId:guid}", GetRoom).RequireAuthorization(SchoolsAccess.Read)
            .WithName(nameof(GetRoom)).WithSummary("One room, with its ETag.");
        group.MapPost("/{id:guid}/buildings/{buildingId:guid}/rooms", AddRoom).RequireAuthorization(SchoolsAccess.Write)
            .WithName(nameof(AddRoom)).WithSummary("Add a room to a building; numbers are unique within a building.");
        group.MapPut("/{id:guid}/rooms/{roomId:guid}", ChangeRoom).RequireAuthorization(SchoolsAccess.Write)
            .WithName(nameof(ChangeRoom)).WithSummary("Change a room's number, kind or description (If-Match supported).");
        return group;
    }

    public static async Task<Results<Ok<List<BuildingResponse>>, ProblemHttpResult>> ListBuildings(
        Guid id, ClaimsPrincipal user, SchoolsDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.IsVisibleSchoolAsync(user, id, cancellationToken))
        {
            return ApiProblems.NotFound("school");
        }

        var buildings = await db.Buildings.Where(b => b.SchoolId == id).OrderBy(b => b.Name)
            .Select(b => new BuildingResponse(b.Id, b.Name, db.Rooms.Count(r => r.BuildingId == b.Id), b.CreatedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(buildings);
    }

    public static async Task<Results<Ok<BuildingResponse>, ProblemHttpResult>> GetBuilding(
        Guid id, Guid buildingId, ClaimsPrincipal user, SchoolsDbContext db, CancellationToken cancellationToken)
    {
        var building = user.MaySee(id)
            ? await db.Buildings.Where(b => b.Id == buildingId && b.SchoolId == id)
                .Select(b => new BuildingResponse(b.Id, b.Name, db.Rooms.Count(r => r.BuildingId == b.Id), b.CreatedAt))
                .FirstOrDefaultAsync(cancellationToken)
            : null;
        return building is null ? ApiProblems.NotFound("building of this school") : TypedResults.Ok(building);
    }

    public static async Task<Results<Created<BuildingResponse>, ProblemHttpResult>> AddBuilding(
        Guid id, BuildingRequest request, ClaimsPrincipal user, SchoolsDbContext db, RolloutLedger ledger, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!user.MaySee(id))
        {
            return ApiProblems.NotFound("school");
        }

        var name = request.Name!.Trim();
        Building? building = null;
        var refused = await ledger.ChangeAsync(id, async () =>
        {
            if (await db.Buildings.AnyAsync(b => b.SchoolId == id && b.Name == name, cancellationToken))
            {
                return ApiProblems.Conflict($"The school already has a building named \"{name}\".");
            }

            var now = clock.GetUtcNow();
            building = Building.Add(id, name, now);
            db.Buildings.Add(building);
            db.BuildingRollouts.Add(BuildingRollout.Start(id, building.Id, now));
            return null;
        }, cancellationToken);
        return refused is not null ? refused : TypedResults.Created($"{SchoolsService.PathPrefix}/{id}/buildings/{building!.Id}",
            new BuildingResponse(building.Id, building.Name, 0, building.CreatedAt));
    }

    public static async Task<Results<Ok<Page<RoomResponse>>, ProblemHttpResult>> ListRooms(
        Guid id, [AsParameters] RoomListQuery query, ClaimsPrincipal user, SchoolsDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.IsVisibleSchoolAsync(user, id, cancellationToken))
        {
            return ApiProblems.NotFound("school");
        }

        var rooms = db.Rooms.Where(r => r.SchoolId == id);
        if (EnumText.TryParseName<RoomKind>(query.Kind, out var kind))
        {
            rooms = rooms.Where(r => r.Kind == kind);
        }

        if (query.BuildingId is { } buildingId)
        {
            rooms = rooms.Where(r => r.BuildingId == buildingId);
        }

        if (!string.IsNullOrWhiteSpace(query.Building))
        {
            var buildings = db.Buildings.Where(b => b.SchoolId == id).NamedAs(b => b.Name, query.Building).Select(b => b.Id);
            rooms = rooms.Where(r => buildings.Contains(r.BuildingId));
        }

        rooms = rooms.NamedAs(r => r.Number, query.Room);

        var (skip, take, page, pageSize) = Paging.Resolve(query.Page, query.PageSize);
        var total = await rooms.CountAsync(cancellationToken);
        var items = await rooms.OrderBy(r => r.BuildingId).ThenBy(r => r.Number).Page(skip, take).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<RoomResponse>(items.ConvertAll(RoomResponse.From), page, pageSize, total));
    }

    public static Task<Results<Ok<Page<RoomResponse>>, ProblemHttpResult>> ListRoomsBySchoolNumber(
        [MaxLength(SchoolFields.NumberLength), SchoolNumber] string number, [AsParameters] RoomListQuery query, ClaimsPrincipal user,
        SchoolsDbContext db, ISchoolNumbers numbers, CancellationToken cancellationToken) =>
        numbers.BySchoolNumberAsync(user, number, id => ListRooms(id, query, user, db, cancellationToken), cancellationToken);

    public static async Task<Results<Ok<RoomResponse>, ProblemHttpResult>> GetRoom(
        Guid id, Guid roomId, ClaimsPrincipal user, SchoolsDbContext db, HttpResponse response, CancellationToken cancellationToken)
    {
        var room = user.MaySee(id) ? await db.Rooms.FirstOrDefaultAsync(r => r.Id == roomId && r.SchoolId == id, cancellationToken) : null;
        if (room is null)
        {
            return ApiProblems.NotFound("room of this school");
        }

        ETags.Set(response, room.Version);
        return TypedResults.Ok(RoomResponse.From(room));
    }

    public static async Task<Results<Created<RoomResponse>, ProblemHttpResult>> AddRoom(
        Guid id, Guid buildingId, RoomRequest request, SchoolsDbContext db, RolloutLedger ledger, TimeProvider clock, HttpResponse response,
        CancellationToken cancellationToken)
    {
        Room? room = null;
        var refused = await ledger.ChangeAsync(id, async () =>
        {
            var building = await db.Buildings.FirstOrDefaultAsync(b => b.Id == buildingId && b.SchoolId == id, cancellationToken);
            if (building is null)
            {
                return ApiProblems.NotFound("building of this school");
            }

            var number = request.Number!.Trim();
            if (await RoomNumberTakenAsync(db, buildingId, number, exceptRoomId: null, cancellationToken))
            {
                return RoomNumberTaken(number);
            }

            var now = clock.GetUtcNow();
            room = Room.Add(id, buildingId, number, request.Kind!.Value, request.Description, now);
            db.Rooms.Add(room);
            db.RoomRollouts.Add(RoomRollout.Start(id, room.Id, room.Kind, now));
            db.RoomRecorded(room, building, now);
            return null;
        }, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        ETags.Set(response, room!.Version);
        return TypedResults.Created($"{SchoolsService.PathPrefix}/{id}/rooms/{room.Id}", RoomResponse.From(room));
    }

    public static async Task<Results<Ok<RoomResponse>, ProblemHttpResult>> ChangeRoom(
        Guid id, Guid roomId, RoomRequest request, SchoolsDbContext db, RolloutLedger ledger, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken)
    {
        Room? room = null;
        var refused = await ledger.ChangeAsync(id, async () =>
        {
            var found = await ETags.FindForWriteAsync(
                db.Rooms.AsTracking().FirstOrDefaultAsync(r => r.Id == roomId && r.SchoolId == id, cancellationToken), "room of this school",
                http.Request, r => r.Version);
            if (!found.TryGet(out room, out var refusal))
            {
                return refusal;
            }

            var number = request.Number!.Trim();
            if (await RoomNumberTakenAsync(db, room.BuildingId, number, roomId, cancellationToken))
            {
                return RoomNumberTaken(number);
            }

            var now = clock.GetUtcNow();
            room.Change(number, request.Kind!.Value, request.Description, now);
            db.RoomRecorded(room, await db.Buildings.SingleAsync(b => b.Id == room.BuildingId, cancellationToken), now);
            return null;
        }, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        ETags.Set(http.Response, room!.Version);
        return TypedResults.Ok(RoomResponse.From(room));
    }

    private static Task<bool> RoomNumberTakenAsync(SchoolsDbContext db, Guid buildingId, string number, Guid? exceptRoomId,
        CancellationToken cancellationToken) =>
        db.Rooms.AnyAsync(r => r.BuildingId == buildingId && r.Number == number && r.Id != exceptRoomId, cancellationToken);

    private static ProblemHttpResult RoomNumberTaken(string number) =>
        ApiProblems.Conflict($"The building already has a room {number}.",
            new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["number"] = ["Already used in this building."] } });
}
