using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Support.Notifications;

/// <summary>
/// Every kind of mail Support sends. A person of the directory chooses the first four (<see cref="NotificationPreferences"/>); what a
/// school is told (answered, resolved) and the digest itself are nobody's choice.
/// </summary>
public enum SupportMailKind
{
    /// <summary>A ticket was assigned to you (by someone else).</summary>
    TicketAssigned,

    /// <summary>A ticket was moved to a group you are a member of (escalated, or handed back down).</summary>
    TicketEscalated,

    /// <summary>75 % of an SLA target of a ticket of your group (or assigned to you) is used.</summary>
    SlaWarning,

    /// <summary>An SLA target of a ticket of your group (or assigned to you) was missed.</summary>
    SlaBreach,

    /// <summary>To the school's contact address: staff answered its ticket publicly.</summary>
    TicketAnswered,

    /// <summary>To the school's contact address: its ticket was resolved.</summary>
    TicketResolved,

    /// <summary>A person's daily digest of the kinds they chose.</summary>
    DailyDigest,
}

/// <summary>
/// Which mails a person wants, and whether as single mails or as one daily digest. A person without a row gets every kind as single
/// mails (<see cref="DefaultsFor"/>), so nobody misses an assignment because they never opened their settings.
/// </summary>
public sealed class NotificationPreferences
{
    private NotificationPreferences()
    {
    }

    public string Subject { get; private set; } = string.Empty;
    public bool TicketAssigned { get; private set; }
    public bool TicketEscalated { get; private set; }
    public bool SlaWarning { get; private set; }
    public bool SlaBreach { get; private set; }

    /// <summary>Collect the wanted mails and send them once a day in one mail, instead of each as it happens.</summary>
    public bool DailyDigest { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }
    public string UpdatedBy { get; private set; } = string.Empty;
    public uint Version { get; private set; }

    public static NotificationPreferences DefaultsFor(string subject) => new()
    {
        Subject = subject, TicketAssigned = true, TicketEscalated = true, SlaWarning = true, SlaBreach = true, DailyDigest = false,
    };

    public bool Wants(SupportMailKind kind) => kind switch
    {
        SupportMailKind.TicketAssigned => TicketAssigned,
        SupportMailKind.TicketEscalated => TicketEscalated,
        SupportMailKind.SlaWarning => SlaWarning,
        SupportMailKind.SlaBreach => SlaBreach,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a kind of mail a person chooses."),
    };

    public void Change(bool ticketAssigned, bool ticketEscalated, bool slaWarning, bool slaBreach, bool dailyDigest, string actor, DateTimeOffset now) =>
        (TicketAssigned, TicketEscalated, SlaWarning, SlaBreach, DailyDigest, UpdatedAt, UpdatedBy) =
        (ticketAssigned, ticketEscalated, slaWarning, slaBreach, dailyDigest, now, actor);
}

internal sealed class NotificationPreferencesConfiguration : IEntityTypeConfiguration<NotificationPreferences>
{
    public void Configure(EntityTypeBuilder<NotificationPreferences> preferences)
    {
        preferences.ToTable("notification_preferences");
        preferences.HasKey(p => p.Subject);
    }
}

/// <summary>One notification waiting for its person's next daily digest, written as the digest will list it.</summary>
public sealed class DigestItem
{
    private DigestItem()
    {
    }

    internal DigestItem(string subject, SupportMailKind kind, Guid ticketId, string line, DateTimeOffset occurredAt) =>
        (Subject, Kind, TicketId, Line, OccurredAt) = (subject, kind, ticketId, line, occurredAt);

    public long Id { get; private set; }
    public string Subject { get; private set; } = string.Empty;
    public SupportMailKind Kind { get; private set; }
    public Guid TicketId { get; private set; }

    /// <summary>The digest's line for it (German, no free text of the ticket), fixed when it happened.</summary>
    public string Line { get; private set; } = string.Empty;

    public DateTimeOffset OccurredAt { get; private set; }
}

internal sealed class DigestItemConfiguration : IEntityTypeConfiguration<DigestItem>
{
    public void Configure(EntityTypeBuilder<DigestItem> item)
    {
        item.ToTable("notification_digest_items");
        item.HasKey(i => i.Id);
        item.Property(i => i.Id).UseIdentityAlwaysColumn();
        item.HasIndex(i => new { i.Subject, i.Id });
    }
}
