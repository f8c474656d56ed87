using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Mep.Funding.Data;
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

    public static async Task<Ok<AuditPage>> ListAudit(FundingDbContext db, [MaxLength(AuditTrail.MaxEntity)] string? entity,
        [MaxLength(AuditTrail.MaxEntityId)] string? entityId, Guid? schoolId, [PageNumber] int? page, [PageSize] int? pageSize,
        CancellationToken cancellationToken)
    {
        var (skip, take, number, size) = Paging.Resolve(page, pageSize);
        var entries = db.Set<AuditEntry>().AsQueryable();
        if (entity is not null)
        {
            entries = entries.Where(e => e.Entity == entity);
        }

        if (entityId is not null)
        {
            entries = entries.Where(e => e.EntityId == entityId);
        }

        if (schoolId is not null)
        {
            entries = entries.Where(e => e.SchoolId == schoolId);
        }

        var total = await entries.CountAsync(cancellationToken);
        var rows = await entries.OrderByDescending(e => e.Id).Page(skip, take).ToListAsync(cancellationToken);
        return TypedResults.Ok(new AuditPage(
            rows.ConvertAll(e => new AuditEntryResponse(e.Id, e.Entity, e.EntityId, e.SchoolId, e.Action, e.Actor, e.At,
                JsonDocument.Parse(e.Details).RootElement.Clone())), number, size, total));
    }
}
