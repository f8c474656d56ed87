using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Staffing.TicketLoad;

/// <summary>A ticket already in <see cref="MonthlyTicketLoad"/>.</summary>
public sealed class CountedTicket
{
    public Guid TicketId { get; private set; }
}

/// <summary>Tickets a school opened in a month (Berlin), and how many of them it solved itself (level 0).</summary>
public sealed class MonthlyTicketLoad
{
    public Guid SchoolId { get; private set; }

    /// <summary>The first day of the month.</summary>
    public DateOnly Month { get; private set; }

    public int Tickets { get; private set; }
    public int SolvedBySchool { get; private set; }
}

internal sealed class CountedTicketConfiguration : IEntityTypeConfiguration<CountedTicket>
{
    public void Configure(EntityTypeBuilder<CountedTicket> ticket)
    {
        ticket.ToTable("counted_tickets");
        ticket.HasKey(t => t.TicketId);
    }
}

internal sealed class MonthlyTicketLoadConfiguration : IEntityTypeConfiguration<MonthlyTicketLoad>
{
    public void Configure(EntityTypeBuilder<MonthlyTicketLoad> load)
    {
        load.ToTable("ticket_load");
        load.HasKey(l => new { l.SchoolId, l.Month });
        load.HasIndex(l => l.Month);
    }
}
