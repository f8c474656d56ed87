using Mep.Staffing.Models;
using System.ComponentModel.DataAnnotations;
using Mep.Contracts;
using Mep.ServiceDefaults.Validation;
using Mep.Staffing.Counts;

namespace Mep.Staffing.Scenarios;

/// <summary>A school reaches the MEP standard in <see cref="Year"/> (and counts under MEP-standard models from that year on).</summary>
public sealed record SchoolJoining(Guid SchoolId, [Range(ScenarioDefinition.FirstPossibleYear, ScenarioDefinition.LastPossibleYear)] int Year) : IRequestPart;

/// <summary>
/// The devices a school of a type has once it is at MEP standard, per pupil, teacher and class of its school year: e.g. tablets
/// per pupil in secondary schools, three class sets per primary school, one board system per class (each class has its
/// classroom). Devices are whole: a product is rounded half up. Loan tablets, board-system components and network devices are
/// not projected; they stay as counted today.
/// </summary>
public sealed record DeviceRatio(
    SchoolType SchoolType, decimal PupilTabletsPerPupil, decimal TeacherTabletsPerTeacher, [Range(0, 100)] int ClassSets,
    [Range(0, 100)] int TabletsPerClassSet, decimal BoardSystemsPerClass, [Range(0, 10_000)] int ComputerRoomDevices) : IRequestPart;

/// <summary>The devices one school is expected to have at MEP standard, every category given outright (wins over the ratios of its type).</summary>
public sealed record ExpectedDevices(Guid SchoolId, DeviceCounts Counts) : IRequestPart;

/// <summary>
/// A planner's scenario for <see cref="FirstYear"/>..<see cref="LastYear"/>. A school reaches the MEP standard in the year its
/// <see cref="Schools"/> entry says; without one, a school at MEP standard today stays there, and any other reaches it in
/// <see cref="AllSchoolsByYear"/> (if given) or not in this scenario. Until a school reaches the standard its devices are
/// today's; from then on the expected ones (its <see cref="Devices"/> entry, else its type's <see cref="Ratios"/> applied to its
/// school-year figures, else today's; a school without any school-year figures keeps today's too).
/// </summary>
public sealed record ScenarioDefinition(
    [Range(ScenarioDefinition.FirstPossibleYear, ScenarioDefinition.LastPossibleYear)] int FirstYear,
    [Range(ScenarioDefinition.FirstPossibleYear, ScenarioDefinition.LastPossibleYear)] int LastYear,
    [Range(ScenarioDefinition.FirstPossibleYear, ScenarioDefinition.LastPossibleYear, ErrorMessage = "A year between 2000 and 2100.")] int? AllSchoolsByYear,
    [MaxLength(ScenarioDefinition.MaxSchoolEntries)] IReadOnlyList<SchoolJoining> Schools,
    [MaxLength(ModelDefinition.MaxSchoolTypes)] IReadOnlyList<DeviceRatio> Ratios,
    [MaxLength(ScenarioDefinition.MaxSchoolEntries)] IReadOnlyList<ExpectedDevices> Devices) : IRequestPart
{
    public const int FirstPossibleYear = 2000;
    public const int LastPossibleYear = 2100;
    public const int MaxYears = 30;
    public const int MaxSchoolEntries = 50_000;

    public void Validate(ValidationErrors errors, string prefix)
    {
        if (LastYear < FirstYear || LastYear - FirstYear >= MaxYears)
        {
            errors.Add($"{prefix}.lastYear", $"Not before firstYear, and at most {MaxYears} years in all.");
        }

        if (Schools is null || Ratios is null || Devices is null)
        {
            errors.Add(prefix, "schools, ratios and devices are required (empty lists where unused).");
            return;
        }

        // Null entries and the counts are reported by the declared rules.
        if (Schools.Any(s => s is null) || Ratios.Any(r => r is null) || Devices.Any(d => d is null)
            || Schools.Count > MaxSchoolEntries || Devices.Count > MaxSchoolEntries)
        {
            return;
        }

        foreach (var twice in Schools.GroupBy(s => s.SchoolId).Where(g => g.Count() > 1))
        {
            errors.Add($"{prefix}.schools", $"School {twice.Key} is listed twice.");
        }

        for (var i = 0; i < Ratios.Count; i++)
        {
            var r = Ratios[i];
            var path = $"{prefix}.ratios[{i}]";
            if (r.PupilTabletsPerPupil is < 0 or > 10 || r.TeacherTabletsPerTeacher is < 0 or > 10 || r.BoardSystemsPerClass is < 0 or > 10)
            {
                errors.Add(path, "Per-pupil, per-teacher and per-class ratios are between 0 and 10.");
            }

        }

        foreach (var twice in Ratios.GroupBy(r => r.SchoolType).Where(g => g.Count() > 1))
        {
            errors.Add($"{prefix}.ratios", $"School type {twice.Key.Code()} is listed twice.");
        }

        for (var i = 0; i < Devices.Count; i++)
        {
            if (Devices[i].Counts is not { } counts || CountCategories.All.Any(c => counts[c] is < 0 or > 1_000_000))
            {
                errors.Add($"{prefix}.devices[{i}].counts", "Every category from 0 to 1,000,000.");
            }
        }

        foreach (var twice in Devices.GroupBy(d => d.SchoolId).Where(g => g.Count() > 1))
        {
            errors.Add($"{prefix}.devices", $"School {twice.Key} is listed twice.");
        }
    }
}
