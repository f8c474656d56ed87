using Mep.Schools.ApiKeys;
using Mep.Schools.Buildings;
using Mep.Schools.Schools;
using Mep.Schools.SchoolYears;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Mep.Schools.Data;

/// <summary>The Schools service's database. The schema itself comes from Migrations/*.sql; this maps it.</summary>
public sealed class SchoolsDbContext(DbContextOptions<SchoolsDbContext> options) : DbContext(options)
{
    public DbSet<School> Schools => Set<School>();
    public DbSet<SchoolYearFigures> SchoolYears => Set<SchoolYearFigures>();
    public DbSet<Building> Buildings => Set<Building>();
    public DbSet<Room> Rooms => Set<Room>();
    public DbSet<SchoolApiKey> ApiKeys => Set<SchoolApiKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name: readable in SQL and stable when members are added.
        configurationBuilder.Properties<Enum>().HaveConversion<string>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<School>(school =>
        {
            school.HasKey(s => s.Id);
            school.Property(s => s.Version).IsPostgresRowVersion();
            school.Ignore(s => s.Programmes);
            school.HasIndex(s => s.Number).IsUnique();
            school.HasIndex(s => s.Name);
            school.HasIndex(s => s.Type);
            school.HasIndex(s => s.District);
        });

        modelBuilder.Entity<SchoolYearFigures>(year =>
        {
            year.HasKey(y => new { y.SchoolId, y.StartYear });
            year.Ignore(y => y.SchoolYear);
            year.HasOne<School>().WithMany().HasForeignKey(y => y.SchoolId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Building>(building =>
        {
            building.HasKey(b => b.Id);
            building.HasIndex(b => new { b.SchoolId, b.Name }).IsUnique();
            building.HasOne<School>().WithMany().HasForeignKey(b => b.SchoolId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Room>(room =>
        {
            room.HasKey(r => r.Id);
            room.Property(r => r.Version).IsPostgresRowVersion();
            room.HasIndex(r => new { r.BuildingId, r.Number }).IsUnique();
            room.HasIndex(r => new { r.SchoolId, r.Kind });
            room.HasOne<School>().WithMany().HasForeignKey(r => r.SchoolId).OnDelete(DeleteBehavior.Cascade);
            room.HasOne<Building>().WithMany().HasForeignKey(r => r.BuildingId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<SchoolApiKey>(key =>
        {
            key.ToTable("SchoolApiKeys");
            key.HasKey(k => k.Id);
            key.Property(k => k.Version).IsPostgresRowVersion();
            key.Ignore(k => k.IsActive);
            key.HasIndex(k => k.KeyId).IsUnique();
            key.HasIndex(k => k.SchoolId);
            key.HasOne<School>().WithMany().HasForeignKey(k => k.SchoolId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.AddMessagingTables();
        modelBuilder.UseSnakeCaseNames();
    }
}
