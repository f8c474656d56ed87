using Mep.ServiceDefaults.Data;
using System.Text.Json;
using Mep.Funding.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Funding.Audit;

/// <summary>
/// One change to money or its rules: who, when, what, and the facts after it. Written in the same SaveChanges as the change, so a
/// change without its audit row (or the reverse) cannot exist. Never updated or deleted.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; private set; }

    /// <summary>What was changed: "programme", "allocation", "application", "expenditure", "draw", "costTable".</summary>
    public string Entity { get; private set; } = string.Empty;
    public string EntityId { get; private set; } = string.Empty;

    /// <summary>The school the change concerns, when it concerns one.</summary>
    public Guid? SchoolId { get; private set; }
    public string Action { get; private set; } = string.Empty;
    public string Actor { get; private set; } = string.Empty;
    public DateTimeOffset At { get; private set; }

    /// <summary>The facts after the change (amounts, statuses, reasons) as JSON.</summary>
    public string Details { get; private set; } = "{}";

    internal static AuditEntry Create(string entity, string entityId, Guid? schoolId, string action, string actor, DateTimeOffset at, object details) =>
        new()
        {
            Entity = entity, EntityId = entityId, SchoolId = schoolId, Action = action, Actor = actor, At = at,
            Details = JsonSerializer.Serialize(details, JsonColumn.Options),
        };
}

public static class AuditTrail
{
    /// <summary>Entity names and actions are the platform's own words; entity ids are uuids or codes.</summary>
    public const int MaxEntity = 50;

    public const int MaxEntityId = 100;
    public const int MaxAction = 50;

    /// <summary>Stages an audit row in the caller's unit of work.</summary>
    public static void Audit(this FundingDbContext db, string entity, string entityId, Guid? schoolId, string action, string actor, DateTimeOffset at,
        object details) =>
        db.Add(AuditEntry.Create(entity, entityId, schoolId, action, actor, at, details));
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        entry.ToTable("audit_entries");
        entry.HasKey(e => e.Id);
        entry.Property(e => e.Id).UseIdentityAlwaysColumn();
        entry.Property(e => e.Details).HasColumnType("jsonb");
        entry.HasIndex(e => new { e.Entity, e.EntityId, e.Id });
        entry.HasIndex(e => new { e.SchoolId, e.Id });
        entry.HasIndex(e => new { e.Entity, e.Id });
    }
}
