using Mep.Schools.ApiKeys;
using Mep.Schools.Buildings;
using Mep.Schools.Register;
using Mep.Schools.Rollout;
using Mep.Schools.SchoolYears;
using Mep.ServiceHost;
using Microsoft.EntityFrameworkCore;

namespace Mep.Schools.Data;

/// <summary>The Schools service's database. The schema itself comes from Migrations/*.sql; this maps it.</summary>
public sealed class SchoolsDbContext(DbContextOptions<SchoolsDbContext> options) : ServiceDbContext(options)
{
    public DbSet<School> Schools => Set<School>();
    public DbSet<SchoolYearFigures> SchoolYears => Set<SchoolYearFigures>();
    public DbSet<Building> Buildings => Set<Building>();
    public DbSet<Room> Rooms => Set<Room>();
    public DbSet<SchoolApiKey> ApiKeys => Set<SchoolApiKey>();
    public DbSet<SchoolRollout> SchoolRollouts => Set<SchoolRollout>();
    public DbSet<BuildingRollout> BuildingRollouts => Set<BuildingRollout>();
    public DbSet<RoomRollout> RoomRollouts => Set<RoomRollout>();
    public DbSet<RolloutMilestoneDate> RolloutMilestones => Set<RolloutMilestoneDate>();
    public DbSet<InstalledBoardSystem> InstalledBoardSystems => Set<InstalledBoardSystem>();
    public DbSet<BoardComponent> BoardComponents => Set<BoardComponent>();

    /// <summary>Schools owns the schools it would replicate.</summary>
    protected override bool KeepsSchoolDirectory => false;

    protected override void MapTables(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<School>(school =>
        {
            school.HasKey(s => s.Id);
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
            room.HasIndex(r => new { r.BuildingId, r.Number }).IsUnique();
            room.HasIndex(r => new { r.SchoolId, r.Kind });
            room.HasOne<School>().WithMany().HasForeignKey(r => r.SchoolId).OnDelete(DeleteBehavior.Cascade);
            room.HasOne<Building>().WithMany().HasForeignKey(r => r.BuildingId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<SchoolApiKey>(key =>
        {
            key.ToTable("school_api_keys");
            key.HasKey(k => k.Id);
            key.Ignore(k => k.IsActive);
            key.HasIndex(k => k.KeyId).IsUnique();
            key.HasIndex(k => k.SchoolId);
            key.HasOne<School>().WithMany().HasForeignKey(k => k.SchoolId).OnDelete(DeleteBehavior.Cascade);
        });

        ConfigureRollout(modelBuilder);
    }

    private static void ConfigureRollout(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SchoolRollout>(rollout =>
        {
            rollout.HasKey(r => r.SchoolId);
            rollout.Property(r => r.BroadbandMonthlyCost).HasPrecision(12, 2);
            rollout.Property(r => r.BroadbandConnectionCost).HasPrecision(12, 2);
            rollout.HasIndex(r => r.Status);
            rollout.HasOne<School>().WithOne().HasForeignKey<SchoolRollout>(r => r.SchoolId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<BuildingRollout>(network =>
        {
            network.HasKey(b => b.BuildingId);
            network.HasIndex(b => b.SchoolId);
            network.HasOne<Building>().WithOne().HasForeignKey<BuildingRollout>(b => b.BuildingId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<RoomRollout>(room =>
        {
            room.HasKey(r => r.RoomId);
            room.HasIndex(r => r.SchoolId);
            room.HasOne<Room>().WithOne().HasForeignKey<RoomRollout>(r => r.RoomId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<RolloutMilestoneDate>(milestone =>
        {
            milestone.HasKey(m => new { m.SchoolId, m.Milestone });
            milestone.HasIndex(m => m.PlannedOn);
            // The late-milestones list (Migrations/0003).
            milestone.HasIndex(m => new { m.PlannedOn, m.SchoolId }).HasFilter("reached_on IS NULL");
            milestone.HasOne<School>().WithMany().HasForeignKey(m => m.SchoolId).OnDelete(DeleteBehavior.Cascade);
        });

        // Kept from Assets' events: no foreign keys, an event may name a room before its school's replica of it is complete.
        modelBuilder.Entity<InstalledBoardSystem>(board =>
        {
            board.HasKey(b => b.BoardSystemId);
            board.HasIndex(b => b.SchoolId);
            board.HasIndex(b => b.RoomId);
        });

        modelBuilder.Entity<BoardComponent>(component =>
        {
            component.HasKey(c => c.DeviceId);
            component.HasIndex(c => c.BoardSystemId);
        });
    }
}
