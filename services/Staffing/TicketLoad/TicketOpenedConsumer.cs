using MassTransit;
using Mep.Contracts.Support;
using Mep.Jobs;
using Mep.Messaging;
using Mep.Staffing.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.Staffing.TicketLoad;

/// <summary>
/// Tickets opened per school and month, from Support's events. A ticket adds to its month only the first time its id is seen
/// (<c>counted_tickets</c>): the inbox stops a redelivery, the id also a republished or replayed event after the inbox forgot it.
/// </summary>
public sealed class TicketOpenedConsumer(StaffingDbContext db, TimeProvider clock) : IdempotentConsumer<TicketOpened, StaffingDbContext>(db, clock)
{
    protected override string ConsumerName => "staffing/ticket-opened";

    protected override Task HandleAsync(TicketOpened message, ConsumeContext<TicketOpened> context)
    {
        var month = MonthOf(message.OccurredAt);
        var solvedBySchool = message.SolvedBySchool ? 1 : 0;
        return Db.Database.ExecuteSqlAsync($"""
            WITH first_time AS (INSERT INTO counted_tickets (ticket_id) VALUES ({message.TicketId}) ON CONFLICT DO NOTHING RETURNING ticket_id)
            INSERT INTO ticket_load AS l (school_id, month, tickets, solved_by_school)
            SELECT {message.SchoolId}, {month}, 1, {solvedBySchool} FROM first_time
            ON CONFLICT (school_id, month) DO UPDATE SET tickets = l.tickets + 1, solved_by_school = l.solved_by_school + excluded.solved_by_school
            """, context.CancellationToken);
    }

    /// <summary>The first day of the month in Berlin, where the schools are: a ticket at 00:30 on 1 March counts for March.</summary>
    public static DateOnly MonthOf(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, ScheduledJobs.Berlin);
        return new DateOnly(local.Year, local.Month, 1);
    }
}
