using Mep.Assets.BoardSystems;
using Mep.Assets.Devices;
using Mep.Assets.Rooms;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Messaging;
using Mep.ServiceDefaults.SchoolDirectory;
using Microsoft.EntityFrameworkCore;

namespace Mep.Assets.Data;

/// <summary>The Assets service's database. The schema itself comes from Migrations/*.sql; this maps it.</summary>
public sealed class AssetsDbContext(DbContextOptions<AssetsDbContext> options) : DbContext(options)
{
    public DbSet<Device> Devices => Set<Device>();
    public DbSet<DeviceHistoryEntry> DeviceHistory => Set<DeviceHistoryEntry>();
    public DbSet<BoardSystem> BoardSystems => Set<BoardSystem>();
    public DbSet<KnownRoom> KnownRooms => Set<KnownRoom>();
    public DbSet<KnownSchool> KnownSchools => Set<KnownSchool>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name: readable in SQL and stable when members are added.
        configurationBuilder.Properties<Enum>().HaveConversion<string>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Device>(device =>
        {
            device.HasKey(d => d.Id);
            device.Property(d => d.Version).IsPostgresRowVersion();
            device.Property(d => d.PurchasePrice).HasPrecision(12, 2);
            device.Property(d => d.ContractMonthlyRate).HasPrecision(8, 2);
            device.Ignore(d => d.Facts);
            device.Ignore(d => d.Classification);
            device.HasIndex(d => d.SerialNumber).IsUnique();
            device.HasIndex(d => new { d.SchoolId, d.SerialNumber });
            device.HasIndex(d => new { d.SchoolId, d.Kind, d.Status });
            device.HasIndex(d => new { d.SchoolId, d.CreatedAt });
            device.HasIndex(d => d.RoomId);
            // A board system has at most one component of each kind.
            device.HasIndex(d => new { d.BoardSystemId, d.ComponentKind }).IsUnique().HasFilter("board_system_id IS NOT NULL");
            device.HasOne<BoardSystem>().WithMany().HasForeignKey(d => d.BoardSystemId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<DeviceHistoryEntry>(entry =>
        {
            entry.ToTable("DeviceHistory");
            entry.HasKey(e => e.Id);
            entry.Property(e => e.Id).UseIdentityAlwaysColumn();
            entry.HasIndex(e => new { e.DeviceId, e.Id });
            entry.HasOne<Device>().WithMany().HasForeignKey(e => e.DeviceId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<BoardSystem>(system =>
        {
            system.HasKey(b => b.Id);
            system.Property(b => b.Version).IsPostgresRowVersion();
            system.Ignore(b => b.IsActive);
            system.HasIndex(b => new { b.SchoolId, b.RoomId });
        });

        modelBuilder.Entity<KnownRoom>(room =>
        {
            room.HasKey(r => r.RoomId);
            room.HasIndex(r => r.SchoolId);
        });

        modelBuilder.AddSchoolDirectoryTables();
        modelBuilder.AddMessagingTables();
        modelBuilder.UseSnakeCaseNames();
    }
}
