using Mep.Contracts.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Funding.Lending;

/// <summary>A cost of a repair as Support recorded it against its payer (<c>RepairCostRecorded</c>); once recorded it does not change.</summary>
public sealed class RepairCost
{
    public Guid CostId { get; private set; }
    public Guid RepairCaseId { get; private set; }
    public Guid SchoolId { get; private set; }
    public Guid DeviceId { get; private set; }
    public RepairPayer Payer { get; private set; }
    public decimal Amount { get; private set; }

    /// <summary>The contractor's hours when the cost is a contractor's booking against the school's system-support budget.</summary>
    public decimal? ContractorHours { get; private set; }
    public DateOnly IncurredOn { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
}

internal sealed class RepairCostConfiguration : IEntityTypeConfiguration<RepairCost>
{
    public void Configure(EntityTypeBuilder<RepairCost> cost)
    {
        cost.ToTable("repair_costs");
        cost.HasKey(c => c.CostId);
        cost.Property(c => c.Amount).HasPrecision(12, 2);
        cost.Property(c => c.ContractorHours).HasPrecision(8, 2);
        cost.HasIndex(c => c.IncurredOn);
        cost.HasIndex(c => new { c.SchoolId, c.IncurredOn });
    }
}
