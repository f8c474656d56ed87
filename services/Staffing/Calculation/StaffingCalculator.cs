using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Mep.Contracts;
using Mep.Staffing.Counts;
using Mep.Staffing.Models;

namespace Mep.Staffing.Calculation;

/// <summary>A school as a calculation sees it: what it is, whether it is at MEP standard, and its devices in use.</summary>
public sealed record SchoolInput(Guid SchoolId, string Number, string Name, SchoolType Type, string District, bool AtMepStandard, DeviceCounts Counts);

/// <summary>One category's part in a group: count × weight = devices.</summary>
public sealed record CountTerm(CountCategory Category, int Count, decimal Weight, decimal Devices);

/// <summary>A ratio group's figure, explained: the weighted devices, the ratio and the FTE, with the formula written out.</summary>
/// <param name="Formula">The computation written out with the group's numbers.</param>
public sealed record GroupLine(
    [MaxLength(RatioGroup.MaxCode)] string Code, [MaxLength(RatioGroup.MaxName)] string Name,
    [MaxLength(RatioGroup.MaxWeights)] IReadOnlyList<CountTerm> Terms, decimal WeightedDevices, decimal DevicesPerFte, decimal Fte,
    [MaxLength(1_000)] string Formula);

/// <summary>A school-type part of a figure (Stuttgart): schools of the type × FTE per school.</summary>
public sealed record SchoolTypeLine(SchoolType SchoolType, int Schools, decimal FtePerSchool, decimal Fte);

/// <summary>
/// A staffing figure for one school, a district or the city, and how it comes about. <see cref="Fte"/> is exact (decimal);
/// <see cref="FteRounded"/> follows the model's rounding rule; personnel cost is FTE × cost per FTE, to the cent.
/// </summary>
public sealed record StaffingFigure(
    int Schools, DeviceCounts Counts, IReadOnlyList<GroupLine> Groups, IReadOnlyList<SchoolTypeLine> SchoolTypes, decimal Fte, decimal FteRounded,
    decimal PersonnelCost, decimal PersonnelCostRounded);

/// <summary>
/// Staffing need from counts under one model version. Pure: no database, no clock, so a whole Land is a loop over memory.
/// </summary>
/// <remarks>
/// Groups that share a ratio are divided once, after adding their devices: the Hannover model's computer rooms and its boards
/// and class sets are both per 700, and (c + 3b + s) / 700 is the council paper's formula; dividing each and adding would
/// differ from it in the 28th digit. Each group's own line still shows its own quotient.
/// </remarks>
public static class StaffingCalculator
{
    public static StaffingFigure Figure(ModelDefinition model, IReadOnlyCollection<SchoolInput> countedSchools)
    {
        var counts = countedSchools.Aggregate(DeviceCounts.None, (sum, school) => sum + school.Counts);
        var groups = model.Groups.Select(group => Line(group, counts)).ToList();
        var fromGroups = groups
            .GroupBy(g => g.DevicesPerFte)
            .Sum(sameRatio => sameRatio.Sum(g => g.WeightedDevices) / sameRatio.Key);
        var types = model.FtePerSchoolType
            .Select(t => (t, schools: countedSchools.Count(s => s.Type == t.SchoolType)))
            .Select(x => new SchoolTypeLine(x.t.SchoolType, x.schools, x.t.Fte, x.schools * x.t.Fte))
            .ToList();
        var fte = fromGroups + types.Sum(t => t.Fte);
        var rounded = model.Rounding.Apply(fte);
        return new StaffingFigure(countedSchools.Count, counts, groups, types, fte, rounded, Money(fte * model.CostPerFte),
            Money(rounded * model.CostPerFte));
    }

    private static GroupLine Line(RatioGroup group, DeviceCounts counts)
    {
        var terms = group.Weights.Select(w => new CountTerm(w.Category, counts[w.Category], w.Weight, counts[w.Category] * w.Weight)).ToList();
        var weighted = terms.Sum(t => t.Devices);
        var fte = weighted / group.DevicesPerFte;
        var sum = string.Join(" + ", terms.Select(t => t.Weight == 1 ? Number(t.Count) : $"{Number(t.Count)} × {Number(t.Weight)}"));
        return new GroupLine(group.Code, group.Name, terms, weighted, group.DevicesPerFte, fte,
            $"({sum}) / {Number(group.DevicesPerFte)} = {Number(decimal.Round(fte, 4))}");
    }

    public static decimal Money(decimal amount) => decimal.Round(amount, 2, MidpointRounding.AwayFromZero);

    private static string Number(decimal value) => value.ToString("#,0.####", CultureInfo.InvariantCulture);
}
