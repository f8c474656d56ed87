using System.Text.Json;
using Mep.Funding.Data;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Audit;

public sealed record AuditEntryResponse(long Id, string Entity, string EntityId, Guid? SchoolId, string Action, string Actor, DateTimeOffset At,
    JsonElement Details);

public sealed record AuditPage(IReadOnlyList<AuditEntryResponse> Items, int Page, int PageSize, int Total);

public static class AuditEndpoints
{
    public static RouteGroupBuilder MapAuditEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/audit", ListAudit).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(ListAudit)).WithSummary("Every change to programmes, allocations, applications, invoices, draws and settlements, newest first.");
        return group;
    }

    public static async Task<Results<Ok<AuditPage>, ValidationProblem>> ListAudit(FundingDbContext db, string? entity, string? entityId,
        Guid? schoolId, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        Paging.Validate(errors, page, pageSize);
        if (!errors.IsEmpty)
        {
            return Mep.ServiceDefaults.Errors.ApiProblems.Validation(errors.ToDictionary());
        }

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
