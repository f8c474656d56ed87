using System.Security.Claims;
using Mep.Assets.Data;
using Mep.Assets.Registration;
using Mep.Contracts.Assets;
using Mep.Exports;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Assets.Inventory;

public static class InventoryEndpoints
{
    /// <summary>How many board-system device units one board system is in the staffing ratios.</summary>
    public const int DevicesPerBoardSystem = 3;

    public static RouteGroupBuilder MapInventoryEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/counts", CountsPerSchool).RequireAuthorization(AssetsAccess.Read)
            .WithName(nameof(CountsPerSchool))
            .WithSummary("Devices in use per school, by ownership, subsidy category and staffing category (a board system counts as three devices).");
        group.MapExport("/schools/{schoolId:guid}/inventory.{format}", InventoryFile, "Inventory",
                "A school's devices, a row per device in the registration's columns: the CSV can be edited and uploaded again to /devices/batch.")
            .RequireAuthorization(AssetsAccess.Read);
        return group;
    }

    public static async Task<Results<Ok<Page<SchoolInventoryCounts>>, ProblemHttpResult>> CountsPerSchool(
        [AsParameters] InventoryCountsQuery query, ClaimsPrincipal user, AssetsDbContext db, ISchoolNumbers numbers,
        CancellationToken cancellationToken)
    {
        var school = await SchoolSelection.SelectAsync(numbers, user, query.SchoolId, query.SchoolNumber, cancellationToken);
        if (school.Refused(out var refusal))
        {
            return refusal;
        }

        var (skip, take, page, pageSize) = Paging.Resolve(query.Page, query.PageSize);
        var district = string.IsNullOrWhiteSpace(query.District) ? null : query.District.Trim();
        var inUse = DevicesInUse.StatusNames.ToArray();
        var schools = school.Apply(db.KnownSchools, s => s.SchoolId);
        // Each school's counts, with the school's and the district's filters composed on top (PostgreSQL takes them into the grouping).
        var counts = school.Apply(db.Database.SqlQuery<CountsRow>(
            $"""
             SELECT s.school_id AS school_id, s.number AS number, s.name AS name, s.district AS district,
                 count(*) FILTER (WHERE d.ownership = 'ParentFinancedPupil') AS parent_financed,
                 count(*) FILTER (WHERE d.ownership = 'ParentFinancedPupil' AND d.subsidy_category = 'None') AS subsidy_none,
                 count(*) FILTER (WHERE d.ownership = 'ParentFinancedPupil' AND d.subsidy_category = 'ButAsylbLG') AS subsidy_but,
                 count(*) FILTER (WHERE d.ownership = 'ParentFinancedPupil' AND d.subsidy_category = 'Sibling') AS subsidy_sibling,
                 count(*) FILTER (WHERE d.ownership = 'Teacher') AS teacher,
                 count(*) FILTER (WHERE d.ownership = 'Loan') AS loan,
                 count(*) FILTER (WHERE d.ownership = 'SchoolClassSet') AS class_set,
                 count(*) FILTER (WHERE d.kind = 'ComputerRoomDevice') AS computer_room,
                 count(*) FILTER (WHERE d.kind = 'NetworkDevice') AS network,
                 count(*) FILTER (WHERE d.kind = 'BoardSystemComponent') AS components,
                 count(*) FILTER (WHERE d.kind = 'BoardSystemComponent' AND d.board_system_id IS NULL) AS unassigned_components,
                 (SELECT count(*) FROM board_systems b WHERE b.school_id = s.school_id AND b.dismantled_at IS NULL) AS board_systems
             FROM known_schools s
             LEFT JOIN devices d ON d.school_id = s.school_id AND d.status = ANY({inUse})
             GROUP BY s.school_id, s.number, s.name, s.district
             """), r => r.SchoolId);
        if (district is not null)
        {
            schools = schools.Where(s => s.District == district);
            counts = counts.Where(r => r.District == district);
        }

        var total = await schools.CountAsync(cancellationToken);
        var rows = await counts.OrderBy(r => r.Number).ThenBy(r => r.SchoolId).Page(skip, take).ToListAsync(cancellationToken);
        var items = rows.ConvertAll(r => new SchoolInventoryCounts(
            r.SchoolId, r.Number, r.Name, r.District,
            new TabletCounts((int)r.ParentFinanced, (int)r.SubsidyNone, (int)r.SubsidyBut, (int)r.SubsidySibling, (int)r.Teacher, (int)r.Loan, (int)r.ClassSet),
            (int)r.ComputerRoom, (int)r.Network, (int)r.BoardSystems, (int)r.Components, (int)r.UnassignedComponents,
            new StaffingCounts(
                Tablets: (int)(r.ParentFinanced + r.Teacher + r.Loan),
                ComputerRoomDevices: (int)r.ComputerRoom,
                BoardSystemsAndClassSets: (int)(DevicesPerBoardSystem * r.BoardSystems + r.ClassSet))));
        return TypedResults.Ok(new Page<SchoolInventoryCounts>(items, page, pageSize, total));
    }

    public static async Task<Results<ExportDocument, ProblemHttpResult>> InventoryFile(
        Guid schoolId, [AsParameters] InventoryExportQuery query, ClaimsPrincipal user, AssetsDbContext db, CancellationToken cancellationToken)
    {
        var school = user.MaySee(schoolId) ? await KnownSchools.OfAsync(db, schoolId, cancellationToken) : null;
        if (school is null)
        {
            return ApiProblems.NotFound("school");
        }

        var devices = db.Devices.Where(d => d.SchoolId == schoolId);
        if (query.IncludeRetired != true)
        {
            devices = devices.Where(d => d.Status != Contracts.Assets.DeviceStatus.Retired);
        }

        // A school's rooms are a few hundred at most: read once, so each row names its room without a query of its own.
        var rooms = await db.KnownRooms.Where(r => r.SchoolId == schoolId).ToDictionaryAsync(r => r.RoomId, cancellationToken);

        // Streamed row by row from the database as the file is written: the CSV goes out as it is read; the workbook keeps its sheet
        // uncompressed in memory until it is complete (XlsxWorkbook), which a school's few thousand devices afford.
        return new ExportDocument($"Geräteinventar_{school.Number}", DeviceCsv.Inventory.Of(devices.OrderBy(d => d.SerialNumber).AsAsyncEnumerable()
            .Select(d => new InventoryRow(d, school, d.RoomId is { } room ? rooms.GetValueOrDefault(room) : null))));
    }

    private sealed record CountsRow(
        Guid SchoolId, string Number, string Name, string District, long ParentFinanced, long SubsidyNone, long SubsidyBut, long SubsidySibling,
        long Teacher, long Loan, long ClassSet, long ComputerRoom, long Network, long Components, long UnassignedComponents, long BoardSystems);
}
