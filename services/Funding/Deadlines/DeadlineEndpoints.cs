using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Mep.Contracts.Schools;
using Mep.Funding.Programmes;
using Mep.SchoolDirectory;
using Mep.Funding.Data;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mep.Jobs;

namespace Mep.Funding.Deadlines;

public static class DeadlineEndpoints
{
    public static RouteGroupBuilder MapDeadlineEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/deadline-warnings", ListWarnings).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(ListWarnings)).WithSummary("The deadline warnings given (each also published as DeadlineApproaching), newest first, paged; by programme and school (id or number).");
        group.MapGet("/applications/deadline-risks", ListDeadlineRisks).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(ListDeadlineRisks))
            .WithSummary("Finance's work list: applications whose programme deadline (submission, approval, draws and proof of use by "
                + "settlement) is near (within the programme's warning window) or passed with money open, fewest days left first; by programme "
                + "and school (id or number).");
        return group;
    }

    public static async Task<Results<Ok<Page<DeadlineRiskRow>>, ProblemHttpResult>> ListDeadlineRisks([AsParameters] DeadlineRiskQuery query,
        ClaimsPrincipal user, FundingDbContext db, ISchoolNumbers numbers, TimeProvider clock, CancellationToken cancellationToken)
    {
        var school = await SchoolSelection.SelectAsync(numbers, user, query.SchoolId, query.SchoolNumber, cancellationToken);
        if (school.Refused(out var refusal))
        {
            return refusal;
        }

        var programmes = await ProgrammeCatalog.AllAsync(db, cancellationToken);
        if (!string.IsNullOrWhiteSpace(query.Programme))
        {
            programmes = programmes.FindAll(p => p.Code == query.Programme.Trim());
            if (programmes.Count == 0)
            {
                return ApiProblems.NotFound("programme");
            }
        }

        var today = BerlinDay.Today(clock);
        var near = programmes.SelectMany(p => ApplicationDeadline.Of(p.Rules.Dates).Where(d => d.IsNear(p.Rules, today)).Select(d => (p, d)))
            .ToList();
        var (skip, take, page, pageSize) = Paging.Resolve(query.Page, query.PageSize);
        if (near.Count == 0 || school.NoSuchSchool)
        {
            return TypedResults.Ok(new Page<DeadlineRiskRow>([], page, pageSize, 0));
        }

        var risks = DeadlineRiskList.Rows(db, near, school.SchoolId).Where(r => r.AmountOpen > 0);
        var total = await risks.CountAsync(cancellationToken);
        var rows = await risks.OrderBy(r => r.Day).ThenByDescending(r => r.AmountOpen).ThenBy(r => r.ApplicationId).Page(skip, take)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<DeadlineRiskRow>(rows.ConvertAll(r => r.ToResponse(today)), page, pageSize, total));
    }

    /// <param name="programme">Only this programme's warnings (its code); a code no programme has is a 404, as in the deadline risks.</param>
    /// <param name="schoolNumber">Only the warnings of the school with this number (with schoolId, both must name the same school).</param>
    /// <param name="page">Page number, from 1.</param>
    /// <param name="pageSize">Items per page, 1 to 200 (default 50).</param>
    public static async Task<Results<Ok<Page<DeadlineWarningResponse>>, ProblemHttpResult>> ListWarnings(FundingDbContext db, ISchoolNumbers numbers,
        ClaimsPrincipal user, [MaxLength(ProgrammeFields.MaxCode)] string? programme, Guid? schoolId,
        [MaxLength(SchoolFields.NumberLength), SchoolNumber] string? schoolNumber, [PageNumber] int? page, [PageSize] int? pageSize,
        CancellationToken cancellationToken)
    {
        var school = await SchoolSelection.SelectAsync(numbers, user, schoolId, schoolNumber, cancellationToken);
        if (school.Refused(out var refusal))
        {
            return refusal;
        }

        var warnings = school.Apply(db.Set<DeadlineWarning>(), w => w.SchoolId);
        if (!string.IsNullOrWhiteSpace(programme))
        {
            if (await ProgrammeCatalog.FindAsync(db, programme.Trim(), cancellationToken) is not { } known)
            {
                return ApiProblems.NotFound("programme");
            }

            warnings = warnings.Where(w => w.ProgrammeCode == known.Code);
        }

        var (skip, take, number, size) = Paging.Resolve(page, pageSize);
        var total = await warnings.CountAsync(cancellationToken);
        var rows = await warnings.OrderByDescending(w => w.WarnedAt).ThenBy(w => w.SchoolId).ThenBy(w => w.ProgrammeCode).ThenBy(w => w.Deadline)
            .ThenBy(w => w.Day).ThenBy(w => w.WindowDays).Page(skip, take)
            .LeftJoin(db.KnownSchools, w => w.SchoolId, s => s.SchoolId, (w, s) => new DeadlineWarningResponse(w.ProgrammeCode, w.Deadline, w.Day,
                w.WindowDays, w.SchoolId, s!.Number, s.Name, w.DaysLeft, w.AmountAtRisk, w.WarnedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<DeadlineWarningResponse>(rows, number, size, total));
    }
}
