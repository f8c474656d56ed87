using Mep.Staffing.Calculation;
using Mep.Staffing.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.Staffing.Scenarios;

/// <summary>What a projection reads: every school with its live counts, and every school's figures by school year.</summary>
public static class ProjectionInputs
{
    public static async Task<(List<SchoolInput> Schools, Dictionary<Guid, IReadOnlyList<SchoolYearInput>> SchoolYears)> LoadAsync(
        StaffingDbContext db, CancellationToken cancellationToken)
    {
        var schools = await StaffingInputs.SchoolsAsync(db, null, cancellationToken);
        var years = await db.KnownSchoolYears
            .Select(y => new { y.SchoolId, Figures = new SchoolYearInput(y.StartYear, y.Pupils, y.Teachers, y.Classes) })
            .ToListAsync(cancellationToken);
        return (schools, years.GroupBy(y => y.SchoolId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<SchoolYearInput>)g.Select(y => y.Figures).ToList()));
    }
}
