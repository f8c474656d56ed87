using Mep.ServiceDefaults.Errors;
using Mep.Support.Routing;
using Mep.Support.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Support.Contractor;

/// <summary>Hours the contractor (CSS) worked on a ticket, charged to the school's budget of the year worked.</summary>
public sealed class ContractorBooking
{
    private ContractorBooking()
    {
    }

    public Guid Id { get; private set; }
    public Guid TicketId { get; private set; }
    public Guid SchoolId { get; private set; }
    public DateOnly WorkedOn { get; private set; }
    public int BudgetYear { get; private set; }
    public decimal Hours { get; private set; }
    public decimal HourlyRate { get; private set; }

    /// <summary>Hours x rate, rounded to the cent (away from zero, as an invoice is).</summary>
    public decimal Amount { get; private set; }

    public string Description { get; private set; } = string.Empty;
    public string BookedBy { get; private set; } = string.Empty;
    public DateTimeOffset BookedAt { get; private set; }

    /// <summary>
    /// Books hours on a ticket the contractor holds (<paramref name="heldBy"/>, the ticket's current group), at the rate valid on the day
    /// worked (<paramref name="rate"/>, null when finance has set none yet), charged to the budget of that day's year.
    /// </summary>
    public static ContractorBooking Book(Ticket ticket, SupportGroup heldBy, ContractorRate? rate, DateOnly workedOn, decimal hours, string description,
        string actor, DateTimeOffset now)
    {
        if (heldBy.Code != ticket.GroupCode)
        {
            throw new InvalidOperationException($"Ticket {ticket.Number} is with {ticket.GroupCode}, not {heldBy.Code}.");
        }

        if (heldBy.Kind != GroupKind.Contractor)
        {
            throw new DomainRuleException("contractor-hours-need-contractor-ticket",
                $"Contractor hours are booked on tickets held by the contractor; this one is with {heldBy.Name}.");
        }

        if (rate is null || rate.ValidFrom > workedOn)
        {
            throw new DomainRuleException("contractor-rate-missing", $"No contractor rate is valid on {workedOn:yyyy-MM-dd}; finance sets it first.");
        }

        return new ContractorBooking
        {
            Id = Guid.CreateVersion7(now), TicketId = ticket.Id, SchoolId = ticket.SchoolId, WorkedOn = workedOn, BudgetYear = workedOn.Year,
            Hours = hours, HourlyRate = rate.HourlyRate, Amount = AmountOf(hours, rate.HourlyRate), Description = description.Trim(), BookedBy = actor,
            BookedAt = now,
        };
    }

    public static decimal AmountOf(decimal hours, decimal hourlyRate) => Math.Round(hours * hourlyRate, 2, MidpointRounding.AwayFromZero);
}

internal sealed class ContractorBookingConfiguration : IEntityTypeConfiguration<ContractorBooking>
{
    public void Configure(EntityTypeBuilder<ContractorBooking> booking)
    {
        booking.ToTable("contractor_bookings");
        booking.HasKey(b => b.Id);
        booking.Property(b => b.Hours).HasPrecision(5, 2);
        booking.Property(b => b.HourlyRate).HasPrecision(8, 2);
        booking.Property(b => b.Amount).HasPrecision(12, 2);
        booking.HasIndex(b => new { b.SchoolId, b.BudgetYear });
        booking.HasIndex(b => b.TicketId);
        booking.HasOne<Ticket>().WithMany().HasForeignKey(b => b.TicketId).OnDelete(DeleteBehavior.Restrict);
    }
}
