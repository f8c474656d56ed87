using System.Globalization;
using System.Text;
using Mep.Contracts.Support;
using Mep.Support.Sla;

namespace Mep.Support.Notifications;

/// <summary>
/// What a mail says about a ticket. Only facts the platform keeps as data: the ticket's number, category, priority, level and group,
/// the school's number and name, due times and a link. Never the title, the description or a comment: schools write those as free
/// text, and free text may name a pupil (the platform keeps pupils pseudonymous and never needs a name), so it stays behind the link, where
/// the reader's role decides what they see.
/// </summary>
/// <param name="Category">The category's German name (reference data), as <paramref name="Group"/> is the group's.</param>
/// <param name="School">"90003 GY Goetheschule": a ticket is opened only for a school the directory knows, and the directory keeps it.</param>
public sealed record TicketMailFacts(
    Guid TicketId, long Number, string Category, TicketPriority Priority, int Level, string Group, string School, string Link);

/// <summary>The German texts of Support's mails; the subject and body of each kind, and a digest's lines.</summary>
public static class TicketMailTexts
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    public const string Footer = """

        Betreff, Beschreibung und Kommentare der Meldung lesen Sie im Ticket: Mails der MEP-Plattform enthalten keine Freitexte aus
        Meldungen, damit keine Angaben zu Schülerinnen und Schülern per Mail verschickt werden.

        --
        MEP-Plattform, Support. Diese Nachricht wurde automatisch erzeugt.
        """;

    public static (string Subject, string Body) Assigned(TicketMailFacts ticket, string toName, string preferencesLink) => (
        $"[MEP-Support] Ticket #{ticket.Number} wurde Ihnen zugewiesen: {ticket.Category}, {ticket.School}",
        Staff(toName, $"das Ticket #{ticket.Number} wurde Ihnen zugewiesen.", ticket, null, preferencesLink));

    public static (string Subject, string Body) Escalated(TicketMailFacts ticket, bool down, string toName, string preferencesLink) => (
        $"[MEP-Support] Ticket #{ticket.Number} {(down ? "an Ihre Gruppe zurückgegeben" : "an Ihre Gruppe eskaliert")}: {ticket.Category}, {ticket.School}",
        Staff(toName, $"das Ticket #{ticket.Number} liegt jetzt bei Ihrer Gruppe {ticket.Group} ({(down ? "zurückgegeben" : "eskaliert")}).",
            ticket, null, preferencesLink));

    public static (string Subject, string Body) SlaThreshold(TicketMailFacts ticket, SlaTimer timer, bool breach, string toName, string preferencesLink)
    {
        var target = TargetName(timer);
        var due = Local(timer.DueAt!.Value);
        return breach
            ? ($"[MEP-Support] SLA verletzt: Ticket #{ticket.Number}, {target} überschritten",
                Staff(toName, $"beim Ticket #{ticket.Number} wurde die Frist für die {target} überschritten: fällig war sie am {due}.", ticket,
                    $"Frist:       {target} ({timer.TargetMinutes} Geschäftsminuten), fällig {due}", preferencesLink))
            : ($"[MEP-Support] SLA-Warnung: Ticket #{ticket.Number}, 75 % der Frist für die {target} verbraucht",
                Staff(toName, $"beim Ticket #{ticket.Number} sind 75 % der Frist für die {target} verbraucht; sie endet am {due}.", ticket,
                    $"Frist:       {target} ({timer.TargetMinutes} Geschäftsminuten), fällig {due}", preferencesLink));
    }

    /// <summary>To the school: a staff member answered its report (the answer itself is read in the ticket).</summary>
    public static (string Subject, string Body) Answered(TicketMailFacts ticket) => (
        $"Ihre Störungsmeldung #{ticket.Number} wurde beantwortet",
        School($"der Support hat Ihre Störungsmeldung #{ticket.Number} ({ticket.Category}) beantwortet.", ticket));

    /// <summary>To the school: its report was resolved; it may confirm (close) or reopen it.</summary>
    public static (string Subject, string Body) Resolved(TicketMailFacts ticket) => (
        $"Ihre Störungsmeldung #{ticket.Number} wurde gelöst",
        School($"der Support hat Ihre Störungsmeldung #{ticket.Number} ({ticket.Category}) als gelöst gemeldet. Bitte bestätigen Sie die Lösung "
            + "(Status \"closed\") oder öffnen Sie die Meldung wieder (\"reopened\"), falls die Störung fortbesteht.", ticket));

    /// <summary>One line of a person's daily digest.</summary>
    public static string DigestLine(SupportMailKind kind, TicketMailFacts ticket, DateTimeOffset at, string? detail = null)
    {
        var what = kind switch
        {
            SupportMailKind.TicketAssigned => "Ihnen zugewiesen",
            SupportMailKind.TicketEscalated => $"bei Ihrer Gruppe {ticket.Group}",
            SupportMailKind.SlaWarning => "SLA-Warnung",
            SupportMailKind.SlaBreach => "SLA verletzt",
            _ => kind.ToString(),
        };
        var line = $"{Local(at)}  Ticket #{ticket.Number}: {what}{(detail is null ? string.Empty : $" ({detail})")}; {ticket.Category}, "
            + $"{ticket.Priority}, Stufe {ticket.Level}, {ticket.School}";
        return $"{line}\n    {ticket.Link}";
    }

    /// <param name="count">How many notifications the digest stands for (<paramref name="lines"/> may end in a "and N more").</param>
    public static (string Subject, string Body) Digest(string toName, DateOnly day, IReadOnlyList<string> lines, int count, string preferencesLink)
    {
        var notifications = count == 1 ? "Benachrichtigung" : "Benachrichtigungen";
        var body = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Guten Tag {toName},\n\n")
            .Append(CultureInfo.InvariantCulture, $"hier ist Ihre Tagesübersicht der MEP-Plattform: {count} {notifications} seit der letzten.\n\n");
        foreach (var line in lines)
        {
            body.Append(line).Append("\n\n");
        }

        body.Append(CultureInfo.InvariantCulture, $"Ihre Benachrichtigungen stellen Sie hier ein: {preferencesLink}\n").Append(Footer);
        return ($"[MEP-Support] Ihre Tagesübersicht vom {day.ToString("dd.MM.yyyy", German)}: {count} {notifications}", body.ToString());
    }

    /// <summary>"Lösung" or "Erstreaktion", with the clock when it is a level's own ("Stufe 1").</summary>
    public static string TargetName(SlaTimer timer)
    {
        var target = timer.Target == SlaTargets.FirstResponse ? "Erstreaktion" : "Lösung";
        return timer.Clock == SlaClocks.Total ? target : $"{target} auf Stufe {SlaClocks.LevelOf(timer.Clock)}";
    }

    /// <summary>An instant as people in Hannover read it.</summary>
    public static string Local(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, BusinessCalendar.Berlin).ToString("dd.MM.yyyy HH:mm 'Uhr'", German);

    private static string Staff(string toName, string what, TicketMailFacts ticket, string? extra, string preferencesLink)
    {
        var body = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Guten Tag {toName},\n\n{what}\n\n")
            .Append(Facts(ticket));
        if (extra is not null)
        {
            body.Append(extra).Append('\n');
        }

        body.Append(CultureInfo.InvariantCulture, $"\nIhre Benachrichtigungen (welche, einzeln oder als Tagesübersicht) stellen Sie hier ein: {preferencesLink}\n")
            .Append(Footer);
        return body.ToString();
    }

    private static string School(string what, TicketMailFacts ticket) =>
        new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Guten Tag,\n\n{what}\n\n")
            .Append(CultureInfo.InvariantCulture, $"Meldung:     #{ticket.Number}\nKategorie:   {ticket.Category}\nSchule:      {ticket.School}\n")
            .Append(CultureInfo.InvariantCulture, $"Link:        {ticket.Link}\n")
            .Append("\nDie Antwort und den Verlauf rufen Sie mit dem API-Schlüssel Ihrer Schule unter dem Link ab.\n")
            .Append(Footer)
            .ToString();

    private static string Facts(TicketMailFacts ticket) =>
        $"Ticket:      #{ticket.Number}\nKategorie:   {ticket.Category}\nPriorität:   {ticket.Priority}\nStufe:       {ticket.Level} ({ticket.Group})\n"
        + $"Schule:      {ticket.School}\nLink:        {ticket.Link}\n";
}
