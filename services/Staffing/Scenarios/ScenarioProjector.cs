using System.ComponentModel.DataAnnotations;
using Mep.Staffing.Calculation;
using Mep.Staffing.Counts;
using Mep.Staffing.Models;

namespace Mep.Staffing.Scenarios;

/// <summary>A school's figures by school year (start year), for projecting devices per pupil, teacher and class.</summary>
public sealed record SchoolYearInput(int StartYear, int Pupils, int Teachers, int Classes);

/// <summary>One model's result in one year of a scenario; <see cref="Problem"/> says why there is none (no version valid that year).</summary>
/// <param name="Problem">Why the model gives no figure for the year (no version valid then, ...).</param>
public sealed record ProjectedModelYear([MaxLength(CreateModelRequest.MaxCode)] string Model, int? Version, int SchoolsCounted, decimal Fte, decimal FteRounded, decimal PersonnelCost,
    decimal PersonnelCostRounded, [MaxLength(500)] string? Problem);

public sealed record ProjectedYear(int Year, int SchoolsAtMepStandard, DeviceCounts Devices, IReadOnlyList<ProjectedModelYear> Models);

/// <summary>
/// Projects a scenario year by year under several models. Pure: the caller loads schools, school years and models once, so ten
/// years of a whole Land are loops over memory. A model's version is the one valid on 31 December of the year: a school that
/// joins during the year counts for that year.
/// </summary>
public static class ScenarioProjector
{
    public static List<ProjectedYear> Project(ScenarioDefinition scenario, IReadOnlyList<SchoolInput> schools,
        IReadOnlyDictionary<Guid, IReadOnlyList<SchoolYearInput>> schoolYears, IReadOnlyList<StaffingModel> models)
    {
        var joins = scenario.Schools.ToDictionary(s => s.SchoolId, s => s.Year);
        var expected = scenario.Devices.ToDictionary(d => d.SchoolId, d => d.Counts);
        var ratios = scenario.Ratios.ToDictionary(r => r.SchoolType);
        var years = new List<ProjectedYear>();
        for (var year = scenario.FirstYear; year <= scenario.LastYear; year++)
        {
            var projected = new List<SchoolInput>(schools.Count);
            foreach (var school in schools)
            {
                var atMep = JoinYear(scenario, joins, school) <= year;
                projected.Add(school with { AtMepStandard = atMep, Counts = atMep ? Devices(school, year, expected, ratios, schoolYears) : school.Counts });
            }

            var day = new DateOnly(year, 12, 31);
            var results = models.Select(model => model.VersionOn(day) is { } version
                    ? Result(model, version, projected)
                    : new ProjectedModelYear(model.Code, null, 0, 0, 0, 0, 0, $"No version of '{model.Code}' is valid on {day:yyyy-MM-dd}."))
                .ToList();
            years.Add(new ProjectedYear(year, projected.Count(s => s.AtMepStandard),
                projected.Aggregate(DeviceCounts.None, (sum, s) => sum + s.Counts), results));
        }

        return years;
    }

    private static ProjectedModelYear Result(StaffingModel model, StaffingModelVersion version, List<SchoolInput> projected)
    {
        var counted = projected.Where(s => version.Definition.Counts(s.Type, s.AtMepStandard)).ToList();
        var figure = StaffingCalculator.Figure(version.Definition, counted);
        return new ProjectedModelYear(model.Code, version.Version, counted.Count, figure.Fte, figure.FteRounded, figure.PersonnelCost,
            figure.PersonnelCostRounded, null);
    }

    /// <summary>The year a school reaches the MEP standard in the scenario; int.MaxValue: not within it.</summary>
    private static int JoinYear(ScenarioDefinition scenario, Dictionary<Guid, int> joins, SchoolInput school) =>
        joins.TryGetValue(school.SchoolId, out var year) ? year
        : school.AtMepStandard ? int.MinValue
        : scenario.AllSchoolsByYear ?? int.MaxValue;

    private static DeviceCounts Devices(SchoolInput school, int year, Dictionary<Guid, DeviceCounts> expected,
        Dictionary<Contracts.SchoolType, DeviceRatio> ratios, IReadOnlyDictionary<Guid, IReadOnlyList<SchoolYearInput>> schoolYears)
    {
        if (expected.TryGetValue(school.SchoolId, out var given))
        {
            return given;
        }

        if (!ratios.TryGetValue(school.Type, out var ratio))
        {
            return school.Counts;
        }

        if (FiguresFor(year, schoolYears.GetValueOrDefault(school.SchoolId)) is not { } figures)
        {
            // Without pupils, teachers and classes a ratio has nothing to multiply: today's devices are the best estimate, not zero.
            return school.Counts;
        }

        return school.Counts with
        {
            PupilTablets = Whole(figures.Pupils * ratio.PupilTabletsPerPupil),
            TeacherTablets = Whole(figures.Teachers * ratio.TeacherTabletsPerTeacher),
            ClassSetTablets = ratio.ClassSets * ratio.TabletsPerClassSet,
            BoardSystems = Whole(figures.Classes * ratio.BoardSystemsPerClass),
            ComputerRoomDevices = ratio.ComputerRoomDevices,
        };
    }

    /// <summary>The school year starting in <paramref name="year"/>, else the latest before it, else the earliest known; none known: null.</summary>
    private static SchoolYearInput? FiguresFor(int year, IReadOnlyList<SchoolYearInput>? known)
    {
        if (known is not { Count: > 0 })
        {
            return null;
        }

        return known.Where(y => y.StartYear <= year).MaxBy(y => y.StartYear) ?? known.MinBy(y => y.StartYear)!;
    }

    private static int Whole(decimal devices) => (int)Math.Round(devices, MidpointRounding.AwayFromZero);
}
