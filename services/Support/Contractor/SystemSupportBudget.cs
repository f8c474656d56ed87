using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Support.Contractor;

/// <summary>A school's system-support budget (Systembetreuungsmittel) for one calendar year, in EUR.</summary>
public sealed class SystemSupportBudget
{
    public Guid SchoolId { get; internal set; }
    public int Year { get; internal set; }
    public decimal Amount { get; internal set; }
    public DateTimeOffset UpdatedAt { get; internal set; }
    public string UpdatedBy { get; internal set; } = string.Empty;
}

internal sealed class SystemSupportBudgetConfiguration : IEntityTypeConfiguration<SystemSupportBudget>
{
    public void Configure(EntityTypeBuilder<SystemSupportBudget> budget)
    {
        budget.ToTable("system_support_budgets");
        budget.HasKey(b => new { b.SchoolId, b.Year });
        budget.Property(b => b.Amount).HasPrecision(12, 2);
    }
}
