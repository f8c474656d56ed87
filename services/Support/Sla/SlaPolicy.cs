using Mep.Contracts.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Support.Sla;

/// <summary>The clocks a ticket has: the total from opening to resolution, and one per level for the time spent there.</summary>
public static class SlaClocks
{
    public const string Total = "total";

    /// <summary>The longest clock or target name ("total", "level3", "firstResponse", "resolution").</summary>
    public const int MaxName = 20;

    /// <summary>Why a clock has no due time: a text of the platform's own.</summary>
    public const int MaxReason = 500;

    public static string ForLevel(int level) => $"level{level}";

    public static int? LevelOf(string clock) => clock.StartsWith("level", StringComparison.Ordinal) ? clock[5] - '0' : null;

    public static readonly string[] All = [Total, ForLevel(1), ForLevel(2), ForLevel(3)];
}

public static class SlaTargets
{
    public const string FirstResponse = "firstResponse";
    public const string Resolution = "resolution";
}

/// <summary>Targets for one priority on one clock, in business minutes of <see cref="CalendarCode"/>.</summary>
public sealed class SlaPolicy
{
    public TicketPriority Priority { get; internal set; }
    public string Clock { get; internal set; } = string.Empty;
    public int? FirstResponseMinutes { get; internal set; }
    public int ResolutionMinutes { get; internal set; }

    /// <summary>Whether the clock runs during Lower Saxony's school holidays (the service desk works; schools and on-site help do not).</summary>
    public bool RunsInSchoolHolidays { get; internal set; }

    /// <summary>Whether a breach of the resolution target moves the ticket up a level on its own.</summary>
    public bool AutoEscalate { get; internal set; }

    public string CalendarCode { get; internal set; } = string.Empty;
}

internal sealed class SlaPolicyConfiguration : IEntityTypeConfiguration<SlaPolicy>
{
    public void Configure(EntityTypeBuilder<SlaPolicy> policy)
    {
        policy.ToTable("sla_policies");
        policy.HasKey(p => new { p.Priority, p.Clock });
        policy.HasIndex(p => p.CalendarCode);
        policy.HasOne<SlaCalendar>().WithMany().HasForeignKey(p => p.CalendarCode).OnDelete(DeleteBehavior.Restrict);
    }
}
