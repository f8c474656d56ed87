using Mep.Contracts;
using Mep.Contracts.Mail;
using Mep.Contracts.Support;
using Mep.Mail;
using Mep.Messaging;
using Mep.ServiceDefaults.Hosting;
using Mep.Support.Data;
using Mep.Support.Sla;
using Mep.Support.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Notifications;

/// <summary>
/// Decides who is told about a ticket change by mail, and writes each mail (<see cref="SupportMailQueued"/>) to the outbox, or a line
/// for a person's daily digest, in the caller's unit of work: the mail is decided in the same transaction as the change that causes
/// it, or not at all. Who: an assignee (not when they took the ticket themselves); the active members of the group a ticket moved to
/// (not the one who moved it); for an SLA warning or breach the group's members and the assignee; the school's contact address when
/// staff answered its ticket publicly or resolved it. People with no mail address, or deactivated, get nothing; each person's
/// <see cref="NotificationPreferences"/> decide the rest.
/// </summary>
public sealed class TicketNotifications(SupportDbContext db, ReferenceData reference, IConfiguration configuration, TimeProvider clock)
{
    /// <summary>
    /// The mails a ticket's changes of this unit of work cause, from its history entries (the domain records each change there) and
    /// the public comments added with them. A change that tells nobody costs no query.
    /// </summary>
    internal async Task StageAsync(Ticket ticket, IReadOnlyList<TicketHistoryEntry> changes, CancellationToken cancellationToken)
    {
        var assignedTo = changes.Where(c => c.Change == "assigned" && c.ToValue is not null && c.ToValue != c.Actor).ToList();
        var moves = changes.Where(c => c.Change is "escalated" or "deescalated").ToList();
        var resolved = changes.Any(c => c.Change == "status" && c.ToValue == EnumText.CamelName(TicketStatus.Resolved));
        var answered = SchoolFacingChange.StaffAnsweredPublicly(db, ticket);
        if (assignedTo.Count == 0 && moves.Count == 0 && !resolved && !answered)
        {
            return;
        }

        var (facts, schoolAddress) = await FactsAsync(ticket, cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var assignment in assignedTo)
        {
            await ToPeopleAsync([assignment.ToValue!], StaffMailKind.TicketAssigned, facts, now, null,
                name => TicketMailTexts.Assigned(facts, name, PreferencesLink), cancellationToken);
        }

        foreach (var move in moves)
        {
            var down = move.Change == "deescalated";
            var members = await db.GroupMembers.Where(m => m.GroupCode == ticket.GroupCode && m.Subject != move.Actor).Select(m => m.Subject)
                .ToListAsync(cancellationToken);
            await ToPeopleAsync(members, StaffMailKind.TicketEscalated, facts, now, down ? "zurückgegeben" : "eskaliert",
                name => TicketMailTexts.Escalated(facts, down, name, PreferencesLink), cancellationToken);
        }

        if (answered)
        {
            ToSchool(schoolAddress, "ticketAnswered", TicketMailTexts.Answered(facts), facts, now);
        }

        if (resolved)
        {
            ToSchool(schoolAddress, "ticketResolved", TicketMailTexts.Resolved(facts), facts, now);
        }
    }

    /// <summary>An SLA warning (75 %) or breach of <paramref name="timer"/>: to the group holding the ticket and its assignee.</summary>
    internal async Task SlaThresholdAsync(Ticket ticket, SlaTimer timer, bool isBreach, CancellationToken cancellationToken)
    {
        var (facts, _) = await FactsAsync(ticket, cancellationToken);
        var subjects = await db.GroupMembers.Where(m => m.GroupCode == ticket.GroupCode).Select(m => m.Subject).ToListAsync(cancellationToken);
        if (ticket.Assignee is { } assignee && !subjects.Contains(assignee))
        {
            subjects.Add(assignee);
        }

        await ToPeopleAsync(subjects, isBreach ? StaffMailKind.SlaBreach : StaffMailKind.SlaWarning, facts, clock.GetUtcNow(),
            TicketMailTexts.TargetName(timer), name => TicketMailTexts.SlaThreshold(facts, timer, isBreach, name, PreferencesLink), cancellationToken);
    }

