using System.Globalization;

namespace Mep.Console.Rollout;

/// <summary>
/// The plan over time as a Gantt-like chart: a row per wave and milestone, its bar from the earliest to the latest day any of the
/// wave's schools has it planned; the geometry for the page's inline SVG (attributes only: the Content-Security-Policy forbids
/// inline styles) and the same figures for the table beside it.
/// </summary>
public sealed class RolloutTimeline
{
    public const int Width = 960;
    public const int LabelWidth = 190;
    public const int RightMargin = 150;
    public const int RowHeight = 22;
    public const int BarHeight = 14;
    public const int GroupGap = 12;
    public const int AxisHeight = 30;

    /// <summary>Each milestone's bar colour; all reach 4.5:1 against white, as does the dark text beside them.</summary>
    public static readonly IReadOnlyDictionary<string, string> Colours = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["surveyed"] = "#0b4f8a",
        ["buildingWork"] = "#8a5a00",
        ["equipped"] = "#1b6e2f",
        ["accepted"] = "#5b2a86",
    };

    private RolloutTimeline(DateOnly asOf, DateOnly start, DateOnly end, IReadOnlyList<TimelineWave> waves)
    {
        (AsOf, Start, End, Waves) = (asOf, start, end, waves);
    }

    public DateOnly AsOf { get; }
    public DateOnly Start { get; }
    public DateOnly End { get; }
    public IReadOnlyList<TimelineWave> Waves { get; }

    public bool HasDates => Waves.Any(w => w.Rows.Any(r => r.First is not null));

    public int Height => AxisHeight + Waves.Sum(w => w.Rows.Count * RowHeight + GroupGap) + 10;

    public static RolloutTimeline Of(RolloutPlan plan)
    {
        var waves = plan.Schools.GroupBy(s => s.Wave).OrderBy(g => g.Key is null).ThenBy(g => g.Key)
            .Select(wave => new TimelineWave(wave.Key, wave.Count(), [.. RolloutTexts.Milestones.Select(milestone =>
            {
                var dates = wave.Select(s => s.Milestones.FirstOrDefault(m => m.Milestone == milestone)).Where(m => m is not null).Select(m => m!).ToList();
                var planned = dates.Where(m => m.PlannedOn is not null).Select(m => m.PlannedOn!.Value).ToList();
                return new TimelineRow(milestone, planned.Count == 0 ? null : planned.Min(), planned.Count == 0 ? null : planned.Max(),
                    dates.Count(m => m.State == "reached"), dates.Count(m => m.State == "late"), planned.Count, wave.Count());
            })]))
            .ToList();
        var days = waves.SelectMany(w => w.Rows).SelectMany(r => new[] { r.First, r.Last }).Where(d => d is not null).Select(d => d!.Value)
            .Append(plan.AsOf).ToList();
        // Whole quarters either side, so the axis starts and ends on a labelled tick.
        var start = QuarterStart(days.Min());
        var end = QuarterStart(days.Max()).AddMonths(3);
        return new RolloutTimeline(plan.AsOf, start, end, waves);
    }

    private static DateOnly QuarterStart(DateOnly day) => new(day.Year, ((day.Month - 1) / 3 * 3) + 1, 1);

    public double X(DateOnly day) =>
        LabelWidth + ((double)(day.DayNumber - Start.DayNumber) / Math.Max(1, End.DayNumber - Start.DayNumber) * (Width - LabelWidth - RightMargin));

    /// <summary>A tick per quarter, labelled "Q1 2026" (per half-year when the plan spans more than three years).</summary>
    public IEnumerable<(double X, string Label)> Ticks()
    {
        var step = End.DayNumber - Start.DayNumber > 3 * 366 ? 6 : 3;
        for (var day = Start; day <= End; day = day.AddMonths(step))
        {
            yield return (X(day), step == 3 ? $"Q{((day.Month - 1) / 3) + 1} {day.Year}" : $"{(day.Month <= 6 ? "H1" : "H2")} {day.Year}");
        }
    }

    /// <summary>The rows with their top edge, each wave's rows together.</summary>
    public IEnumerable<(TimelineWave Wave, TimelineRow Row, int Y, bool FirstOfWave)> Layout()
    {
        var y = AxisHeight;
        foreach (var wave in Waves)
        {
            for (var i = 0; i < wave.Rows.Count; i++)
            {
                yield return (wave, wave.Rows[i], y, i == 0);
                y += RowHeight;
            }

            y += GroupGap;
        }
    }

    public static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}

public sealed record TimelineWave(int? Wave, int Schools, IReadOnlyList<TimelineRow> Rows);

/// <param name="First">The earliest planned day of the milestone among the wave's schools (null: none planned).</param>
/// <param name="Planned">Schools with a planned day for the milestone.</param>
public sealed record TimelineRow(string Milestone, DateOnly? First, DateOnly? Last, int Reached, int Late, int Planned, int Schools);
