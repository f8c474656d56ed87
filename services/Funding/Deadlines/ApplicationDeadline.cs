using Mep.Funding.Applications;
using Mep.Funding.Programmes;

namespace Mep.Funding.Deadlines;

/// <summary>
/// A programme deadline an application runs against in its status (docs/domain.md, the DigitalPakt's dates): a draft must be submitted by
/// the last day the programme takes submissions, a submitted application approved by approvalsUntil, and an approved or running measure
/// drawn and its proof of use in by settlementUntil (the programme pays out and settles until then; money not drawn lapses).
/// </summary>
/// <param name="Deadline">The programme date's name, as the API spells it: applicationsUntil (or firstComeFirstServedUntil), approvalsUntil,
/// settlementUntil.</param>
public sealed record ApplicationDeadline(string Deadline, DateOnly Day, ApplicationStatus Status)
{
    /// <summary>The statuses of a measure that is approved and not settled: it draws money and owes its proof of use.</summary>
    public static readonly IReadOnlyList<ApplicationStatus> Running =
        [ApplicationStatus.Approved, ApplicationStatus.InProgress, ApplicationStatus.Completed];

    /// <summary>The deadlines in German, as finance names them in mails and exports.</summary>
    private static readonly Dictionary<string, string> GermanNames = new(StringComparer.Ordinal)
    {
        [Name(nameof(ProgrammeDates.ApplicationsUntil))] = "Antragsfrist",
        [Name(nameof(ProgrammeDates.FirstComeFirstServedUntil))] = "Antragsfrist (Windhundverfahren)",
        [Name(nameof(ProgrammeDates.ApprovalsUntil))] = "Bewilligungsfrist",
        [Name(nameof(ProgrammeDates.SettlementUntil))] = "Abrechnungsfrist",
    };

    /// <summary>"Abrechnungsfrist" for settlementUntil: a <paramref name="deadline"/> as the API spells it, in German.</summary>
    public static string GermanName(string deadline) => GermanNames.GetValueOrDefault(deadline, deadline);

    /// <summary>Every deadline of the programme, per status that runs against it; a date the programme does not set is no deadline.</summary>
    public static IEnumerable<ApplicationDeadline> Of(ProgrammeDates dates)
    {
        if (LastSubmission(dates) is var (deadline, day))
        {
            yield return new ApplicationDeadline(deadline, day, ApplicationStatus.Draft);
        }

        if (dates.ApprovalsUntil is { } approvals)
        {
            yield return new ApplicationDeadline(Name(nameof(ProgrammeDates.ApprovalsUntil)), approvals, ApplicationStatus.Submitted);
        }

        if (dates.SettlementUntil is { } settlement)
        {
            foreach (var status in Running)
            {
                yield return new ApplicationDeadline(Name(nameof(ProgrammeDates.SettlementUntil)), settlement, status);
            }
        }
    }

    /// <summary>
    /// The last day submissions are taken and the date's name: after the authority's application day a programme may still take them
    /// first come first served, and then the later day is the last chance.
    /// </summary>
    public static (string Deadline, DateOnly Day)? LastSubmission(ProgrammeDates dates) =>
        dates.FirstComeFirstServedUntil is { } lastChance ? (Name(nameof(ProgrammeDates.FirstComeFirstServedUntil)), lastChance)
        : dates.ApplicationsUntil is { } applications ? (Name(nameof(ProgrammeDates.ApplicationsUntil)), applications)
        : null;

    /// <summary>How many days ahead a deadline counts as near: the programme's widest warning window (none: only on the day or passed).</summary>
    public static int WarningWindow(ProgrammeRules rules) => rules.WarningDaysBeforeDeadline.Count == 0 ? 0 : rules.WarningDaysBeforeDeadline.Max();

    /// <summary>Within the programme's warning window, or passed.</summary>
    public bool IsNear(ProgrammeRules rules, DateOnly today) => Day.DayNumber - today.DayNumber <= WarningWindow(rules);

    private static string Name(string dateName) => char.ToLowerInvariant(dateName[0]) + dateName[1..];
}
