using Mep.Staffing.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.Staffing.Models;

/// <summary>Models by code, with their versions.</summary>
public static class ModelCatalog
{
    public const string DefaultModel = "hannover-mep-2020";

    public static Task<StaffingModel?> FindAsync(StaffingDbContext db, string code, CancellationToken cancellationToken, bool tracking = false)
    {
        var models = tracking ? db.StaffingModels.AsTracking() : db.StaffingModels;
        return models.Include(m => m.Versions).FirstOrDefaultAsync(m => m.Code == code, cancellationToken);
    }

    /// <summary>Model codes from a query string ("a,b,c"); null when none are given.</summary>
    public static IReadOnlyList<string>? ParseCodes(string? commaSeparated) =>
        commaSeparated?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>What a comparison shows when the caller names no model: the published ones.</summary>
    public static Task<List<string>> BuiltInCodesAsync(StaffingDbContext db, CancellationToken cancellationToken) =>
        db.StaffingModels.Where(m => m.BuiltIn).OrderBy(m => m.Code).Select(m => m.Code).ToListAsync(cancellationToken);

    /// <summary>The models with these codes, in the order asked; the first unknown code, if any.</summary>
    public static async Task<(List<StaffingModel> Models, string? Unknown)> FindAllAsync(StaffingDbContext db, IReadOnlyList<string> codes,
        CancellationToken cancellationToken)
    {
        var found = await db.StaffingModels.Include(m => m.Versions).Where(m => codes.Contains(m.Code)).ToListAsync(cancellationToken);
        var unknown = codes.FirstOrDefault(c => found.All(m => m.Code != c));
        return (codes.Distinct().Select(c => found.FirstOrDefault(m => m.Code == c)).OfType<StaffingModel>().ToList(), unknown);
    }
}
