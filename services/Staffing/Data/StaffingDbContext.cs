using Mep.SchoolDirectory;
using Mep.ServiceHost;
using Mep.Staffing.Calculation;
using Mep.Staffing.Counts;
using Mep.Staffing.History;
using Mep.Staffing.Models;
using Mep.Staffing.OrgUnits;
using Mep.Staffing.Scenarios;
using Mep.Staffing.TicketLoad;
using Microsoft.EntityFrameworkCore;

namespace Mep.Staffing.Data;

/// <summary>
/// The Staffing service's database. The schema itself comes from Migrations/*.sql. Each feature maps its own tables beside its types
/// (an IEntityTypeConfiguration).
/// </summary>
public sealed class StaffingDbContext(DbContextOptions<StaffingDbContext> options) : ServiceDbContext(options)
{
    public DbSet<TrackedDevice> TrackedDevices => Set<TrackedDevice>();
    public DbSet<TrackedBoardSystem> TrackedBoardSystems => Set<TrackedBoardSystem>();
    public DbSet<SchoolCounts> SchoolCounts => Set<SchoolCounts>();
    public DbSet<KnownSchoolYear> KnownSchoolYears => Set<KnownSchoolYear>();
    public DbSet<KnownSchool> KnownSchools => Set<KnownSchool>();
    public DbSet<StaffingModel> StaffingModels => Set<StaffingModel>();
    public DbSet<StaffingModelVersion> StaffingModelVersions => Set<StaffingModelVersion>();
    public DbSet<OrgUnit> OrgUnits => Set<OrgUnit>();
    public DbSet<OrgUnitChange> OrgUnitChanges => Set<OrgUnitChange>();
    public DbSet<CurrentPost> CurrentPosts => Set<CurrentPost>();
    public DbSet<PublishedFigure> PublishedFigures => Set<PublishedFigure>();
    public DbSet<Scenario> Scenarios => Set<Scenario>();
    public DbSet<CountSnapshot> CountSnapshots => Set<CountSnapshot>();
    public DbSet<FteSnapshot> FteSnapshots => Set<FteSnapshot>();
    public DbSet<MonthlyTicketLoad> TicketLoad => Set<MonthlyTicketLoad>();
    public DbSet<CountedTicket> CountedTickets => Set<CountedTicket>();
}
