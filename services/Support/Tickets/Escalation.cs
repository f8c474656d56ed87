using Mep.Contracts.Support;
using Mep.Messaging;
using Mep.Support.Data;
using Mep.Support.Routing;

namespace Mep.Support.Tickets;

/// <summary>Moving a ticket between levels, by hand or on an SLA breach: the same change, history and event either way.</summary>
internal static class Escalation
{
    public static async Task MoveAsync(SupportDbContext db, TicketWriter writer, Ticket ticket, SupportGroup target, string reason, string actor,
        bool automatic, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (fromLevel, fromGroup) = (ticket.Level, ticket.GroupCode);
        ticket.MoveToLevel(target.Level, target.Code, reason, actor, now);
        db.AddIntegrationEvent(new TicketEscalated(ticket.Id, ticket.SchoolId, fromLevel, target.Level, fromGroup, target.Code, reason, automatic, now),
            ticket.Id.ToString(), now);
        await writer.SaveAsync(ticket, respondedAtLevel: false, cancellationToken);
    }
}
