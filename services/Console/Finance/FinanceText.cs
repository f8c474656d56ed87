using System.Globalization;

namespace Mep.Console.Finance;

/// <summary>Money, days and Funding's names as finance reads them in German.</summary>
public static class FinanceText
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>"1.234,56 €"; the space before the sign does not break, so a figure never wraps apart.</summary>
    public static string Money(decimal amount) => amount.ToString("#,##0.00", German) + "\u00a0€";

    public static string Money(decimal? amount) => amount is { } value ? Money(value) : "–";

    public static string Day(DateOnly day) => day.ToString("dd.MM.yyyy", German);

    /// <summary>"07.12.2026, 10:35 Uhr" in Berlin, where the people reading it are.</summary>
    public static string Instant(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, Berlin).ToString("dd.MM.yyyy, HH:mm 'Uhr'", German);

    /// <summary>The deadline as the Funding service names it in mails and exports.</summary>
    public static string Deadline(string deadline) => deadline switch
    {
        "applicationsUntil" => "Antragsfrist",
        "firstComeFirstServedUntil" => "Antragsfrist (Windhundverfahren)",
        "approvalsUntil" => "Bewilligungsfrist",
        "settlementUntil" => "Abrechnungsfrist",
        _ => deadline,
    };

    /// <summary>How far off the deadline is, in words (the colour beside it only repeats it).</summary>
    public static string When(int daysLeft, bool lapsed) => lapsed
        ? daysLeft == -1 ? "abgelaufen seit 1 Tag" : $"abgelaufen seit {-daysLeft} Tagen"
        : daysLeft switch
        {
            0 => "endet heute",
            1 => "noch 1 Tag",
            _ => $"noch {daysLeft} Tage",
        };

    public static string StateClass(bool lapsed) => lapsed ? "state-late" : "state-warn";

    public static string ApplicationStatus(string status) => status switch
    {
        "draft" => "Entwurf",
        "submitted" => "Eingereicht",
        "approved" => "Bewilligt",
        "rejected" => "Abgelehnt",
        "withdrawn" => "Zurückgezogen",
        "inProgress" => "In Umsetzung",
        "completed" => "Abgeschlossen",
        "settled" => "Abgerechnet",
        _ => status,
    };

    public static string Step(string step) => step switch
    {
        "submission" => "Einreichung",
        "approval" => "Bewilligung",
        "draws" => "Mittelabruf",
        "proofOfUse" => "Verwendungsnachweis",
        _ => step,
    };
}
