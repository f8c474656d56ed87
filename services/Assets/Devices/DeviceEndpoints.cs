using Mep.Contracts;
using System.Security.Claims;
using Mep.Assets.Data;
using Mep.Assets.Loans;
using Mep.Assets.Registration;
using Mep.Assets.Rooms;
using Mep.Contracts.Assets;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Assets.Devices;

public static class DeviceEndpoints
{
    private const string TransitionsText =
        "Allowed: ordered → delivered | retired; delivered → inService | inRepair | lost | retired; inService → inRepair | lost | retired; "
        + "inRepair → inService | lost | retired; lost → inService | retired; retired is final.";

    public static RouteGroupBuilder MapDeviceEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/devices", ListDevices).RequireAuthorization(AssetsAccess.Read)
            .WithName(nameof(ListDevices)).WithSummary("Devices, filtered, sorted and paged; a school key sees only its own school's.");
        group.MapGet("/devices/{id:guid}", GetDevice).RequireAuthorization(AssetsAccess.Read)
            .WithName(nameof(GetDevice)).WithSummary("One device, with its ETag.");
        group.MapPut("/devices/{id:guid}", ChangeDevice).RequireAuthorization(AssetsAccess.Register)
            .WithName(nameof(ChangeDevice))
            .WithSummary("Replace a device's recorded facts (everything but status and school); If-Match required (428 without, 412 when stale).");
        group.MapPost("/devices/{id:guid}/status", ChangeStatus).RequireAuthorization(AssetsAccess.Register)
            .WithName(nameof(ChangeStatus)).WithSummary("Move a device through its lifecycle (If-Match supported).").WithDescription(TransitionsText);
        group.MapPost("/devices/{id:guid}/retire", RetireDevice).RequireAuthorization(AssetsAccess.Register)
            .WithName(nameof(RetireDevice)).WithSummary("Retire a device for good: it no longer counts anywhere (If-Match supported).");
        group.MapPost("/devices/{id:guid}/move", MoveDevice).RequireAuthorization(AssetsAccess.Manage)
            .WithName(nameof(MoveDevice)).WithSummary("Move a device to another room or school (staff); it leaves its board system (If-Match supported).");
        group.MapGet("/devices/{id:guid}/history", DeviceHistory).RequireAuthorization(AssetsAccess.Read)
            .WithName(nameof(DeviceHistory)).WithSummary("What happened to a device, oldest first: registration, updates, status changes, moves.");
        group.MapPost("/devices/status-changes", ChangeStatusInBulk).RequireAuthorization(AssetsAccess.Manage)
            .WithName(nameof(ChangeStatusInBulk))
            .WithSummary("Change the status of up to 5,000 devices at once (staff): all or none, with every refused device listed.")
            .WithDescription(TransitionsText);
        return group;
    }

    public static async Task<Results<Ok<Page<DeviceResponse>>, ProblemHttpResult>> ListDevices(
        [AsParameters] DeviceListQuery query, ClaimsPrincipal user, AssetsDbContext db, ISchoolNumbers numbers, CancellationToken cancellationToken)
    {
        // Another school's devices are not "none" but "no such school" for a school key, by id or by number: it learns nothing.
        var (school, rooms, refusal) = await RoomNames.SelectAsync(db, numbers, user, query.SchoolId, query.SchoolNumber, query.Building, query.Room,
            cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var devices = query.Apply(school.Apply(db.Devices, d => d.SchoolId));
        if (rooms is not null)
        {
            devices = devices.Where(d => d.RoomId != null && rooms.Contains(d.RoomId.Value));
        }

        var (skip, take, page, pageSize) = Paging.Resolve(query.Page, query.PageSize);
        var total = await devices.CountAsync(cancellationToken);
        var items = await query.OnePageAsync(db.Devices, db.KnownSchools, devices, total, skip, take, cancellationToken);
        return TypedResults.Ok(new Page<DeviceResponse>(items, page, pageSize, total));
    }

    public static async Task<Results<Ok<DeviceResponse>, ProblemHttpResult>> GetDevice(
        Guid id, ClaimsPrincipal user, AssetsDbContext db, HttpResponse response, CancellationToken cancellationToken)
    {
        var device = await FindVisibleAsync(db, user, id, tracking: false, cancellationToken);
        if (device is null)
        {
            return ApiProblems.NotFound("device");
        }

        ETags.Set(response, device.Version);
        return TypedResults.Ok(await AnswerAsync(db, device, cancellationToken));
    }

    public static async Task<Results<Ok<DeviceResponse>, ValidationProblem, ProblemHttpResult>> ChangeDevice(
        Guid id, DeviceRow request, ClaimsPrincipal user, AssetsDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var found = await ETags.FindForReplacementAsync(FindVisibleAsync(db, user, id, tracking: true, cancellationToken),
            "device", http.Request, d => d.Version);
        if (!found.TryGet(out var device, out var refusal))
        {
            return refusal;
        }

        var errors = new ValidationErrors();
        if (request.Status is not null)
        {
            errors.Add("status", "Change the status with POST .../status or .../retire; it is not part of the device's facts.");
        }

        var row = DeviceRules.Check(request, errors);
        if (row is null || !errors.IsEmpty)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }

        var school = await SchoolContext.LoadAsync(db, device.SchoolId, cancellationToken);
        var contextErrors = school.Check(row.Facts, device.Id);
        if (contextErrors.Count > 0)
        {
            return ApiProblems.Validation(SchoolContext.ByField(contextErrors));
        }

        if (row.SerialNumber != device.SerialNumber)
        {
            var holder = await db.Devices.Where(d => d.SerialNumber == row.SerialNumber).Select(d => (Guid?)d.SchoolId).FirstOrDefaultAsync(cancellationToken);
            if (holder is not null)
            {
                return ApiProblems.Conflict(holder == device.SchoolId
                    ? "Another device of this school has this serial number."
                    : $"The serial number is {DeviceRegistrar.SerialTakenReason.ToLowerInvariant()}");
            }
        }

        var now = clock.GetUtcNow();
        var serialChanged = row.SerialNumber != device.SerialNumber;
        if (serialChanged)
        {
            device.CorrectSerialNumber(row.SerialNumber, now);
        }

        if (device.Update(row.Facts, now) | serialChanged)
        {
            db.DeviceHistory.Add(DeviceHistoryEntry.Updated(device, user.Actor(), now));
            db.DeviceUpdated(device, now);
            await db.SaveChangesAsync(cancellationToken);
        }

        ETags.Set(http.Response, device.Version);
        return TypedResults.Ok(await AnswerAsync(db, device, cancellationToken));
    }

    public static Task<Results<Ok<DeviceResponse>, ProblemHttpResult>> ChangeStatus(
        Guid id, StatusChangeRequest request, ClaimsPrincipal user, AssetsDbContext db, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken) =>
        ApplyStatusAsync(id, EnumText.ParseName<DeviceStatus>(request.Status!), request.Note, user, db, clock, http, cancellationToken);

    public static Task<Results<Ok<DeviceResponse>, ProblemHttpResult>> RetireDevice(
        Guid id, RetireRequest request, ClaimsPrincipal user, AssetsDbContext db, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken) =>
        ApplyStatusAsync(id, DeviceStatus.Retired, request.Reason, user, db, clock, http, cancellationToken);

    private static async Task<Results<Ok<DeviceResponse>, ProblemHttpResult>> ApplyStatusAsync(
        Guid id, DeviceStatus to, string? note, ClaimsPrincipal user, AssetsDbContext db, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken)
    {
        var found = await ETags.FindForWriteAsync(FindVisibleAsync(db, user, id, tracking: true, cancellationToken),
            "device", http.Request, d => d.Version);
        if (!found.TryGet(out var device, out var refusal))
        {
            return refusal;
        }

        await LentDevices.EnsureMayBecomeAsync(db, device.Id, to, cancellationToken);
        var now = clock.GetUtcNow();
        var from = device.Status;
        device.ChangeStatus(to, now);
        db.DeviceHistory.Add(DeviceHistoryEntry.StatusChanged(device.Id, from, to, user.Actor(), note?.Trim(), now));
        db.DeviceStatusChanged(device, from, now);
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(http.Response, device.Version);
        return TypedResults.Ok(await AnswerAsync(db, device, cancellationToken));
    }

    public static async Task<Results<Ok<DeviceResponse>, ValidationProblem, ProblemHttpResult>> MoveDevice(
        Guid id, MoveRequest request, ClaimsPrincipal user, AssetsDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var found = await ETags.FindForWriteAsync(FindVisibleAsync(db, user, id, tracking: true, cancellationToken),
            "device", http.Request, d => d.Version);
        if (!found.TryGet(out var device, out var refusal))
        {
            return refusal;
        }

        var schoolId = request.SchoolId ?? device.SchoolId;
        if (!await db.KnownSchools.AnyAsync(s => s.SchoolId == schoolId, cancellationToken))
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["schoolId"] = ["No school with this id is known."] });
        }

        var target = await SchoolContext.LoadAsync(db, schoolId, cancellationToken);
        var contextErrors = target.Check(device.Facts with { RoomId = request.RoomId, BoardSystemId = null }, device.Id);
        if (contextErrors.Count > 0)
        {
            return ApiProblems.Validation(SchoolContext.ByField(contextErrors));
        }

        var from = (device.SchoolId, device.RoomId);
        if (from == (schoolId, request.RoomId))
        {
            return ApiProblems.Conflict("The device is already there.");
        }

        await LentDevices.EnsureMayMoveAsync(db, device, schoolId, cancellationToken);
        var now = clock.GetUtcNow();
        device.MoveTo(schoolId, request.RoomId, now);
        db.DeviceHistory.Add(DeviceHistoryEntry.Moved(device.Id, from, (schoolId, request.RoomId), user.Actor(), request.Note?.Trim(), now));
        db.DeviceMoved(device, from, now);
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(http.Response, device.Version);
        return TypedResults.Ok(await AnswerAsync(db, device, cancellationToken));
    }

    public static async Task<Results<Ok<List<DeviceHistoryResponse>>, ProblemHttpResult>> DeviceHistory(
        Guid id, ClaimsPrincipal user, AssetsDbContext db, CancellationToken cancellationToken)
    {
        if (await FindVisibleAsync(db, user, id, tracking: false, cancellationToken) is null)
        {
            return ApiProblems.NotFound("device");
        }

        var entries = db.DeviceHistory.Where(e => e.DeviceId == id);
        var school = user.SchoolScope();
        if (school is not null)
        {
            // A school's key reads the device's history from its latest arrival from another school (a borrower's transfer, a move by
            // staff): what happened before belongs to the school it came from, which the arrival does not name either.
            var arrived = await entries.Where(e => e.Change == DeviceChange.Moved && e.ToSchoolId == school && e.FromSchoolId != school)
                .MaxAsync(e => (long?)e.Id, cancellationToken);
            if (arrived is not null)
            {
                entries = entries.Where(e => e.Id >= arrived);
            }
        }

        var history = await entries.OrderBy(e => e.Id)
            .Select(e => new DeviceHistoryResponse(e.Id, e.At, e.Actor, e.Change, e.FromStatus, e.ToStatus,
                school == null || e.FromSchoolId == school ? e.FromSchoolId : null, e.ToSchoolId,
                school == null || e.FromSchoolId == school ? e.FromRoomId : null, e.ToRoomId, e.Note))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(history);
    }

    public static async Task<Results<Ok<BulkStatusChangeResult>, ProblemHttpResult>> ChangeStatusInBulk(
        BulkStatusChangeRequest request, ClaimsPrincipal user, AssetsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var to = EnumText.ParseName<DeviceStatus>(request.Status!);
        var ids = request.DeviceIds!;
        var devices = await db.Devices.AsTracking().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, cancellationToken);
        var lent = LentDevices.MayBecome(to) ? [] : await LentDevices.OpenLoansAsync(db, devices.Keys, cancellationToken);
        var refused = new List<object>();
        var seen = new HashSet<Guid>();
        for (var i = 0; i < ids.Count; i++)
        {
            var reason = !seen.Add(ids[i]) ? "Listed twice."
                : !devices.TryGetValue(ids[i], out var device) ? "No such device."
                : device.Status == to ? $"Already {DeviceRules.Name(to)}."
                : !DeviceRules.MayChange(device.Status, to) ? $"Cannot go from {DeviceRules.Name(device.Status)} to {DeviceRules.Name(to)}."
                : lent.TryGetValue(device.Id, out var loan) ? LentDevices.WhyNot(loan, to)
                : null;
            if (reason is not null)
            {
                refused.Add(new { row = i + 1, deviceId = ids[i], field = "deviceIds", reason });
            }
        }

        if (refused.Count > 0)
        {
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, ProblemTypes.BatchRejected, "Bulk change rejected",
                $"{refused.Count} device(s) cannot change to {DeviceRules.Name(to)}; nothing was changed.",
                new Dictionary<string, object?> { ["rows"] = refused });
        }

        var now = clock.GetUtcNow();
        foreach (var device in devices.Values)
        {
            var from = device.Status;
            device.ChangeStatus(to, now);
            db.DeviceHistory.Add(DeviceHistoryEntry.StatusChanged(device.Id, from, to, user.Actor(), request.Note?.Trim(), now));
            db.DeviceStatusChanged(device, from, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new BulkStatusChangeResult(devices.Count, DeviceRules.Name(to)));
    }

    /// <summary>One device as the API answers it, with its school's number and name from the directory.</summary>
    internal static async Task<DeviceResponse> AnswerAsync(AssetsDbContext db, Device device, CancellationToken cancellationToken) =>
        DeviceResponse.From(device, await KnownSchools.OfAsync(db, device.SchoolId, cancellationToken));

    /// <summary>The device if it exists and the caller may see its school; for a school key another school's device does not exist.</summary>
    private static async Task<Device?> FindVisibleAsync(AssetsDbContext db, ClaimsPrincipal user, Guid id, bool tracking, CancellationToken cancellationToken)
    {
        var devices = tracking ? db.Devices.AsTracking() : db.Devices;
        var scope = user.SchoolScope();
        return await devices.FirstOrDefaultAsync(d => d.Id == id && (scope == null || d.SchoolId == scope), cancellationToken);
    }
}
