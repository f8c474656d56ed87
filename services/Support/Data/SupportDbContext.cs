using Mep.SchoolDirectory;
using Mep.ServiceHost;
using Mep.Support.Contractor;
using Mep.Support.Directory;
using Mep.Support.Knowledge;
using Mep.Support.People;
using Mep.Support.Routing;
using Mep.Support.Sla;
using Mep.Support.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Data;

/// <summary>The Support service's database. The schema itself comes from Migrations/*.sql; this maps it.</summary>
public sealed class SupportDbContext(DbContextOptions<SupportDbContext> options) : ServiceDbContext(options)
{
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<TicketHistoryEntry> TicketHistory => Set<TicketHistoryEntry>();
    public DbSet<TicketComment> TicketComments => Set<TicketComment>();
    public DbSet<TicketLink> TicketLinks => Set<TicketLink>();
    public DbSet<SupportGroup> SupportGroups => Set<SupportGroup>();
    public DbSet<GroupMember> GroupMembers => Set<GroupMember>();
    public DbSet<TicketCategory> TicketCategories => Set<TicketCategory>();
    public DbSet<RoutingRuleSet> RoutingRuleSets => Set<RoutingRuleSet>();
    public DbSet<RoutingRule> RoutingRules => Set<RoutingRule>();
    public DbSet<SlaCalendar> SlaCalendars => Set<SlaCalendar>();
    public DbSet<SlaOpeningHours> SlaOpeningHours => Set<SlaOpeningHours>();
    public DbSet<SchoolHoliday> SchoolHolidays => Set<SchoolHoliday>();
    public DbSet<SlaPolicy> SlaPolicies => Set<SlaPolicy>();
    public DbSet<ClockSegment> ClockSegments => Set<ClockSegment>();
    public DbSet<TicketSlaTimers> TicketSlaTimers => Set<TicketSlaTimers>();
    public DbSet<SlaTimer> SlaTimers => Set<SlaTimer>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<KnowledgeArticle> KnowledgeArticles => Set<KnowledgeArticle>();
    public DbSet<TicketArticle> TicketArticles => Set<TicketArticle>();
    public DbSet<ContractorRate> ContractorRates => Set<ContractorRate>();
    public DbSet<SystemSupportBudget> SystemSupportBudgets => Set<SystemSupportBudget>();
    public DbSet<ContractorBooking> ContractorBookings => Set<ContractorBooking>();
    public DbSet<Person> People => Set<Person>();
    public DbSet<Organisation> Organisations => Set<Organisation>();
    public DbSet<GroupMembershipChange> GroupMembershipChanges => Set<GroupMembershipChange>();
    public DbSet<KnownDevice> KnownDevices => Set<KnownDevice>();
    public DbSet<KnownRoom> KnownRooms => Set<KnownRoom>();
    public DbSet<KnownSchool> KnownSchools => Set<KnownSchool>();

    protected override void MapTables(ModelBuilder modelBuilder)
    {
        MapRouting(modelBuilder);
        MapSla(modelBuilder);
        MapKnowledgeAndContractor(modelBuilder);
        MapPeople(modelBuilder);

        modelBuilder.Entity<KnownDevice>(device =>
        {
            device.HasKey(d => d.DeviceId);
            device.HasIndex(d => new { d.SchoolId, d.SerialNumber });
        });
        modelBuilder.Entity<KnownRoom>(room =>
        {
            room.HasKey(r => r.RoomId);
            room.HasIndex(r => r.SchoolId);
        });
    }

