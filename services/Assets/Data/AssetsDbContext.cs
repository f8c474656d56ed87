using Mep.Assets.BoardSystems;
using Mep.Assets.Devices;
using Mep.Assets.Rooms;
using Mep.SchoolDirectory;
using Mep.ServiceHost;
using Microsoft.EntityFrameworkCore;

namespace Mep.Assets.Data;

/// <summary>The Assets service's database. The schema itself comes from Migrations/*.sql; this maps it.</summary>
public sealed class AssetsDbContext(DbContextOptions<AssetsDbContext> options) : ServiceDbContext(options)
{
    public DbSet<Device> Devices => Set<Device>();
    public DbSet<DeviceHistoryEntry> DeviceHistory => Set<DeviceHistoryEntry>();
    public DbSet<BoardSystem> BoardSystems => Set<BoardSystem>();
    public DbSet<KnownRoom> KnownRooms => Set<KnownRoom>();
    public DbSet<KnownSchool> KnownSchools => Set<KnownSchool>();

    /// <summary>What the device list filters on, carried in the list indexes so that skipping pages never reads the table.</summary>
    private static readonly string[] ListFilterColumns =
    [
        nameof(Device.Kind), nameof(Device.Status), nameof(Device.Ownership), nameof(Device.SubsidyCategory), nameof(Device.MdmState),
        nameof(Device.FundingSource),
    ];

    protected override void MapTables(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Device>(device =>
        {
            device.HasKey(d => d.Id);
            device.Property(d => d.PurchasePrice).HasPrecision(12, 2);
            device.Property(d => d.ContractMonthlyRate).HasPrecision(8, 2);
            device.Ignore(d => d.Facts);
            device.Ignore(d => d.Classification);
            device.Ignore(d => d.Financials);
            device.HasIndex(d => d.SerialNumber).IsUnique();
            // One school's list pages in the two main orders, found on the index alone (Migrations/0002).
            device.HasIndex(d => new { d.SchoolId, d.SerialNumber }).IncludeProperties([nameof(Device.Id), .. ListFilterColumns]);
            device.HasIndex(d => new { d.SchoolId, d.CreatedAt, d.Id }).IncludeProperties(ListFilterColumns);
            device.HasIndex(d => d.RoomId);
            // A board system has at most one component of each kind.
            device.HasIndex(d => new { d.BoardSystemId, d.ComponentKind }).IsUnique().HasFilter("board_system_id IS NOT NULL");
            device.HasOne<BoardSystem>().WithMany().HasForeignKey(d => d.BoardSystemId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<DeviceHistoryEntry>(entry =>
        {
            entry.ToTable("device_history");
            entry.HasKey(e => e.Id);
            entry.Property(e => e.Id).UseIdentityAlwaysColumn();
            entry.HasIndex(e => new { e.DeviceId, e.Id });
        });

        modelBuilder.Entity<BoardSystem>(system =>
        {
            system.HasKey(b => b.Id);
            system.Ignore(b => b.IsActive);
            system.HasIndex(b => new { b.SchoolId, b.RoomId });
        });

        modelBuilder.Entity<KnownRoom>(room =>
        {
            room.HasKey(r => r.RoomId);
            room.HasIndex(r => r.SchoolId);
        });
    }
}
