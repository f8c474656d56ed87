using Mep.Contracts;
using Mep.Contracts.Support;
using Mep.Messaging;
using Mep.ServiceDefaults.Auth;
using Mep.Support.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Tickets;

/// <summary>
/// What of a ticket's change its school sees, told to the school's own software (<see cref="TicketChanged"/>, Schools' webhooks):
/// a new status, or a public answer from staff. Written to the outbox with the change itself, so the event exists exactly when the
/// change does. The school's own comments and internal notes are no news to tell it.
/// </summary>
internal static class SchoolFacingChange
{
    public static void AddEventIfAny(SupportDbContext db, Ticket ticket, DateTimeOffset now)
    {
        var statusChange = ticket.Changes.FirstOrDefault(change => change.Field == "status");
        var answered = db.ChangeTracker.Entries<TicketComment>().Any(entry => entry.State == EntityState.Added
            && entry.Entity.TicketId == ticket.Id && !entry.Entity.Internal && entry.Entity.AuthorRole != PlatformRoles.School);
        if (statusChange is null && !answered)
        {
            return;
        }

        db.AddIntegrationEvent(new TicketChanged(ticket.Id, ticket.Number, ticket.SchoolId, EnumText.CamelName(ticket.Status),
            statusChange?.FromValue, answered, now), ticket.Id.ToString(), now);
    }
}
