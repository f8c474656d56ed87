using Mep.Schools.Data;
using Mep.SchoolDirectory;
using Microsoft.EntityFrameworkCore;

namespace Mep.Schools.Register;

/// <summary>School numbers looked up in the register itself (unique index on schools.number); other services ask their directory replica.</summary>
public sealed class RegisteredSchoolNumbers(SchoolsDbContext db) : ISchoolNumbers
{
    public async Task<IReadOnlyDictionary<string, Guid>> IdsOfAsync(IReadOnlyCollection<string> numbers, CancellationToken cancellationToken) =>
        await db.Schools.Where(s => numbers.Contains(s.Number))
            .ToDictionaryAsync(s => s.Number, s => s.Id, StringComparer.Ordinal, cancellationToken);
}
