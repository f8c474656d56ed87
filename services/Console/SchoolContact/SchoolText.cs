using System.Globalization;

namespace Mep.Console.SchoolContact;

/// <summary>The APIs' codes as a school's IT contact reads them in German; an unknown code shows as it came.</summary>
public static class SchoolText
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public static string Day(DateOnly day) => day.ToString("dd.MM.yyyy", German);

    /// <summary>"07.12.2026, 10:35 Uhr" in Berlin, where the school is.</summary>
    public static string Instant(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Berlin).ToString("dd.MM.yyyy, HH:mm 'Uhr'", German);

    /// <summary>Not resolved or closed: the school is still waiting for something, or something is waiting for the school.</summary>
    public static bool IsOpen(string ticketStatus) => ticketStatus is not ("resolved" or "closed");

    public static string TicketStatus(string status) => status switch
    {
        "new" => "Neu",
        "triaged" => "Gesichtet",
        "inProgress" => "In Bearbeitung",
        "waitingForSchool" => "Wartet auf Ihre Antwort",
        "waitingForVendor" => "Wartet auf Dienstleister",
        "resolved" => "Gelöst",
        "closed" => "Geschlossen",
        "reopened" => "Wieder geöffnet",
        _ => status,
    };

    public static string TicketStatusClass(string status) => status switch
    {
        "waitingForSchool" => "state-warn",
        "resolved" or "closed" => "state-ok",
        _ => string.Empty,
    };

    /// <summary>The categories' German names, as Support's mails to schools use them.</summary>
    public static string Category(string code, string fallback) => code switch
    {
        "portal" => "Schulportal",
        "accounts" => "Benutzerkonten (UCS@school)",
        "mail" => "E-Mail",
        "network" => "Netzwerk",
        "wlan" => "WLAN",
        "broadband" => "Breitbandanschluss",
        "active-directory" => "Active Directory",
        "mdm" => "MDM-Infrastruktur",
        "device-hardware" => "Gerätestörung (Tablet, Computer)",
        "board-system" => "Interaktives Tafelsystem",
        "licensed-software" => "Lizenzsoftware",
        "printer" => "Drucker",
        "other" => "Sonstiges",
        _ => fallback,
    };

    public static string Severity(string severity) => severity switch
    {
        "low" => "gering",
        "medium" => "mittel",
        "high" => "hoch",
        _ => severity,
    };

    public static string Author(string role) => role switch
    {
        "school" => "Ihre Schule",
        "staff" => "Servicedesk",
        "vendor" => "Dienstleister",
        _ => role,
    };

    public static string DeviceKind(string kind) => kind switch
    {
        "tablet" => "Tablet",
        "computerRoomDevice" => "Computerraum-Gerät",
        "boardSystemComponent" => "Tafelsystem-Komponente",
        "networkDevice" => "Netzwerkgerät",
        _ => kind,
    };

    public static string DeviceStatus(string status) => status switch
    {
        "ordered" => "Bestellt",
        "delivered" => "Geliefert",
        "inService" => "Im Einsatz",
        "inRepair" => "In Reparatur",
        "lost" => "Verloren",
        "retired" => "Ausgemustert",
        _ => status,
    };

    public static string DeviceStatusClass(string status) => status switch
    {
        "inService" => "state-ok",
        "inRepair" => "state-warn",
        "lost" => "state-late",
        _ => string.Empty,
    };

    public static string LoanState(string state) => state switch
    {
        "out" => "Ausgeliehen",
        "returned" => "Zurückgegeben",
        "lost" => "Verloren",
        "stolen" => "Gestohlen",
        "transferredOut" => "An andere Schule übergeben",
        _ => state,
    };

    public static string Borrower(string kind) => kind switch
    {
        "pupil" => "Schüler/in",
        "teacher" => "Lehrkraft",
        _ => kind,
    };
}
