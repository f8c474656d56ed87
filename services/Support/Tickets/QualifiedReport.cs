using Mep.Contracts;
using Mep.Contracts.Assets;
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
    public sealed record Outcome(TicketReport? Report, TabletOwnership? Ownership, Dictionary<string, string[]>? Errors);

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

        if (request.RoomId is null && category.RequiresRoom)
        {
            errors["roomId"] = [$"A {category.Name} report needs the room it happens in."];
        }
        else if (request.RoomId is { } room && !await db.KnownRooms.AnyAsync(r => r.RoomId == room && r.SchoolId == schoolId, cancellationToken))
        {
            errors["roomId"] = ["No such room at this school."];
        }

        if (errors.Count > 0)
        {
            return new Outcome(null, null, errors);
        }

        var report = new TicketReport(schoolId, request.ReporterName!.Trim(), request.ReporterEmail!.Trim(), request.ReporterPhone?.Trim(), category.Code,
            serial, device?.DeviceId, request.RoomId, request.Title!.Trim(), request.Description!.Trim(),
            EnumText.ParseName<Severity>(request.Impact!), EnumText.ParseName<Severity>(request.Urgency!), request.NeedsOnSite ?? false, request.SolvedBySchool ?? false);
        return new Outcome(report, device?.Ownership, null);
    }

    private sealed record KnownDeviceFacts(Guid DeviceId, TabletOwnership? Ownership);
}