    private static void MapRouting(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SupportGroup>(group =>
        {
            group.HasKey(g => g.Code);
            group.HasIndex(g => g.EscalatesTo);
            group.HasOne<SupportGroup>().WithMany().HasForeignKey(g => g.EscalatesTo).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<GroupMember>(member =>
        {
            member.HasKey(m => new { m.GroupCode, m.Subject });
            member.HasIndex(m => m.Subject);
            member.HasOne<SupportGroup>().WithMany().HasForeignKey(m => m.GroupCode);
            member.HasOne<Person>().WithMany().HasForeignKey(m => m.Subject).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<TicketCategory>(category => category.HasKey(c => c.Code));
        modelBuilder.Entity<RoutingRuleSet>(set =>
        {
            set.HasKey(s => s.Version);
            set.Property(s => s.Version).ValueGeneratedNever();
            set.HasMany(s => s.Rules).WithOne().HasForeignKey(r => r.Version);
        });
        modelBuilder.Entity<RoutingRule>(rule =>
        {
            rule.HasKey(r => new { r.Version, r.Position });
            rule.HasIndex(r => r.GroupCode);
            rule.HasOne<SupportGroup>().WithMany().HasForeignKey(r => r.GroupCode).OnDelete(DeleteBehavior.Restrict);
        });
    }

    private static void MapSla(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SlaCalendar>(calendar =>
        {
            calendar.HasKey(c => c.Code);
            calendar.HasMany(c => c.OpeningHours).WithOne().HasForeignKey(h => h.CalendarCode);
        });
        modelBuilder.Entity<SlaOpeningHours>(hours =>
        {
            hours.HasKey(h => new { h.CalendarCode, h.DayOfWeek, h.Opens });
            // Days are numbered as .NET and PostgreSQL's extract(dow) number them: Sunday 0.
            hours.Property(h => h.DayOfWeek).HasConversion<int>();
        });
        modelBuilder.Entity<SchoolHoliday>(holiday =>
        {
            holiday.HasKey(h => h.Id);
            holiday.Property(h => h.Id).UseIdentityAlwaysColumn();
            holiday.HasIndex(h => h.FirstDay);
        });
        modelBuilder.Entity<SlaPolicy>(policy =>
        {
            policy.HasKey(p => new { p.Priority, p.Clock });
            policy.HasIndex(p => p.CalendarCode);
            policy.HasOne<SlaCalendar>().WithMany().HasForeignKey(p => p.CalendarCode).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<ClockSegment>(segment =>
        {
            segment.ToTable("ticket_clock_segments");
            segment.HasKey(s => new { s.TicketId, s.Sequence });
            segment.HasOne<Ticket>().WithMany().HasForeignKey(s => s.TicketId);
        });
        // Read-only: the timers of ticket_sla_timers one a row (written through TicketSlaTimers).
        modelBuilder.Entity<SlaTimer>(timer =>
        {
            timer.ToView("sla_timers");
            timer.HasKey(t => new { t.TicketId, t.Clock, t.Target });
            timer.Property(t => t.ElapsedMinutes).HasPrecision(10, 2);
            timer.Ignore(t => t.Breached);
        });
        modelBuilder.Entity<Notification>(notification =>
        {
            notification.HasKey(n => n.Id);
            notification.Property(n => n.Id).UseIdentityAlwaysColumn();
            notification.HasIndex(n => new { n.TicketId, n.Clock, n.Target, n.Kind }).IsUnique();
            notification.HasIndex(n => new { n.GroupCode, n.CreatedAt });
            notification.HasOne<Ticket>().WithMany().HasForeignKey(n => n.TicketId);
        });
    }

    private static void MapPeople(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Organisation>(organisation => organisation.HasKey(o => o.Code));
        modelBuilder.Entity<Person>(person =>
        {
            person.HasKey(p => p.Subject);
            person.Ignore(p => p.IsInternalStaff);
            person.HasIndex(p => p.OrganisationCode);
            person.HasOne<Organisation>().WithMany().HasForeignKey(p => p.OrganisationCode).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<GroupMembershipChange>(change =>
        {
            change.HasKey(c => c.Id);
            change.Property(c => c.Id).UseIdentityAlwaysColumn();
            change.HasIndex(c => new { c.GroupCode, c.Id });
            change.HasIndex(c => c.Subject);
            change.HasOne<SupportGroup>().WithMany().HasForeignKey(c => c.GroupCode).OnDelete(DeleteBehavior.Restrict);
            change.HasOne<Person>().WithMany().HasForeignKey(c => c.Subject).OnDelete(DeleteBehavior.Restrict);
        });
    }

    private static void MapKnowledgeAndContractor(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<KnowledgeArticle>(article =>
        {
            article.HasKey(a => a.Id);
            article.HasGeneratedTsVectorColumn(a => a.SearchVector, "german", a => new { a.Title, a.Body })
                .HasIndex(a => a.SearchVector).HasMethod("gin");
            article.HasIndex(a => a.Category);
        });
        modelBuilder.Entity<TicketArticle>(link =>
        {
            link.HasKey(l => new { l.TicketId, l.ArticleId });
            link.HasIndex(l => l.ArticleId);
            link.HasOne<Ticket>().WithMany().HasForeignKey(l => l.TicketId);
            link.HasOne<KnowledgeArticle>().WithMany().HasForeignKey(l => l.ArticleId);
        });
        modelBuilder.Entity<ContractorRate>(rate =>
        {
            rate.HasKey(r => r.ValidFrom);
            rate.Property(r => r.HourlyRate).HasPrecision(8, 2);
        });
        modelBuilder.Entity<SystemSupportBudget>(budget =>
        {
            budget.HasKey(b => new { b.SchoolId, b.Year });
            budget.Property(b => b.Amount).HasPrecision(12, 2);
        });
        modelBuilder.Entity<ContractorBooking>(booking =>
        {
            booking.HasKey(b => b.Id);
            booking.Property(b => b.Hours).HasPrecision(5, 2);
            booking.Property(b => b.HourlyRate).HasPrecision(8, 2);
            booking.Property(b => b.Amount).HasPrecision(12, 2);
            booking.HasIndex(b => new { b.SchoolId, b.BudgetYear });
            booking.HasIndex(b => b.TicketId);
            booking.HasOne<Ticket>().WithMany().HasForeignKey(b => b.TicketId).OnDelete(DeleteBehavior.Restrict);
        });
    }
}
