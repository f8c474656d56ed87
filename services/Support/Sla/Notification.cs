using Mep.Support.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Support.Sla;

/// <summary>What a group was told about a ticket (an SLA warning or breach); email sending is out of scope.</summary>
public sealed class Notification
{
    public long Id { get; internal set; }
    public Guid TicketId { get; internal set; }
    public string GroupCode { get; internal set; } = string.Empty;

    /// <summary>slaWarning or slaBreach.</summary>
    public string Kind { get; internal set; } = string.Empty;

    public string Clock { get; internal set; } = string.Empty;
    public string Target { get; internal set; } = string.Empty;
    public string Message { get; internal set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; internal set; }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> notification)
    {
        notification.ToTable("notifications");
        notification.HasKey(n => n.Id);
        notification.Property(n => n.Id).UseIdentityAlwaysColumn();
        notification.HasIndex(n => new { n.TicketId, n.Clock, n.Target, n.Kind }).IsUnique();
        notification.HasIndex(n => new { n.GroupCode, n.CreatedAt });
        notification.HasOne<Ticket>().WithMany().HasForeignKey(n => n.TicketId);
    }
}
