using Mep.ServiceDefaults.Errors;
using Mep.Support.Contractor;
using Mep.Support.Routing;
using Mep.Support.Tickets;

namespace Mep.Support.Tests;

/// <summary>Booking the contractor's hours, on the domain types alone: no database, no HTTP (the API tests cover the way there).</summary>
public sealed class ContractorBookingAggregateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly WorkedOn = new(2026, 12, 4);
    private static readonly SupportGroup Contractor = new() { Code = "contractor", Name = "CSS", Level = 2, Kind = GroupKind.Contractor };
    private static readonly SupportGroup ServiceDesk = new() { Code = "service-desk", Name = "Service desk", Level = 1, Kind = GroupKind.Internal };
    private static readonly ContractorRate Rate = new() { ValidFrom = new DateOnly(2025, 1, 1), HourlyRate = 68.35m };

    private static Ticket HeldBy(SupportGroup group) => Ticket.Open(
        new TicketReport(Guid.NewGuid(), "Frau Schulz", "it@gy.example", null, "network", null, null, null, "Switch", "Switch in 1.12 dead",
            Severity.Medium, Severity.High, NeedsOnSite: true, SolvedBySchool: false),
        new TicketRoute(group.Level, group.Code, 1, 1), 7, "agent-anna", Now);

    private static ContractorBooking Booked(decimal hours = 1.5m, DateOnly? workedOn = null) =>
        ContractorBooking.Book(HeldBy(Contractor), Contractor, Rate, workedOn ?? WorkedOn, hours, " Switch replaced ", "css-carla", Now);

    [Fact]
    public void A_booking_charges_the_hours_at_the_rate_of_the_day_worked()
    {
        var booking = Booked();

        Assert.Equal((68.35m, 102.53m), (booking.HourlyRate, booking.Amount));
    }

    [Fact]
    public void A_booking_goes_to_the_budget_of_the_year_worked()
    {
        Assert.Equal(2025, Booked(workedOn: new DateOnly(2025, 12, 31)).BudgetYear);
    }

    [Fact]
    public void A_booking_is_for_the_tickets_school_and_keeps_its_description_without_surrounding_spaces()
    {
        var ticket = HeldBy(Contractor);

        var booking = ContractorBooking.Book(ticket, Contractor, Rate, WorkedOn, 1m, " Switch replaced ", "css-carla", Now);

        Assert.Equal((ticket.Id, ticket.SchoolId, "Switch replaced", "css-carla"), (booking.TicketId, booking.SchoolId, booking.Description, booking.BookedBy));
    }

    [Fact]
    public void Hours_on_a_ticket_the_contractor_does_not_hold_are_refused()
    {
        var refused = Assert.Throws<DomainRuleException>(() =>
            ContractorBooking.Book(HeldBy(ServiceDesk), ServiceDesk, Rate, WorkedOn, 1m, "Switch replaced", "css-carla", Now));

        Assert.Equal(("contractor-hours-need-contractor-ticket", "Contractor hours are booked on tickets held by the contractor; this one is with Service desk."),
            (refused.Rule, refused.Message));
    }

    [Fact]
    public void Hours_on_a_day_without_a_rate_are_refused()
    {
        var refused = Assert.Throws<DomainRuleException>(() =>
            ContractorBooking.Book(HeldBy(Contractor), Contractor, null, WorkedOn, 1m, "Switch replaced", "css-carla", Now));

        Assert.Equal(("contractor-rate-missing", "No contractor rate is valid on 2026-12-04; finance sets it first."), (refused.Rule, refused.Message));
    }

    [Fact]
    public void A_rate_from_a_later_day_is_no_rate_for_the_day_worked()
    {
        var fromLater = new ContractorRate { ValidFrom = WorkedOn.AddDays(1), HourlyRate = 70m };

        var refused = Assert.Throws<DomainRuleException>(() =>
            ContractorBooking.Book(HeldBy(Contractor), Contractor, fromLater, WorkedOn, 1m, "Switch replaced", "css-carla", Now));

        Assert.Equal("contractor-rate-missing", refused.Rule);
    }

    [Theory]
    [InlineData(0.25, 68.35, 17.09)]
    [InlineData(0.1, 68.35, 6.84)]
    [InlineData(1, 0.005, 0.01)]
    public void The_amount_is_rounded_to_the_cent_away_from_zero(decimal hours, decimal rate, decimal amount)
    {
        Assert.Equal(amount, ContractorBooking.AmountOf(hours, rate));
    }
}
