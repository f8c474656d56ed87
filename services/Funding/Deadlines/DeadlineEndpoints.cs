using Mep.Funding.Programmes;
using System.ComponentModel.DataAnnotations;
using Mep.Funding.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Deadlines;

public static class DeadlineEndpoints
{
    public static RouteGroupBuilder MapDeadlineEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/deadline-warnings", ListWarnings).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(ListWarnings)).WithSummary("The deadline warnings given (each also published as DeadlineApproaching), newest first.");
        return group;
    }

    public static async Task<Ok<List<DeadlineWarningResponse>>> ListWarnings(FundingDbContext db, [MaxLength(ProgrammeFields.MaxCode)] string? programme, Guid? schoolId,
        CancellationToken cancellationToken)
    {
        var warnings = db.Set<DeadlineWarning>().AsQueryable();
        if (programme is not null)
        {
            warnings = warnings.Where(w => w.ProgrammeCode == programme);
        }

        if (schoolId is not null)
        {
            warnings = warnings.Where(w => w.SchoolId == schoolId);
        }

        return TypedResults.Ok(await warnings.OrderByDescending(w => w.WarnedAt).ThenBy(w => w.SchoolId).Take(1_000)
            .Select(w => new DeadlineWarningResponse(w.ProgrammeCode, w.Deadline, w.Day, w.WindowDays, w.SchoolId, w.DaysLeft, w.AmountAtRisk, w.WarnedAt))
            .ToListAsync(cancellationToken));
    }
}
