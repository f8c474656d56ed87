using Mep.Funding.Directory;
using Mep.SchoolDirectory;
using Mep.ServiceHost;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Data;

/// <summary>
/// The Funding service's database. The schema comes from Migrations/*.sql; this maps it. Each feature folder maps its own entities
/// (IEntityTypeConfiguration beside the type, naming its table: without a DbSet EF would name it after the class) and reaches them
/// with Set&lt;T&gt;(), so features do not meet in this file.
/// </summary>
public sealed class FundingDbContext(DbContextOptions<FundingDbContext> options) : ServiceDbContext(options)
{
    public DbSet<KnownSchool> KnownSchools => Set<KnownSchool>();
    public DbSet<KnownSchoolYear> KnownSchoolYears => Set<KnownSchoolYear>();
    public DbSet<KnownMediaConcept> KnownMediaConcepts => Set<KnownMediaConcept>();
    public DbSet<KnownDevice> KnownDevices => Set<KnownDevice>();

    protected override void MapTables(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<KnownSchoolYear>(year => year.HasKey(y => new { y.SchoolId, y.StartYear }));
        modelBuilder.Entity<KnownMediaConcept>(concept => concept.HasKey(c => c.SchoolId));
        modelBuilder.Entity<KnownDevice>(device =>
        {
            device.HasKey(d => d.DeviceId);
            device.HasIndex(d => d.SchoolId);
            device.Property(d => d.PurchasePrice).HasPrecision(12, 2);
            device.Property(d => d.ContractMonthlyRate).HasPrecision(10, 2);
        });
    }
}
