using Mep.Contracts.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Support.Repairs;

/// <summary>
/// An amount recorded against a repair's payer (a vendor's invoice, a part, the parents' provider's fee), made by
/// <see cref="RepairCase.RecordCost"/>. A warranty's or the parents' provider's cost is kept too, at no cost to the city.
/// </summary>
public sealed class RepairCost
{
    private RepairCost()
    {
    }

    internal RepairCost(Guid id, Guid repairCaseId, Guid schoolId, RepairPayer payer, decimal amount, string description, DateOnly incurredOn,
        string recordedBy, DateTimeOffset recordedAt) =>
        (Id, RepairCaseId, SchoolId, Payer, Amount, Description, IncurredOn, RecordedBy, RecordedAt) =
        (id, repairCaseId, schoolId, payer, amount, description, incurredOn, recordedBy, recordedAt);

    public Guid Id { get; private set; }
    public Guid RepairCaseId { get; private set; }
    public Guid SchoolId { get; private set; }

    /// <summary>The case's payer when the cost was recorded (an override later does not move costs already booked).</summary>
    public RepairPayer Payer { get; private set; }
    public decimal Amount { get; private set; }
    public string Description { get; private set; } = string.Empty;
    public DateOnly IncurredOn { get; private set; }
    public string RecordedBy { get; private set; } = string.Empty;
    public DateTimeOffset RecordedAt { get; private set; }
}

internal sealed class RepairCostConfiguration : IEntityTypeConfiguration<RepairCost>
{
    public void Configure(EntityTypeBuilder<RepairCost> cost)
    {
        cost.ToTable("repair_costs");
        cost.HasKey(c => c.Id);
        cost.Property(c => c.Amount).HasPrecision(12, 2);
        cost.HasIndex(c => c.RepairCaseId);
        cost.HasIndex(c => c.SchoolId);
        cost.HasOne<RepairCase>().WithMany().HasForeignKey(c => c.RepairCaseId).OnDelete(DeleteBehavior.Restrict);
    }
}