    /// <summary>Where a person reads and changes their choices.</summary>
    internal string PreferencesLink => $"{PublicBase}{SupportService.PathPrefix}/me/notification-preferences";

    /// <summary>The edge's address for absolute links (Edge:PublicBaseAddress); without one, links are the path alone.</summary>
    private string PublicBase => EdgeOptions.LinkBase(configuration);

    private async Task<(TicketMailFacts Facts, string? SchoolAddress)> FactsAsync(Ticket ticket, CancellationToken cancellationToken)
    {
        var settings = await reference.GetAsync(cancellationToken);
        var category = settings.Categories.TryGetValue(ticket.Category, out var known) ? TicketMailTexts.CategoryName(known.Code, known.Name) : ticket.Category;
        var groupName = await db.SupportGroups.Where(g => g.Code == ticket.GroupCode).Select(g => g.Name).SingleOrDefaultAsync(cancellationToken);
        var school = await db.KnownSchools.Where(s => s.SchoolId == ticket.SchoolId).Select(s => new { s.Number, s.Name, s.ContactEmail })
            .SingleOrDefaultAsync(cancellationToken);
        var facts = new TicketMailFacts(ticket.Id, ticket.Number, category, ticket.Priority, ticket.Level,
            TicketMailTexts.GroupName(ticket.GroupCode, groupName ?? ticket.GroupCode), school is null ? ticket.SchoolId.ToString() : $"{school.Number} {school.Name}",
            $"{PublicBase}{SupportService.PathPrefix}/tickets/{ticket.Id}");
        return (facts, school?.ContactEmail);
    }

    private async Task ToPeopleAsync(List<string> subjects, StaffMailKind kind, TicketMailFacts facts, DateTimeOffset now, string? detail,
        Func<string, (string Subject, string Body)> compose, CancellationToken cancellationToken)
    {
        if (subjects.Count == 0)
        {
            return;
        }

        var people = await db.People.Where(p => subjects.Contains(p.Subject) && p.Active && p.Email != null).OrderBy(p => p.Subject)
            .Select(p => new { p.Subject, p.DisplayName, Email = p.Email! }).ToListAsync(cancellationToken);
        var chosen = await db.Set<NotificationPreferences>().Where(p => subjects.Contains(p.Subject)).ToDictionaryAsync(p => p.Subject, cancellationToken);
        foreach (var person in people.Where(p => SmtpMailSender.IsWritableAddress(p.Email)))
        {
            var preferences = chosen.GetValueOrDefault(person.Subject) ?? NotificationPreferences.DefaultsFor(person.Subject);
            if (!preferences.Wants(kind))
            {
                continue;
            }

            if (preferences.DailyDigest)
            {
                db.Add(new DigestItem(person.Subject, kind, facts.TicketId, TicketMailTexts.DigestLine(kind, facts, now, detail), now));
                continue;
            }

            var (subject, body) = compose(person.DisplayName);
            Queue(new OutgoingMail(Guid.CreateVersion7(now), EnumText.CamelName(kind), person.Email, person.DisplayName, subject, body), facts.TicketId, now);
        }
    }

    /// <summary>A mail to the school's contact address; none when the school has not recorded one in Schools.</summary>
    private void ToSchool(string? address, string kind, (string Subject, string Body) text, TicketMailFacts facts, DateTimeOffset now)
    {
        if (address is not null && SmtpMailSender.IsWritableAddress(address))
        {
            Queue(new OutgoingMail(Guid.CreateVersion7(now), kind, address, null, text.Subject, text.Body), facts.TicketId, now);
        }
    }

    /// <summary>Ordered with the ticket's other events: mails about one ticket leave in the order their changes were made.</summary>
    private void Queue(OutgoingMail mail, Guid ticketId, DateTimeOffset now) =>
        db.AddIntegrationEvent(new SupportMailQueued(mail, now), ticketId.ToString(), now);
}
