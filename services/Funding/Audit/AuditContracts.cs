using Mep.ServiceDefaults.Auth;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Mep.Contracts.Schools;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;

namespace Mep.Funding.Audit;

/// <param name="SchoolNumber">The school's number, from the school directory; null for a change that concerns no school.</param>
/// <param name="SchoolName">The school's name, from the school directory.</param>
/// <param name="Details">The change: what the audited write carried, as it was stored.</param>
public sealed record AuditEntryResponse(
    [Range(1, DeclaredLimits.MaxSafeInteger)] long Id, [MaxLength(AuditTrail.MaxEntity)] string Entity, [MaxLength(AuditTrail.MaxEntityId)] string EntityId,
    Guid? SchoolId, [MaxLength(SchoolFields.NumberLength)] string? SchoolNumber, [MaxLength(SchoolFields.MaxName)] string? SchoolName,
    [MaxLength(AuditTrail.MaxAction)] string Action, [MaxLength(CallerClaims.MaxActorLength)] string Actor, DateTimeOffset At,
    JsonElement Details);

public sealed record AuditPage(
    [MaxLength(Paging.MaxPageSize)] IReadOnlyList<AuditEntryResponse> Items, [PageNumber] int Page, [PageSize] int PageSize, [Range(0, int.MaxValue)] int Total);
