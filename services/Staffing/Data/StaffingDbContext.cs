using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Data;
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

/// <summary>The Staffing service's database. The schema itself comes from Migrations/*.sql; this maps it.</summary>
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

    protected override void MapTables(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<TrackedDevice>(device =>
        {
            device.HasKey(d => d.DeviceId);
            device.HasIndex(d => d.SchoolId).IncludeProperties(d => new { d.Category, d.Status });
        });
        modelBuilder.Entity<TrackedBoardSystem>(system =>
        {
            system.HasKey(b => b.BoardSystemId);
            system.HasIndex(b => b.SchoolId);
        });
        modelBuilder.Entity<SchoolCounts>(counts => counts.HasKey(c => c.SchoolId));
        modelBuilder.Entity<KnownSchoolYear>(year => year.HasKey(y => new { y.SchoolId, y.StartYear }));
        modelBuilder.Entity<StaffingModel>(model =>
        {
            model.HasKey(m => m.Id);
            model.HasIndex(m => m.Code).IsUnique();
            model.HasMany(m => m.Versions).WithOne().HasForeignKey(v => v.ModelId).OnDelete(DeleteBehavior.Cascade);
            model.Navigation(m => m.Versions).UsePropertyAccessMode(PropertyAccessMode.Field);
        });
        modelBuilder.Entity<StaffingModelVersion>(version =>
        {
            version.HasKey(v => new { v.ModelId, v.Version });
            version.Property(v => v.Definition).IsJsonColumn();
        });
        modelBuilder.Entity<OrgUnit>(unit =>
        {
            unit.HasKey(u => u.Code);
            unit.Ignore(u => u.IsRetired);
        });
        modelBuilder.Entity<OrgUnitChange>(change =>
        {
            change.HasKey(c => c.Id);
            change.Property(c => c.Id).UseIdentityAlwaysColumn();
            change.HasIndex(c => new { c.OrgUnit, c.Id });
            change.Property(c => c.PostsBefore).HasPrecision(6, 2);
            change.Property(c => c.PostsAfter).HasPrecision(6, 2);
        });
        modelBuilder.Entity<CurrentPost>(post =>
        {
            post.HasKey(p => p.OrgUnit);
            post.Property(p => p.Posts).HasPrecision(6, 2);
            post.HasOne<OrgUnit>().WithMany().HasForeignKey(p => p.OrgUnit).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<PublishedFigure>(figure =>
        {
            figure.HasKey(f => f.Figure);
            figure.Property(f => f.Posts).HasPrecision(6, 2);
            figure.Property(f => f.Amount).HasPrecision(14, 2);
        });
        modelBuilder.Entity<Scenario>(scenario =>
        {
            scenario.HasKey(s => s.Id);
            scenario.HasIndex(s => s.Name);
            scenario.Property(s => s.Definition).IsJsonColumn();
        });
        modelBuilder.Entity<CountSnapshot>(snapshot =>
        {
            snapshot.HasKey(s => new { s.TakenOn, s.SchoolId });
            snapshot.HasIndex(s => new { s.SchoolId, s.TakenOn });
        });
        modelBuilder.Entity<FteSnapshot>(snapshot =>
        {
            snapshot.HasKey(s => new { s.TakenOn, s.ModelCode, s.SchoolId });
            snapshot.HasIndex(s => new { s.ModelCode, s.TakenOn });
            snapshot.HasIndex(s => new { s.SchoolId, s.TakenOn });
        });
        modelBuilder.Entity<CountedTicket>(ticket => ticket.HasKey(t => t.TicketId));
        modelBuilder.Entity<MonthlyTicketLoad>(load =>
        {
            load.ToTable("ticket_load");
            load.HasKey(l => new { l.SchoolId, l.Month });
            load.HasIndex(l => l.Month);
        });
    }
}
