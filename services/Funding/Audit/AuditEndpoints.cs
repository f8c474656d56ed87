using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json;
using Mep.Contracts.Schools;
using Mep.Funding.Data;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Audit;

public static class AuditEndpoints
{
    public static RouteGroupBuilder MapAuditEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/audit", ListAudit).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(ListAudit)).WithSummary("Every change to programmes, allocations, applications, invoices, draws and settlements, newest first.");
        return group;
    }

    /// <param name="schoolNumber">Only the changes of the school with this number (with schoolId, both must name the same school).</param>
    public static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> ListAudit(FundingDbContext db, ISchoolNumbers numbers, ClaimsPrincipal user,
        [MaxLength(AuditTrail.MaxEntity)] string? entity, [MaxLength(AuditTrail.MaxEntityId)] string? entityId, Guid? schoolId,
        [MaxLength(SchoolFields.NumberLength), SchoolNumber] string? schoolNumber, [PageNumber] int? page, [PageSize] int? pageSize,
        CancellationToken cancellationToken)
    {
        var school = await SchoolSelection.SelectAsync(numbers, user, schoolId, schoolNumber, cancellationToken);
        if (school.Refused(out var refusal))
        {
            return refusal;
        }

        var (skip, take, number, size) = Paging.Resolve(page, pageSize);
        var entries = school.Apply(db.Set<AuditEntry>(), e => e.SchoolId!.Value);
        if (entity is not null)
        {
            entries = entries.Where(e => e.Entity == entity);
        }

        if (entityId is not null)
        {
            entries = entries.Where(e => e.EntityId == entityId);
        }

        var total = await entries.CountAsync(cancellationToken);
        var rows = await entries.OrderByDescending(e => e.Id).Page(skip, take)
            .LeftJoin(db.KnownSchools, e => e.SchoolId, s => s.SchoolId, (e, s) => new { Entry = e, School = s }).ToListAsync(cancellationToken);
        return TypedResults.Ok(new AuditPage(
            rows.ConvertAll(row => new AuditEntryResponse(row.Entry.Id, row.Entry.Entity, row.Entry.EntityId, row.Entry.SchoolId, row.School?.Number,
                row.School?.Name, row.Entry.Action, row.Entry.Actor, row.Entry.At, JsonDocument.Parse(row.Entry.Details).RootElement.Clone())),
            number, size, total));
    }
}
