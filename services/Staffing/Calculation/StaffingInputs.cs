using Mep.Contracts;
using Mep.Staffing.Counts;
using Mep.Staffing.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Mep.Staffing.Calculation;

/// <summary>Loads what calculations read: every known school with its live counts (zeros where it has no device yet).</summary>
public static class StaffingInputs
{
    private static readonly string SchoolsSql = $"""
        SELECT s.school_id AS school_id, s.number AS number, s.name AS name, s.type AS type, s.district AS district,
            s.at_mep_standard AS at_mep_standard, {CountColumns.Array(column => $"coalesce(c.{column}, 0)")} AS counts
        FROM known_schools s LEFT JOIN school_counts c ON c.school_id = s.school_id
        WHERE (@district::text IS NULL OR s.district = @district) AND (@school_id::uuid IS NULL OR s.school_id = @school_id)
        ORDER BY s.number, s.school_id
        """;

    /// <param name="schoolId">Only this school (a single school's figure need not read the whole Land).</param>
    public static async Task<List<SchoolInput>> SchoolsAsync(StaffingDbContext db, string? district, CancellationToken cancellationToken,
        Guid? schoolId = null)
    {
        var rows = await db.Database.SqlQueryRaw<Row>(SchoolsSql,
            new NpgsqlParameter("district", NpgsqlDbType.Text) { Value = (object?)district ?? DBNull.Value },
            new NpgsqlParameter("school_id", NpgsqlDbType.Uuid) { Value = (object?)schoolId ?? DBNull.Value }).ToListAsync(cancellationToken);
        return rows.ConvertAll(r => new SchoolInput(r.SchoolId, r.Number, r.Name, Enum.Parse<SchoolType>(r.Type), r.District, r.AtMepStandard,
            DeviceCounts.InCategoryOrder(r.Counts)));
    }

    private sealed record Row(Guid SchoolId, string Number, string Name, string Type, string District, bool AtMepStandard, int[] Counts);
}
