using Mep.Contracts;
using Mep.Staffing.Counts;
using Mep.Staffing.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.Staffing.Calculation;

/// <summary>Loads what calculations read: every known school with its live counts (zeros where it has no device yet).</summary>
public static class StaffingInputs
{
    /// <param name="schoolId">Only this school (a single school's figure need not read the whole Land).</param>
    public static async Task<List<SchoolInput>> SchoolsAsync(StaffingDbContext db, string? district, CancellationToken cancellationToken,
        Guid? schoolId = null)
    {
        var rows = await db.Database.SqlQuery<Row>($"""
            SELECT s.school_id AS school_id, s.number AS number, s.name AS name, s.type AS type, s.district AS district,
                s.at_mep_standard AS at_mep_standard,
                coalesce(c.pupil_tablets, 0) AS pupil_tablets, coalesce(c.teacher_tablets, 0) AS teacher_tablets,
                coalesce(c.loan_tablets, 0) AS loan_tablets, coalesce(c.class_set_tablets, 0) AS class_set_tablets,
                coalesce(c.computer_room_devices, 0) AS computer_room_devices, coalesce(c.board_systems, 0) AS board_systems,
                coalesce(c.board_system_components, 0) AS board_system_components, coalesce(c.network_devices, 0) AS network_devices
            FROM known_schools s LEFT JOIN school_counts c ON c.school_id = s.school_id
            WHERE ({district}::text IS NULL OR s.district = {district}) AND ({schoolId}::uuid IS NULL OR s.school_id = {schoolId})
            ORDER BY s.number, s.school_id
            """).ToListAsync(cancellationToken);
        return rows.ConvertAll(r => new SchoolInput(r.SchoolId, r.Number, r.Name, Enum.Parse<SchoolType>(r.Type), r.District, r.AtMepStandard,
            new DeviceCounts(r.PupilTablets, r.TeacherTablets, r.LoanTablets, r.ClassSetTablets, r.ComputerRoomDevices, r.BoardSystems,
                r.BoardSystemComponents, r.NetworkDevices)));
    }

    private sealed record Row(
        Guid SchoolId, string Number, string Name, string Type, string District, bool AtMepStandard, int PupilTablets, int TeacherTablets,
        int LoanTablets, int ClassSetTablets, int ComputerRoomDevices, int BoardSystems, int BoardSystemComponents, int NetworkDevices);
}
