using Microsoft.EntityFrameworkCore;

namespace Mep.SchoolDirectory;

/// <summary>The directory replica's schools as handlers read them: one row's school, a school by number.</summary>
public static class KnownSchools
{
    /// <summary>The school a row belongs to, for its number and name; null while the directory has not heard of it yet.</summary>
    public static Task<KnownSchool?> OfAsync(DbContext db, Guid schoolId, CancellationToken cancellationToken) =>
        db.Set<KnownSchool>().AsNoTracking().FirstOrDefaultAsync(s => s.SchoolId == schoolId, cancellationToken);

    /// <summary>
    /// The school with <paramref name="number"/> first: numbers are unique in Schools, but a replica can hold one twice for a moment
    /// while a renumbering's events arrive out of order, and then the lowest id stands (as <see cref="ISchoolNumbers"/> answers).
    /// </summary>
    public static IQueryable<KnownSchool> ByNumber(IQueryable<KnownSchool> schools, string number) =>
        schools.Where(s => s.Number == number).OrderBy(s => s.SchoolId);
}
