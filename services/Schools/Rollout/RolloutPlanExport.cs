using System.Globalization;
using Mep.Exports;

namespace Mep.Schools.Rollout;

/// <summary>
/// The rollout plan as planners open it in Excel: a row per school (the CSV), and in the workbook also the groups and the late
/// milestones, with German headers and the statuses and milestones by their German names.
/// </summary>
public static class RolloutPlanExport
{
    private static readonly GermanNames<RolloutStatus> Statuses = new(new()
    {
        [RolloutStatus.NotInPlan] = "nicht im Plan", [RolloutStatus.Planned] = "geplant", [RolloutStatus.Surveyed] = "begangen",
        [RolloutStatus.BuildingWork] = "im Bau", [RolloutStatus.Equipping] = "in Ausstattung", [RolloutStatus.Accepted] = "abgenommen",
    });

    private static readonly GermanNames<RolloutMilestone> Milestones = new(new()
    {
        [RolloutMilestone.Surveyed] = "Begehung", [RolloutMilestone.BuildingWork] = "Bauarbeiten fertig",
        [RolloutMilestone.Equipped] = "Ausstattung fertig", [RolloutMilestone.Accepted] = "Abnahme",
    });

    /// <summary>The group's header by the plan's grouping (<see cref="RolloutPlanQuery.GroupBy"/>).</summary>
    private static readonly Dictionary<string, string> GroupHeaders = new(StringComparer.Ordinal)
    {
        ["wave"] = "Welle", ["targetYear"] = "Zieljahr", ["district"] = "Stadtbezirk",
    };

    public static readonly ExportTable<PlanSchool> Schools = new ExportTable<PlanSchool>("Schulen")
        .Text("Schulnummer", s => s.Number, width: 12)
        .Text("Schule", s => s.Name, width: 36)
        .Text("Stadtbezirk", s => s.District, width: 24)
        .Whole("Welle", s => s.Wave)
        .Whole("Zieljahr", s => s.TargetYear)
        .Choice("Status", s => s.Status, Statuses, width: 15)
        .Choice("Nächster Meilenstein", s => s.NextMilestone, Milestones, width: 20)
        .Date("Geplant am", s => s.NextPlannedOn)
        .YesNo("Verspätet", s => s.Late)
        .WithCoverage(s => s.Coverage);

    /// <summary>The groups' sheet per grouping: the group, its schools per status and its rooms covered against planned.</summary>
    private static readonly Dictionary<string, ExportTable<PlanGroup>> Groups = GroupHeaders.ToDictionary(pair => pair.Key, pair =>
        Enum.GetValues<RolloutStatus>().Aggregate(
                new ExportTable<PlanGroup>("Gruppen").Text(pair.Value, g => g.Key ?? "ohne", width: 24).Whole("Schulen", g => g.Schools),
                (table, status) => table.Whole(Statuses[status], g => g.ByStatus.GetValueOrDefault(status)))
            .WithCoverage(g => g.Coverage)
            .Whole("Verspätete Meilensteine", g => g.LateMilestones), StringComparer.Ordinal);

    public static readonly ExportTable<LateMilestone> LateMilestones = new ExportTable<LateMilestone>("Verspätete Meilensteine")
        .Text("Schulnummer", l => l.SchoolNumber, width: 12)
        .Text("Schule", l => l.SchoolName, width: 36)
        .Text("Stadtbezirk", l => l.District, width: 24)
        .Whole("Welle", l => l.Wave)
        .Choice("Meilenstein", l => l.Milestone, Milestones, width: 20)
        .Date("Geplant am", l => l.PlannedOn)
        .Whole("Tage verspätet", l => l.DaysLate);

    /// <summary>The rooms covered against planned, as a school's and a group's sheet show them.</summary>
    private static ExportTable<TRow> WithCoverage<TRow>(this ExportTable<TRow> table, Func<TRow, RoomCoverage> coverage) => table
        .Whole("Räume", row => coverage(row).Rooms)
        .Whole("WLAN installiert", row => coverage(row).WlanInstalled)
        .Whole("WLAN abgenommen", row => coverage(row).WlanAccepted)
        .Whole("Access Points geplant", row => coverage(row).AccessPointsPlanned)
        .Whole("Access Points installiert", row => coverage(row).AccessPointsInstalled)
        .Whole("Tafelsysteme geplant", row => coverage(row).BoardSystemsPlanned)
        .Whole("Tafelsysteme installiert", row => coverage(row).BoardSystemsInstalled)
        .Whole("Räume fertig", row => coverage(row).RoomsDone);

    public static ExportDocument Of(RolloutPlan plan) =>
        new($"Ausbauplan_{plan.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", Schools.Of(plan.Schools), Groups[plan.GroupBy].Of(plan.Groups),
            LateMilestones.Of(plan.LateMilestones));
}
