using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Support.Contractor;

/// <summary>The contractor's hourly rate (EUR) from a day on; the rate of a booking is the one valid on the day worked.</summary>
public sealed class ContractorRate
{
    public DateOnly ValidFrom { get; internal set; }
    public decimal HourlyRate { get; internal set; }
}

internal sealed class ContractorRateConfiguration : IEntityTypeConfiguration<ContractorRate>
{
    public void Configure(EntityTypeBuilder<ContractorRate> rate)
    {
        rate.ToTable("contractor_rates");
        rate.HasKey(r => r.ValidFrom);
        rate.Property(r => r.HourlyRate).HasPrecision(8, 2);
    }
}
