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
    /// <param name="Refusal">Why the report is not taken, with every field at fault at once: missing information or a room named twice
    /// differently (400), else a device or room this school has not (422 <c>device-unknown</c>, <c>room-unknown</c>).</param>
    public sealed record Outcome(TicketReport? Report, TabletOwnership? Ownership, IResult? Refusal);

    public static async Task<Outcome> CheckAsync(OpenTicketRequest request, Guid schoolId, SupportDbContext db,
        IReadOnlyDictionary<string, TicketCategory> categories, CancellationToken cancellationToken)
    {
        if (!categories.TryGetValue(request.Category!, out var category))
        {
            return new Outcome(null, null, ApiProblems.Validation(new Dictionary<string, string[]>
            {
                ["category"] = [$"Unknown category. Use one of: {string.Join(", ", categories.Keys.Order(StringComparer.Ordinal))}."],
            }));
        }

        var invalid = new Dictionary<string, string[]>();
        var unknown = new List<(string Rule, string Field, string Reason)>();

        // Serials are compared in the one form Assets stores them in.
        var serial = SerialNumber.NormaliseOptional(request.DeviceSerial);
        KnownDeviceFacts? device = null;
        if (serial is null && category.RequiresDevice)
        {
            invalid["deviceSerial"] = [$"A {category.Name} report needs the affected device's serial number."];
        }
        else if (serial is not null)
        {
            device = await db.KnownDevices.Where(d => d.SchoolId == schoolId && d.SerialNumber == serial && !d.Retired)
                .Select(d => new KnownDeviceFacts(d.DeviceId, d.Ownership)).FirstOrDefaultAsync(cancellationToken);
            if (device is null)
            {
                unknown.Add(("device-unknown", "deviceSerial", "No device in service with this serial number is registered for this school."));
            }
        }

        var roomId = request.RoomId;
        // Validate refused a building without a room number and the other way round.
        if (!string.IsNullOrWhiteSpace(request.Building))
        {
            roomId = await RoomByNameAsync(request, schoolId, db, cancellationToken);
            if (roomId is null)
            {
                var reason = $"This school has no room {request.RoomNumber!.Trim()} in a building {request.Building.Trim()}.";
                unknown.Add(("room-unknown", "building", reason));
                unknown.Add(("room-unknown", "roomNumber", reason));
            }
            else if (request.RoomId is { } sent && sent != roomId)
            {
                const string TwoRooms = "roomId and building with roomNumber name two different rooms; send one of them.";
                (invalid["roomId"], invalid["building"], invalid["roomNumber"]) = ([TwoRooms], [TwoRooms], [TwoRooms]);
            }
        }
        else if (roomId is null && category.RequiresRoom)
        {
            invalid["roomId"] = [$"A {category.Name} report needs the room it happens in (roomId, or building and roomNumber)."];
        }
        else if (roomId is { } room && !await db.KnownRooms.AnyAsync(r => r.RoomId == room && r.SchoolId == schoolId, cancellationToken))
        {
            unknown.Add(("room-unknown", "roomId", "No such room at this school."));
        }

        if (invalid.Count > 0)
        {
            // What is missing is told first, with what is unknown besides, so one correction fixes the whole report.
            foreach (var (_, field, reason) in unknown)
            {
                invalid[field] = [reason];
            }

            return new Outcome(null, null, ApiProblems.Validation(invalid));
        }

        if (unknown.Count > 0)
        {
            // One rule names the problem (the first one found); errors name every field, the device's and the room's alike.
            return new Outcome(null, null, ApiProblems.DomainRule(unknown[0].Rule, string.Join(" ", unknown.Select(u => u.Reason).Distinct()),
                new Dictionary<string, object?> { ["errors"] = unknown.ToDictionary(u => u.Field, u => new[] { u.Reason }, StringComparer.Ordinal) }));
        }

        var report = new TicketReport(schoolId, request.ReporterName!.Trim(), request.ReporterEmail!.Trim(), request.ReporterPhone?.Trim(), category.Code,
            serial, device?.DeviceId, roomId, request.Title!.Trim(), request.Description!.Trim(),
            EnumText.ParseName<Severity>(request.Impact!), EnumText.ParseName<Severity>(request.Urgency!), request.NeedsOnSite ?? false, request.SolvedBySchool ?? false);
        return new Outcome(report, device?.Ownership, null);
    }

    private sealed record KnownDeviceFacts(Guid DeviceId, TabletOwnership? Ownership);

    /// <summary>
    /// The school's room by building and number as people write them on the door (<see cref="NamesAsWritten"/>); null when it has none.
    /// A replica holds two rows only for the moment a renumbering's events are on their way (it keeps no uniqueness Schools keeps): then
    /// the lowest id stands, the same on every request, as for a school's number.
    /// </summary>
    private static Task<Guid?> RoomByNameAsync(OpenTicketRequest request, Guid schoolId, SupportDbContext db, CancellationToken cancellationToken) =>
        db.KnownRooms.Where(r => r.SchoolId == schoolId).NamedAs(r => r.BuildingName, request.Building).NamedAs(r => r.Number, request.RoomNumber)
            .OrderBy(r => r.RoomId).Select(r => (Guid?)r.RoomId).FirstOrDefaultAsync(cancellationToken);
}
