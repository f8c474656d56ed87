using Mep.Schools.ApiKeys;
using Mep.Schools.Buildings;
using Mep.Schools.Register;
using Mep.Schools.Rollout;
using Mep.Schools.SchoolYears;
using Mep.ServiceHost;
using Microsoft.EntityFrameworkCore;

namespace Mep.Schools.Data;

/// <summary>
/// The Schools service's database. The schema itself comes from Migrations/*.sql. Each feature maps its own tables beside its types
/// (an IEntityTypeConfiguration). Schools owns the schools the other services replicate: it keeps no school directory.
/// </summary>
public sealed class SchoolsDbContext(DbContextOptions<SchoolsDbContext> options) : ServiceDbContext(options), ISchoolDirectorySource
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
}
