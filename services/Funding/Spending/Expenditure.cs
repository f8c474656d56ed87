using Mep.Funding.Applications;
using Mep.Funding.Programmes;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Errors;
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

    /// <summary>
    /// Records an invoice against an open application (the caller holds its row lock): in a category the programme funds and the measure
    /// is for, an invoice not recorded before, paying only for devices of the application's school.
    /// </summary>
    internal static Expenditure Record(FundingApplication application, Programme programme, ExpenditureRequest request, InvoiceHistory history,
        string actor, DateTimeOffset now)
    {
        var category = request.Category!.Value;
        application.EnsureTakesInvoices();
        programme.EnsureFunds(category);
        application.EnsureInvoiceCategory(category);
        var (vendor, number) = (request.Vendor!.Trim(), request.InvoiceNumber!.Trim());
        if (history.AlreadyRecorded)
        {
            throw new DomainRuleException("invoice-already-recorded", $"Invoice {number} of {vendor} is already recorded; an invoice is spent once.");
        }

        var deviceIds = (request.DeviceIds ?? []).Distinct().ToArray();
        if (deviceIds.Except(history.DevicesOfSchool).ToList() is { Count: > 0 } foreign)
        {
            throw new DomainRuleException("devices-not-of-school",
                $"These devices are not known as devices of the application's school: {string.Join(", ", foreign)}.")
            {
                Extensions = new Dictionary<string, object?> { ["deviceIds"] = foreign },
            };
        }

        application.RecordSpending(request.Amount!.Value, now);
        return new Expenditure
        {
            Id = Guid.CreateVersion7(now), ApplicationId = application.Id, SchoolId = application.SchoolId, ProgrammeCode = application.ProgrammeCode,
            Vendor = vendor, InvoiceNumber = number, InvoiceDate = request.InvoiceDate!.Value,
            Amount = request.Amount!.Value, Category = category, DeviceIds = deviceIds,
            RolloutItemIds = [.. (request.RolloutItemIds ?? []).Distinct()], RecordedAt = now, RecordedBy = actor,
        };
    }
}

/// <summary>What Funding already knows of an invoice before recording it.</summary>
/// <param name="AlreadyRecorded">An invoice with the same vendor and number is recorded (against any application).</param>
/// <param name="DevicesOfSchool">Of the devices the invoice names, those Funding knows as devices of the application's school.</param>
internal sealed record InvoiceHistory(bool AlreadyRecorded, IReadOnlySet<Guid> DevicesOfSchool);

internal sealed class ExpenditureConfiguration : IEntityTypeConfiguration<Expenditure>
{
    public void Configure(EntityTypeBuilder<Expenditure> expenditure)
    {
        expenditure.ToTable("expenditures");
        expenditure.HasKey(e => e.Id);
        expenditure.Property(e => e.Amount).HasPrecision(14, 2);
        expenditure.Property(e => e.DeviceIds).IsJsonColumn();
        expenditure.Property(e => e.RolloutItemIds).IsJsonColumn();
        expenditure.HasOne<FundingApplication>().WithMany().HasForeignKey(e => e.ApplicationId);
        expenditure.HasIndex(e => new { e.Vendor, e.InvoiceNumber }).IsUnique();
        expenditure.HasIndex(e => new { e.ApplicationId, e.InvoiceDate });
        expenditure.HasIndex(e => new { e.SchoolId, e.InvoiceDate });
        expenditure.HasIndex(e => new { e.InvoiceDate, e.Id });
    }
}
