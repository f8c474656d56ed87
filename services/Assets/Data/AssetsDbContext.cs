using Mep.Assets.BoardSystems;
using Mep.Assets.Devices;
using Mep.Assets.Rooms;
using Mep.SchoolDirectory;
using Mep.ServiceHost;
using Microsoft.EntityFrameworkCore;

namespace Mep.Assets.Data;

/// <summary>
/// The Assets service's database. The schema itself comes from Migrations/*.sql. Each feature maps its own tables beside its types
/// (an IEntityTypeConfiguration); this file keeps only what no feature owns, the rows replicated from other services.
/// </summary>
public sealed class AssetsDbContext(DbContextOptions<AssetsDbContext> options) : ServiceDbContext(options)
{
    public DbSet<Device> Devices => Set<Device>();
    public DbSet<DeviceHistoryEntry> DeviceHistory => Set<DeviceHistoryEntry>();
    public DbSet<BoardSystem> BoardSystems => Set<BoardSystem>();
    public DbSet<KnownRoom> KnownRooms => Set<KnownRoom>();
    public DbSet<KnownSchool> KnownSchools => Set<KnownSchool>();

    protected override void MapTables(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<KnownRoom>(room =>
        {
            room.HasKey(r => r.RoomId);
            room.HasIndex(r => r.SchoolId);
        });
    }
}
