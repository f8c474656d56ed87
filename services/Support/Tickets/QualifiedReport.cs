using Mep.Contracts;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Errors;
using Mep.Support.Data;
using Mep.Support.Routing;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Tickets;

/// <summary>
/// Qualified reporting: what level 1 needs per category (a device serial for a device fault, a room for a board fault) is
/// there and refers to the reporting school's own devices and rooms. A serial or room of another school reads as unknown:
/// the answer tells a school nothing about other schools.
/// </summary>
internal static class QualifiedReport
{
    /// <param name="Errors">What is missing or unknown (400).</param>
    /// <param name="Refusal">A room named by building and number that this school has not, or that is not the roomId sent (422).</param>
    public sealed record Outcome(TicketReport? Report, TabletOwnership? Ownership, Dictionary<string, string[]>? Errors, IResult? Refusal = null);

    public static async Task<Outcome> CheckAsync(OpenTicketRequest request, Guid schoolId, SupportDbContext db,
        IReadOnlyDictionary<string, TicketCategory> categories, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!categories.TryGetValue(request.Category!, out var category))
        {
            errors["category"] = [$"Unknown category. Use one of: {string.Join(", ", categories.Keys.Order(StringComparer.Ordinal))}."];
            return new Outcome(null, null, errors);
        }

        // Serials are compared in the one form Assets stores them in.
        var serial = SerialNumber.NormaliseOptional(request.DeviceSerial);
        KnownDeviceFacts? device = null;
        if (serial is null && category.RequiresDevice)
        {
            errors["deviceSerial"] = [$"A {category.Name} report needs the affected device's serial number."];
        }
        else if (serial is not null)
        {
            device = await db.KnownDevices.Where(d => d.SchoolId == schoolId && d.SerialNumber == serial && !d.Retired)
                .Select(d => new KnownDeviceFacts(d.DeviceId, d.Ownership)).FirstOrDefaultAsync(cancellationToken);
            if (device is null)
            {
                errors["deviceSerial"] = ["No device in service with this serial number is registered for this school."];
            }
        }

        var roomId = request.RoomId;
        // Validate refused a building without a room number and the other way round.
        if (!string.IsNullOrWhiteSpace(request.Building))
        {
            var named = await RoomByNameAsync(request, schoolId, db, cancellationToken);
            if (named.Refusal is not null)
            {
                return new Outcome(null, null, null, named.Refusal);
            }

            roomId = named.RoomId;
        }
        else if (roomId is null && category.RequiresRoom)
        {
            errors["roomId"] = [$"A {category.Name} report needs the room it happens in (roomId, or building and roomNumber)."];
        }
        else if (roomId is { } room && !await db.KnownRooms.AnyAsync(r => r.RoomId == room && r.SchoolId == schoolId, cancellationToken))
        {
            errors["roomId"] = ["No such room at this school."];
        }

        if (errors.Count > 0)
        {
            return new Outcome(null, null, errors);
        }

        var report = new TicketReport(schoolId, request.ReporterName!.Trim(), request.ReporterEmail!.Trim(), request.ReporterPhone?.Trim(), category.Code,
            serial, device?.DeviceId, roomId, request.Title!.Trim(), request.Description!.Trim(),
            EnumText.ParseName<Severity>(request.Impact!), EnumText.ParseName<Severity>(request.Urgency!), request.NeedsOnSite ?? false, request.SolvedBySchool ?? false);
        return new Outcome(report, device?.Ownership, null);
    }

    private sealed record KnownDeviceFacts(Guid DeviceId, TabletOwnership? Ownership);

    /// <summary>
    /// The school's room by building and number as people write them on the door: ignoring case and surrounding spaces. With a
    /// roomId besides, both must name the same room.
    /// </summary>
    private static async Task<(Guid? RoomId, IResult? Refusal)> RoomByNameAsync(OpenTicketRequest request, Guid schoolId, SupportDbContext db,
        CancellationToken cancellationToken)
    {
        var (building, number) = (LikePatterns.Literal(request.Building!.Trim()), LikePatterns.Literal(request.RoomNumber!.Trim()));
        // Two rows only for the moment a renumbering's events are on their way (the replica keeps no uniqueness Schools keeps).
        var found = await db.KnownRooms.Where(r => r.SchoolId == schoolId
                && EF.Functions.ILike(r.BuildingName, building, LikePatterns.EscapeCharacter)
                && EF.Functions.ILike(r.Number, number, LikePatterns.EscapeCharacter))
            .Select(r => r.RoomId).Take(2).ToListAsync(cancellationToken);
        if (found.Count != 1)
        {
            return (null, ApiProblems.DomainRule("room-unknown",
                $"This school has no room {request.RoomNumber.Trim()} in a building {request.Building.Trim()}.", ["building", "roomNumber"]));
        }

        if (request.RoomId is { } roomId && roomId != found[0])
        {
            return (null, ApiProblems.DomainRule("room-number-and-id-disagree",
                "roomId and building with roomNumber name two different rooms; send one of them.", ["roomId", "building", "roomNumber"]));
        }

        return (found[0], null);
    }
}
