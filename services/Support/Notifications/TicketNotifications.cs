using Mep.Contracts;
using Mep.Contracts.Support;
using Mep.Mail;
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
    /// The mails the ticket's changes of this unit of work cause, from its history entries (the domain records each change there) and
    /// the public comments added with them. A change that tells nobody costs no query.
    /// </summary>
    internal async Task StageAsync(Ticket ticket, CancellationToken cancellationToken)
    {
        var changes = ticket.Changes;
        var assignedTo = changes.Where(c => c.Change == "assigned" && c.ToValue is not null && c.ToValue != c.Actor).ToList();
        var moves = changes.Where(c => c.Change is "escalated" or "deescalated").ToList();
        var resolved = changes.Any(c => c.Change == "status" && c.ToValue == EnumText.CamelName(TicketStatus.Resolved));
        var answered = SchoolFacingChange.StaffAnsweredPublicly(db, ticket);
        if (assignedTo.Count == 0 && moves.Count == 0 && !resolved && !answered)
        {
            return;
        }

        var (facts, schoolAddress) = await FactsAsync(ticket, cancellationToken);
        var settings = await reference.GetAsync(cancellationToken);
        var preferencesLink = PreferencesLink(configuration);
        var now = clock.GetUtcNow();
        foreach (var assignment in assignedTo)
        {
            var people = await MailablePeople.FindAsync(db, [assignment.ToValue!], groupCode: null, except: null, cancellationToken);
            ToPeople(people, SupportMailKind.TicketAssigned, facts, now, null, name => TicketMailTexts.Assigned(facts, name, preferencesLink));
        }

        foreach (var move in moves)
        {
            // The group of this move, not the ticket's last: two moves in one change tell each group of its own.
            var (level, groupCode) = Ticket.MovedTo(move);
            var movedFacts = facts with { Level = level, Group = GroupName(settings, groupCode) };
            var down = move.Change == "deescalated";
            var members = await MailablePeople.FindAsync(db, [], groupCode, except: move.Actor, cancellationToken);
            ToPeople(members, SupportMailKind.TicketEscalated, movedFacts, now, down ? "zurückgegeben" : "eskaliert",
                name => TicketMailTexts.Escalated(movedFacts, down, name, preferencesLink));
        }

        if (answered)
        {
            ToSchool(schoolAddress, SupportMailKind.TicketAnswered, TicketMailTexts.Answered(facts), facts, now);
        }

        if (resolved)
        {
            ToSchool(schoolAddress, SupportMailKind.TicketResolved, TicketMailTexts.Resolved(facts), facts, now);
        }
    }

    /// <summary>An SLA warning (75 %) or breach of <paramref name="timer"/>: to the group holding the ticket and its assignee.</summary>
    internal async Task SlaThresholdAsync(Ticket ticket, SlaTimer timer, bool isBreach, CancellationToken cancellationToken)
    {
        var (facts, _) = await FactsAsync(ticket, cancellationToken);
        var people = await MailablePeople.FindAsync(db, ticket.Assignee is { } assignee ? [assignee] : [], ticket.GroupCode, except: null,
            cancellationToken);
        var preferencesLink = PreferencesLink(configuration);
        ToPeople(people, isBreach ? SupportMailKind.SlaBreach : SupportMailKind.SlaWarning, facts, clock.GetUtcNow(), TicketMailTexts.TargetName(timer),
            name => TicketMailTexts.SlaThreshold(facts, timer, isBreach, name, preferencesLink));
    }

    /// <summary>Where a person reads and changes their choices: at the edge's address (Edge:PublicBaseAddress), or the path alone.</summary>
    internal static string PreferencesLink(IConfiguration configuration) =>
        $"{EdgeOptions.LinkBase(configuration)}{SupportService.PathPrefix}/me/notification-preferences";

    /// <summary>Writes a mail of Support's to the outbox with the caller's change (<see cref="MailOutbox"/>).</summary>
    internal static bool TryQueue(SupportDbContext db, SupportMailKind kind, string toAddress, string? toName, (string Subject, string Body) text,
        string aggregateId, DateTimeOffset now) =>
        MailOutbox.TryAdd(db, (mail, at) => new SupportMailQueued(mail, at), EnumText.CamelName(kind), toAddress, toName, text, aggregateId, now);

    private static string GroupName(ReferenceData.Snapshot settings, string groupCode) =>
        settings.Groups.TryGetValue(groupCode, out var group) ? group.NameInGerman : groupCode;

    private async Task<(TicketMailFacts Facts, string? SchoolAddress)> FactsAsync(Ticket ticket, CancellationToken cancellationToken)
    {
        var settings = await reference.GetAsync(cancellationToken);
        var category = settings.Categories.TryGetValue(ticket.Category, out var known) ? known.NameInGerman : ticket.Category;
        // A ticket is opened only for a school the directory knows, and the directory keeps every school it learnt of.
        var school = await db.KnownSchools.Where(s => s.SchoolId == ticket.SchoolId).Select(s => new { s.Number, s.Name, s.ContactEmail })
            .SingleAsync(cancellationToken);
        var facts = new TicketMailFacts(ticket.Id, ticket.Number, category, ticket.Priority, ticket.Level, GroupName(settings, ticket.GroupCode),
            $"{school.Number} {school.Name}", $"{EdgeOptions.LinkBase(configuration)}{SupportService.PathPrefix}/tickets/{ticket.Id}");
        return (facts, school.ContactEmail);
    }

    private void ToPeople(List<MailablePerson> people, SupportMailKind kind, TicketMailFacts facts, DateTimeOffset now, string? detail,
        Func<string, (string Subject, string Body)> compose)
    {
        foreach (var person in people.Where(p => p.Preferences.Wants(kind)))
        {
            if (person.Preferences.DailyDigest)
            {
                db.Add(new DigestItem(person.Subject, kind, facts.TicketId, TicketMailTexts.DigestLine(kind, facts, now, detail), now));
            }
            else
            {
                TryQueue(db, kind, person.Email, person.DisplayName, compose(person.DisplayName), facts.TicketId.ToString(), now);
            }
        }
    }

    /// <summary>A mail to the school's contact address; none when the school has not recorded one in Schools.</summary>
    private void ToSchool(string? address, SupportMailKind kind, (string Subject, string Body) text, TicketMailFacts facts, DateTimeOffset now)
    {
        if (address is not null)
        {
            TryQueue(db, kind, address, null, text, facts.TicketId.ToString(), now);
        }
    }
}
