using Mep.SchoolDirectory;
using Mep.Support.Data;
using Mep.Support.Directory;
using Mep.Support.Sla;

namespace Mep.Support.Tickets;

/// <summary>
/// A ticket with what people know it by, for work lists and feeds: its school (number, name), its room (building, number) and
/// the due times of its SLA timers. Read in the list's one query, by left joins on the primary keys of the replicas and of the
/// timers' row, however many rows the page has: never a read per row.
/// </summary>
internal sealed class TicketWithNames
{
    public Ticket Ticket { get; init; } = null!;

    /// <summary>Null only if the directory replica lost the school, which Support never does: a ticket is opened for a known school.</summary>
    public KnownSchool? School { get; init; }

    public KnownRoom? Room { get; init; }

    /// <summary>Null for a ticket without clocks (solved by the school itself).</summary>
    public TicketSlaTimers? Timers { get; init; }

    public static IQueryable<TicketWithNames> Of(IQueryable<Ticket> tickets, SupportDbContext db) =>
        from ticket in tickets
        join school in db.KnownSchools on ticket.SchoolId equals school.SchoolId into schools
        from school in schools.DefaultIfEmpty()
        join room in db.KnownRooms on ticket.RoomId equals (Guid?)room.RoomId into rooms
        from room in rooms.DefaultIfEmpty()
        join timers in db.TicketSlaTimers on ticket.Id equals timers.TicketId into ticketTimers
        from timers in ticketTimers.DefaultIfEmpty()
        select new TicketWithNames { Ticket = ticket, School = school, Room = room, Timers = timers };
}
