using Mep.Support.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Notifications;

/// <summary>A person Support can mail: active, with an address, and their choice of mails (the defaults while they never chose).</summary>
internal sealed record MailablePerson(string Subject, string DisplayName, string Email, NotificationPreferences Preferences);

internal static class MailablePeople
{
    /// <summary>
    /// The mailable people among <paramref name="subjects"/> and the members of <paramref name="groupCode"/>, but not
    /// <paramref name="except"/> (who caused the mail), with their preferences: one query, as it runs inside a ticket's transaction
    /// (and under the escalation job's row lock).
    /// </summary>
    public static async Task<List<MailablePerson>> FindAsync(SupportDbContext db, IReadOnlyCollection<string> subjects, string? groupCode,
        string? except, CancellationToken cancellationToken)
    {
        var rows = await (
            from person in db.People
            where person.Active && person.Email != null && person.Subject != except
                && (subjects.Contains(person.Subject)
                    || (groupCode != null && db.GroupMembers.Any(m => m.GroupCode == groupCode && m.Subject == person.Subject)))
            join chosen in db.Set<NotificationPreferences>() on person.Subject equals chosen.Subject into choices
            from chosen in choices.DefaultIfEmpty()
            orderby person.Subject
            select new { person.Subject, person.DisplayName, Email = person.Email!, Chosen = chosen }).ToListAsync(cancellationToken);
        return rows.ConvertAll(r => new MailablePerson(r.Subject, r.DisplayName, r.Email, r.Chosen ?? NotificationPreferences.DefaultsFor(r.Subject)));
    }
}
