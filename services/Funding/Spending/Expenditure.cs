using Mep.Funding.Programmes;
using Mep.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Funding.Spending;

/// <summary>An invoice paid for a funded measure, with the devices and rollout items it bought (for the proof of use).</summary>
public sealed class Expenditure
{
    private Expenditure()
    {
    }

    public Guid Id { get; private set; }
    public Guid ApplicationId { get; private set; }
    public Guid SchoolId { get; private set; }
    public string ProgrammeCode { get; private set; } = string.Empty;
    public string Vendor { get; private set; } = string.Empty;
    public string InvoiceNumber { get; private set; } = string.Empty;
    public DateOnly InvoiceDate { get; private set; }
    public decimal Amount { get; private set; }
    public SpendingCategory Category { get; private set; }
    public Guid[] DeviceIds { get; private set; } = [];

    /// <summary>Items of the MEP-standard rollout (cabling, WLAN, boards) the invoice paid for, as Schools names them; not checked here.</summary>
    public Guid[] RolloutItemIds { get; private set; } = [];
    public DateTimeOffset RecordedAt { get; private set; }
    public string RecordedBy { get; private set; } = string.Empty;

    internal static Expenditure Record(Applications.FundingApplication application, ExpenditureRequest request, string actor, DateTimeOffset now)
    {
        application.RecordSpending(request.Amount!.Value, now);
        return new Expenditure
        {
            Id = Guid.CreateVersion7(now), ApplicationId = application.Id, SchoolId = application.SchoolId, ProgrammeCode = application.ProgrammeCode,
            Vendor = request.Vendor!.Trim(), InvoiceNumber = request.InvoiceNumber!.Trim(), InvoiceDate = request.InvoiceDate!.Value,
            Amount = request.Amount!.Value, Category = request.Category!.Value, DeviceIds = [.. (request.DeviceIds ?? []).Distinct()],
            RolloutItemIds = [.. (request.RolloutItemIds ?? []).Distinct()], RecordedAt = now, RecordedBy = actor,
        };
    }
}

internal sealed class ExpenditureConfiguration : IEntityTypeConfiguration<Expenditure>
{
    public void Configure(EntityTypeBuilder<Expenditure> expenditure)
    {
        expenditure.ToTable("expenditures");
        expenditure.HasKey(e => e.Id);
        expenditure.Property(e => e.Amount).HasPrecision(14, 2);
        expenditure.Property(e => e.DeviceIds).HasColumnType("jsonb").HasConversion(JsonColumn.Converter<Guid[]>());
        expenditure.Property(e => e.RolloutItemIds).HasColumnType("jsonb").HasConversion(JsonColumn.Converter<Guid[]>());
        expenditure.HasOne<Applications.FundingApplication>().WithMany().HasForeignKey(e => e.ApplicationId);
        expenditure.HasIndex(e => new { e.Vendor, e.InvoiceNumber }).IsUnique();
        expenditure.HasIndex(e => new { e.ApplicationId, e.InvoiceDate });
        expenditure.HasIndex(e => new { e.SchoolId, e.InvoiceDate });
        expenditure.HasIndex(e => new { e.InvoiceDate, e.Id });
    }
}
