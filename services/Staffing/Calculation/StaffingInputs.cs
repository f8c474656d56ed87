using Mep.Contracts;
using Mep.Staffing.Counts;
using Mep.Staffing.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.Staffing.Calculation;

/// <summary>Loads what calculations read: every known school with its live counts (zeros where it has no device yet).</summary>
public static class StaffingInputs
{
    private static readonly string SchoolsSql = $"""
        SELECT s.school_id AS school_id, s.number AS number, s.name AS name, s.type AS type, s.district AS district,
            s.at_mep_standard AS at_mep_standard, {CountColumns.Array(column => $"coalesce(c.{column}, 0)")} AS counts
        FROM known_schools s LEFT JOIN school_counts c ON c.school_id = s.school_id
        """;

    /// <param name="schoolId">Only this school (a single school's figure need not read the whole Land).</param>
    public static async Task<List<SchoolInput>> SchoolsAsync(StaffingDbContext db, string? district, CancellationToken cancellationToken,
        Guid? schoolId = null)
    {
        // The filters composed on the query rather than written "@x IS NULL OR ..." into it: each plan then has only the conditions it
        // needs, and a single school is read by its key.
        var schools = db.Database.SqlQueryRaw<Row>(SchoolsSql);
        if (district is not null)
        {
            schools = schools.Where(s => s.District == district);
        }

        if (schoolId is { } id)
        {
            schools = schools.Where(s => s.SchoolId == id);
        }

        var rows = await schools.OrderBy(s => s.Number).ThenBy(s => s.SchoolId).ToListAsync(cancellationToken);
        return rows.ConvertAll(r => new SchoolInput(r.SchoolId, r.Number, r.Name, Enum.Parse<SchoolType>(r.Type), r.District, r.AtMepStandard,
            DeviceCounts.InCategoryOrder(r.Counts)));
    }

    private sealed record Row(Guid SchoolId, string Number, string Name, string Type, string District, bool AtMepStandard, int[] Counts);
}
