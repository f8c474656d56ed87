namespace Mep.Support.Contractor;

/// <summary>The contractor's hourly rate (EUR) from a day on; the rate of a booking is the one valid on the day worked.</summary>
public sealed class ContractorRate
{
    public DateOnly ValidFrom { get; internal set; }
    public decimal HourlyRate { get; internal set; }
}

/// <summary>A school's system-support budget (Systembetreuungsmittel) for one calendar year, in EUR.</summary>
public sealed class SystemSupportBudget
{
    public Guid SchoolId { get; internal set; }
    public int Year { get; internal set; }
    public decimal Amount { get; internal set; }
    public DateTimeOffset UpdatedAt { get; internal set; }
    public string UpdatedBy { get; internal set; } = string.Empty;
}

/// <summary>Hours the contractor (CSS) worked on a ticket, charged to the school's budget of the year worked.</summary>
public sealed class ContractorBooking
{
    public Guid Id { get; internal set; }
    public Guid TicketId { get; internal set; }
    public Guid SchoolId { get; internal set; }
    public DateOnly WorkedOn { get; internal set; }
    public int BudgetYear { get; internal set; }
    public decimal Hours { get; internal set; }
    public decimal HourlyRate { get; internal set; }

    /// <summary>Hours x rate, rounded to the cent (away from zero, as an invoice is).</summary>
    public decimal Amount { get; internal set; }

    public string Description { get; internal set; } = string.Empty;
    public string BookedBy { get; internal set; } = string.Empty;
    public DateTimeOffset BookedAt { get; internal set; }

    public static decimal AmountOf(decimal hours, decimal hourlyRate) => Math.Round(hours * hourlyRate, 2, MidpointRounding.AwayFromZero);
}
