using System.Globalization;

namespace Mep.Console.ServiceDesk;

/// <summary>The service desk's words for what the APIs answer in codes: statuses, groups, categories, SLA time left, history.</summary>
public static class ServiceDeskTexts
{
    public static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    /// <summary>A due time this close counts as a warning in the queue (the ticket's own page shows each clock's warning time).</summary>
    public static readonly TimeSpan WarnBefore = TimeSpan.FromHours(1);

    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>The statuses in the order a ticket moves through them, as the queue's counts list them.</summary>
    public static readonly IReadOnlyList<(string Code, string Name)> Statuses =
    [
        ("new", "Neu"),
        ("triaged", "Gesichtet"),
        ("inProgress", "In Bearbeitung"),
        ("waitingForSchool", "Wartet auf Schule"),
        ("waitingForVendor", "Wartet auf Dienstleister"),
        ("reopened", "Wieder geöffnet"),
        ("resolved", "Gelöst"),
        ("closed", "Geschlossen"),
    ];

    private static readonly Dictionary<string, string> GroupNames = new(StringComparer.Ordinal)
    {
        ["service-desk"] = "Service-Desk",
        ["it-department"] = "IT-Abteilung",
        ["school"] = "Schule selbst",
        ["tablet-provider"] = "Tablet-Anbieter (Elternvertrag)",
        ["software-vendor"] = "Softwarehersteller",
        ["manufacturer"] = "Hersteller (Gewährleistung)",
        ["css"] = "CSS gGmbH (Vor-Ort)",
    };

    private static readonly Dictionary<string, string> CategoryNames = new(StringComparer.Ordinal)
    {
        ["portal"] = "Schulportal",
        ["accounts"] = "Benutzerkonten (UCS@school)",
        ["mail"] = "E-Mail",
        ["network"] = "Netzwerk",
        ["wlan"] = "WLAN",
        ["broadband"] = "Breitbandanschluss",
        ["active-directory"] = "Active Directory",
        ["mdm"] = "MDM-Infrastruktur",
        ["device-hardware"] = "Gerätestörung (Tablet, Computer)",
        ["board-system"] = "Interaktives Tafelsystem",
        ["licensed-software"] = "Lizenzsoftware",
        ["printer"] = "Drucker",
        ["other"] = "Sonstiges",
    };

    public static string Status(string code) => Statuses.FirstOrDefault(s => s.Code == code).Name ?? code;

    public static bool IsOpenStatus(string code) => code is not ("resolved" or "closed");

    public static string Group(string code) => GroupNames.GetValueOrDefault(code, code);

    public static string Category(string code) => CategoryNames.GetValueOrDefault(code, code);

    public static string Level(int level) => level == 0 ? "Stufe 0 (Schule)" : $"Stufe {level}";

    public static string Priority(string code) => code.ToUpperInvariant();

    /// <summary>An instant as people here read it: Berlin time, "07.12.2026 14:05".</summary>
    public static string Time(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Berlin).ToString("dd.MM.yyyy HH:mm", German);

    /// <summary>A span in words: "3 Std. 20 Min.", "2 Tg. 4 Std.", "5 Min.", "weniger als 1 Min.".</summary>
    public static string Span(TimeSpan span)
    {
        var minutes = (long)Math.Floor(Math.Abs(span.TotalMinutes));
        var (days, hours, rest) = (minutes / (24 * 60), minutes / 60 % 24, minutes % 60);
        return (days, hours, rest) switch
        {
            (> 0, _, _) => hours > 0 ? $"{days} Tg. {hours} Std." : $"{days} Tg.",
            (_, > 0, _) => rest > 0 ? $"{hours} Std. {rest} Min." : $"{hours} Std.",
            (_, _, > 0) => $"{rest} Min.",
            _ => "weniger als 1 Min.",
        };
    }

    /// <summary>The SLA time left in words and its state class: never colour alone ("überfällig" is written beside the red).</summary>
    public static (string Text, string Css) SlaLeft(DateTimeOffset? dueAt, string status, DateTimeOffset now)
    {
        if (dueAt is not { } due)
        {
            return (status == "waitingForSchool" ? "angehalten (wartet auf Schule)" : IsOpenStatus(status) ? "keine Frist" : "erledigt", "muted");
        }

        var left = due - now;
        if (left <= TimeSpan.Zero)
        {
            return ($"überfällig seit {Span(left)}", "state-late");
        }

        return left <= WarnBefore ? ($"bald fällig: noch {Span(left)}", "state-warn") : ($"noch {Span(left)}", "state-ok");
    }

    public static string Clock(string clock) => clock switch
    {
        "total" => "Gesamt",
        "level1" => "Stufe 1",
        "level2" => "Stufe 2",
        "level3" => "Stufe 3",
        _ => clock,
    };

    public static string Target(string target) => target switch
    {
        "firstResponse" => "Erste Antwort",
        "resolution" => "Lösung",
        _ => target,
    };

    /// <summary>A history entry in a sentence's words: what changed, from what to what.</summary>
    public static string Change(HistoryEntry entry) => entry.Change switch
    {
        "opened" => $"Eröffnet auf {entry.To}",
        "status" => $"Status: {Status(entry.From ?? "")} → {Status(entry.To ?? "")}",
        "escalated" => $"Eskaliert: {entry.From} → {entry.To}",
        "deescalated" => $"Zurückgegeben: {entry.From} → {entry.To}",
        "assigned" or "assignee" => $"Zugewiesen: {entry.From ?? "niemand"} → {entry.To ?? "niemand"}",
        "comment" => "Öffentlicher Kommentar",
        "internalNote" => "Interne Notiz",
        "articleLinked" => $"Wissensartikel verknüpft: {entry.To}",
        "linked" => $"Verknüpft mit {entry.To}",
        "merged" => $"Zusammengeführt: {entry.To}",
        _ => entry.Field is null ? entry.Change : $"{entry.Change}: {entry.From} → {entry.To}",
    };
}
