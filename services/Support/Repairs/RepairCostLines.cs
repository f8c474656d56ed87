using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Mep.Contracts.Support;
using Mep.Messaging;
using Mep.Support.Contractor;
using Mep.Support.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Repairs;

[JsonConverter(typeof(JsonStringEnumConverter<RepairCostKind>))]
public enum RepairCostKind
{
    /// <summary>An amount recorded on the case (<see cref="RepairCost"/>).</summary>
    Amount,

    /// <summary>The contractor's hours booked on the case's ticket (<see cref="ContractorBooking"/>), charged to the school's budget.</summary>
    ContractorHours,
}

/// <param name="Hours">The contractor's hours, for a booking; null for an amount.</param>
public sealed record RepairCostLine(
    Guid Id, Guid RepairCaseId, RepairCostKind Kind, RepairPayer Payer, decimal Amount, decimal? Hours,
    [MaxLength(RepairFields.MaxDescription)] string Description, DateOnly IncurredOn);

/// <summary>
/// A repair's costs from their two sources: amounts recorded on the case, and the contractor's hours booked on its ticket, which are
/// the repair's cost against the school's system-support budget. Bookings stay where contractor hours are kept; this reads them.
/// </summary>
internal static class RepairCostLines
{
    /// <summary>The cost lines of the cases, by case, each case's in the order incurred.</summary>
    public static async Task<ILookup<Guid, RepairCostLine>> OfAsync(SupportDbContext db, IReadOnlyCollection<RepairCase> cases,
        CancellationToken cancellationToken)
    {
        var caseIds = cases.Select(c => c.Id).ToList();
        var caseOfTicket = cases.ToDictionary(c => c.TicketId, c => c.Id);
        var amounts = await db.Set<RepairCost>().AsNoTracking().Where(c => caseIds.Contains(c.RepairCaseId)).ToListAsync(cancellationToken);
        var bookings = await db.ContractorBookings.AsNoTracking().Where(b => caseOfTicket.Keys.Contains(b.TicketId)).ToListAsync(cancellationToken);
        return amounts.Select(c => new RepairCostLine(c.Id, c.RepairCaseId, RepairCostKind.Amount, c.Payer, c.Amount, null, c.Description, c.IncurredOn))
            .Concat(bookings.Select(b => OfBooking(b, caseOfTicket[b.TicketId])))
            .OrderBy(l => l.IncurredOn).ThenBy(l => l.Id)
            .ToLookup(l => l.RepairCaseId);
    }

    public static RepairCostRecorded Recorded(RepairCase repair, RepairCostLine line, DateTimeOffset now) =>
        new(line.Id, repair.Id, repair.SchoolId, repair.DeviceId, line.Payer, line.Amount, line.Hours, line.IncurredOn, now);

    /// <summary>
    /// Tells Funding of a contractor booking on a repair's ticket as the repair's cost (in the booking's transaction). Called where
    /// hours are booked; a ticket without a repair case tells nothing.
    /// </summary>
    public static async Task AddBookingEventAsync(SupportDbContext db, ContractorBooking booking, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await db.Set<RepairCase>().AsNoTracking().SingleOrDefaultAsync(r => r.TicketId == booking.TicketId, cancellationToken) is { } repair)
        {
            db.AddIntegrationEvent(Recorded(repair, OfBooking(booking, repair.Id), now), repair.Id.ToString(), now);
        }
    }

    /// <summary>Hours booked before the case was opened on the ticket count as its costs too: told when the case opens.</summary>
    public static async Task AddEarlierBookingEventsAsync(SupportDbContext db, RepairCase repair, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var booking in await db.ContractorBookings.AsNoTracking().Where(b => b.TicketId == repair.TicketId).ToListAsync(cancellationToken))
        {
            db.AddIntegrationEvent(Recorded(repair, OfBooking(booking, repair.Id), now), repair.Id.ToString(), now);
        }
    }

    private static RepairCostLine OfBooking(ContractorBooking booking, Guid repairCaseId) =>
        new(booking.Id, repairCaseId, RepairCostKind.ContractorHours, RepairPayer.SchoolSystemSupportBudget, booking.Amount, booking.Hours,
            booking.Description, booking.WorkedOn);
}
