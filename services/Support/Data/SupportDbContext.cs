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

/// <summary>
/// The Support service's database. The schema itself comes from Migrations/*.sql. Each feature maps its own tables beside its types
/// (an IEntityTypeConfiguration); this file keeps only what no feature owns, the rows replicated from other services.
/// </summary>
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
}
