using System.Globalization;

namespace Mep.Console.Rollout;

/// <summary>The rollout's states in German words, and the class that colours them (always beside the word, never instead of it).</summary>
public static class RolloutTexts
{
    public static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    /// <summary>The milestones in the order a school reaches them (the API's names).</summary>
    public static readonly IReadOnlyList<string> Milestones = ["surveyed", "buildingWork", "equipped", "accepted"];

    public static string Milestone(string milestone) => milestone switch
    {
        "surveyed" => "Begehung",
        "buildingWork" => "Bauarbeiten",
        "equipped" => "Ausstattung",
        "accepted" => "Abnahme",
        _ => milestone,
    };

    public static string Status(string status) => status switch
    {
        "notInPlan" => "nicht im Plan",
        "planned" => "geplant",
        "surveyed" => "begangen",
        "buildingWork" => "Bauarbeiten",
        "equipping" => "Ausstattung",
        "accepted" => "abgenommen",
        _ => status,
    };

    public static string MilestoneState(string state) => state switch
    {
        "reached" => "erreicht",
        "late" => "überfällig",
        "atRisk" => "gefährdet",
        "open" => "offen",
        _ => state,
    };

    public static string StateClass(string state) => state switch
    {
        "reached" or "accepted" or "done" or "connected" => "state-ok",
        "late" => "state-late",
        "atRisk" or "installed" or "inProgress" => "state-warn",
        _ => "",
    };

    public static string Wlan(string wlan) => wlan switch
    {
        "planned" => "geplant",
        "installed" => "installiert",
        "accepted" => "abgenommen",
        _ => wlan,
    };

    public static string Work(string work) => work switch
    {
        "notStarted" => "nicht begonnen",
        "inProgress" => "in Arbeit",
        "done" => "fertig",
        _ => work,
    };

    public static string Broadband(string status) => status switch
    {
        "notPlanned" => "nicht geplant",
        "planned" => "geplant",
        "ordered" => "bestellt",
        "connected" => "angeschlossen",
        _ => status,
    };

    public static string RoomKind(string kind) => kind switch
    {
        "classroom" => "Unterrichtsraum",
        "computerRoom" => "Computerraum",
        "staffRoom" => "Lehrerzimmer",
        _ => "sonstiger Raum",
    };

    public static string BoardSystem(BoardSystemState board) =>
        board.Installed ? "installiert" : board.Planned ? "geplant" : "nicht vorgesehen";

    public static string DaysLate(int days) => days == 1 ? "1 Tag überfällig" : $"{days.ToString(German)} Tage überfällig";

    public static string Day(DateOnly? day) => day?.ToString("dd.MM.yyyy", German) ?? "–";

    public static string Wave(int? wave) => wave is { } w ? $"Welle {w.ToString(German)}" : "Ohne Welle";

    /// <summary>One milestone of a school in words: its state, the days late, and the day that matters (reached, else planned).</summary>
    public static string MilestoneCell(PlanMilestone m) => m.State switch
    {
        "reached" => $"erreicht am {Day(m.ReachedOn)}",
        "late" => $"{DaysLate(m.DaysLate ?? 0)} (geplant {Day(m.PlannedOn)})",
        "atRisk" => m.PlannedOn is null ? "gefährdet, nicht geplant" : $"gefährdet (geplant {Day(m.PlannedOn)})",
        _ => m.PlannedOn is null ? "nicht geplant" : $"geplant {Day(m.PlannedOn)}",
    };
}
