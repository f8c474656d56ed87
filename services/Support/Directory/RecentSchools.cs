using System.Collections.Concurrent;
using Mep.SchoolDirectory;

namespace Mep.Support.Directory;

/// <summary>
/// The schools tickets were opened for within the last second. A service desk on a busy morning opens tickets for the same
/// schools again and again, and reading the school's row for each was a round trip and a query per ticket. The known schools
/// are a read model fed by Schools' events and trail their source by the events' way through the broker already; a second more
/// is nothing a caller can tell. Only schools found are kept, so a school registered a moment ago is found at once; at most one
/// entry per known school.
/// </summary>
public sealed class RecentSchools
{
    private const long ReuseForMilliseconds = 1_000;

    // Real elapsed time, not the service's TimeProvider: a test's fixed clock must not keep a school for ever.
    private readonly ConcurrentDictionary<Guid, (KnownSchool School, long ReadAt)> _schools = new();

    /// <param name="read">Reads the school from the database when it was not read within the last second.</param>
    public async Task<KnownSchool?> FindAsync(Guid schoolId, Func<Task<KnownSchool?>> read)
    {
        var now = Environment.TickCount64;
        if (_schools.TryGetValue(schoolId, out var recent) && now - recent.ReadAt < ReuseForMilliseconds)
        {
            return recent.School;
        }

        var school = await read();
        if (school is null)
        {
            _schools.TryRemove(schoolId, out _);
        }
        else
        {
            _schools[schoolId] = (school, now);
        }

        return school;
    }
}
