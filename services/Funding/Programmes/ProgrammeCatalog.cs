using Mep.Funding.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Programmes;

public static class ProgrammeCatalog
{
    public const string DigitalPakt2019 = "digitalpakt-2019-ni";

    public static Task<Programme?> FindAsync(FundingDbContext db, string code, CancellationToken cancellationToken, bool tracking = false)
    {
        var programmes = tracking ? db.Set<Programme>().AsTracking() : db.Set<Programme>();
        return programmes.FirstOrDefaultAsync(p => p.Code == code, cancellationToken);
    }

    public static Task<List<Programme>> AllAsync(FundingDbContext db, CancellationToken cancellationToken) =>
        db.Set<Programme>().OrderBy(p => p.Kind).ThenBy(p => p.Code).ToListAsync(cancellationToken);
}
