using Mep.Schools.Data;
using Mep.SchoolDirectory;
using Microsoft.EntityFrameworkCore;

namespace Mep.Schools.Register;

/// <summary>School numbers looked up in the register itself (unique index on schools.number); other services ask their directory replica.</summary>
public sealed class RegisteredSchoolNumbers(SchoolsDbContext db) : ISchoolNumbers
{
    public Task<Guid?> IdOfAsync(string number, CancellationToken cancellationToken) =>
        db.Schools.Where(s => s.Number == number).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(cancellationToken);
}
