using System.ComponentModel.DataAnnotations;
using Mep.Contracts;
using Mep.ServiceDefaults.Validation;
using Mep.Staffing.Counts;

namespace Mep.Staffing.Models;

/// <summary>Which schools a model counts.</summary>
public enum CountedSchools
{
    /// <summary>Only schools accepted into regular operation in the MEP standard (the council paper's rule).</summary>
    MepStandard,

    /// <summary>Every school.</summary>
    All,
}

public enum RoundingMode
{
    /// <summary>The exact figure is the rounded one.</summary>
    None,

    /// <summary>Up to the next step: posts are created in whole or half posts.</summary>
    Up,

    /// <summary>To the nearest step, halves away from zero.</summary>
    Nearest,

    Down,
}

/// <summary>How a model presents its need as posts; the exact figure is always shown next to it.</summary>
public sealed record Rounding(RoundingMode Mode, decimal Step) : IRequestPart
{
    public decimal Apply(decimal value) => Mode switch
    {
        RoundingMode.Up => Math.Ceiling(value / Step) * Step,
        RoundingMode.Nearest => Math.Round(value / Step, MidpointRounding.AwayFromZero) * Step,
        RoundingMode.Down => Math.Floor(value / Step) * Step,
        _ => value,
    };

    public string Describe() => Mode switch
    {
        RoundingMode.Up => $"rounded up to steps of {Step}",
        RoundingMode.Nearest => $"rounded to the nearest {Step}",
        RoundingMode.Down => $"rounded down to steps of {Step}",
        _ => "not rounded",
    };
}

/// <summary>How much one device of a category weighs in a group (a board system is three devices in the council paper).</summary>
public sealed record CategoryWeight(CountCategory Category, decimal Weight) : IRequestPart;

/// <summary>A group of devices sized by one ratio: FTE = Σ(count × weight) / devicesPerFte.</summary>
public sealed record RatioGroup(
    [Required, MaxLength(RatioGroup.MaxCode)] string Code, [Required, MaxLength(RatioGroup.MaxName)] string Name, decimal DevicesPerFte,
    [MaxLength(RatioGroup.MaxWeights)] IReadOnlyList<CategoryWeight> Weights) : IRequestPart
{
    public const int MaxCode = 40;
    public const int MaxName = 200;

    /// <summary>One weight per staffing category at most (a category twice is refused).</summary>
    public const int MaxWeights = 20;
}

/// <summary>A fixed FTE per school of a type, whatever its devices (Stuttgart).</summary>
public sealed record SchoolTypeFte(SchoolType SchoolType, decimal Fte) : IRequestPart;

/// <summary>
/// What a staffing model computes. A model may size by device ratios (groups), by school type, or both; the FTE of a school is
/// the sum. Everything here is data: a planner's custom model is the same record with other numbers.
/// </summary>
/// <param name="SchoolTypes">Only schools of these types count; empty: every type.</param>
/// <param name="CostPerFte">Personnel cost per FTE and year in EUR, overheads included (council paper: 1,734,000 / 18.5 posts ≈ 93,730).</param>
public sealed record ModelDefinition(
    CountedSchools CountedSchools,
    [MaxLength(ModelDefinition.MaxGroups, ErrorMessage = "At most 20 groups.")] IReadOnlyList<RatioGroup> Groups,
    [MaxLength(ModelDefinition.MaxSchoolTypes)] IReadOnlyList<SchoolTypeFte> FtePerSchoolType,
    Rounding Rounding,
    decimal CostPerFte,
    [MaxLength(ModelDefinition.MaxSchoolTypes)] IReadOnlyList<SchoolType>? SchoolTypes = null) : IRequestPart
{
    public const int MaxGroups = 20;

    /// <summary>One entry per school type at most (a type twice is refused).</summary>
    public const int MaxSchoolTypes = 20;

    public bool Counts(SchoolType type, bool atMepStandard) =>
        (CountedSchools == CountedSchools.All || atMepStandard) && (SchoolTypes is not { Count: > 0 } || SchoolTypes.Contains(type));

    public void Validate(ValidationErrors errors, string prefix)
    {
        if (Groups is null || FtePerSchoolType is null || Rounding is null)
        {
            errors.Add(prefix, "groups, ftePerSchoolType and rounding are required (an empty list where a model does not use them).");
            return;
        }

        if (Groups.Count == 0 && FtePerSchoolType.Count == 0)
        {
            errors.Add($"{prefix}.groups", "A model needs at least one ratio group or one FTE per school type.");
        }

        // Null elements and the counts are reported by the declared rules.
        if (Groups.Count > MaxGroups || Groups.Any(g => g is null) || FtePerSchoolType.Any(t => t is null))
        {
            return;
        }

        for (var i = 0; i < Groups.Count; i++)
        {
            ValidateGroup(errors, $"{prefix}.groups[{i}]", Groups[i]);
        }

        foreach (var duplicate in Groups.GroupBy(g => g.Code).Where(g => g.Count() > 1))
        {
            errors.Add($"{prefix}.groups", $"Group code '{duplicate.Key}' is used twice.");
        }

        for (var i = 0; i < FtePerSchoolType.Count; i++)
        {
            if (FtePerSchoolType[i].Fte is < 0 or > 100)
            {
                errors.Add($"{prefix}.ftePerSchoolType[{i}].fte", "Between 0 and 100.");
            }
        }

        foreach (var duplicate in FtePerSchoolType.GroupBy(t => t.SchoolType).Where(g => g.Count() > 1))
        {
            errors.Add($"{prefix}.ftePerSchoolType", $"School type {duplicate.Key.Code()} is listed twice.");
        }

        // Bounded so that no model can overflow a decimal: FTE / step and FTE x cost stay far inside its range.
        if (Rounding.Mode != RoundingMode.None && (Rounding.Step is < 0.01m or > 100 || decimal.Round(Rounding.Step, 2) != Rounding.Step))
        {
            errors.Add($"{prefix}.rounding.step", "0.01 to 100, at most two decimals (0.5: half posts).");
        }

        if (CostPerFte is < 0 or > 10_000_000 || decimal.Round(CostPerFte, 2) != CostPerFte)
        {
            errors.Add($"{prefix}.costPerFte", "EUR per FTE and year, 0 to 10,000,000, at most two decimals.");
        }
    }

    private static void ValidateGroup(ValidationErrors errors, string path, RatioGroup group)
    {
        if (group.DevicesPerFte is < 1 or > 1_000_000 || decimal.Round(group.DevicesPerFte, 2) != group.DevicesPerFte)
        {
            errors.Add($"{path}.devicesPerFte", "1 to 1,000,000 devices per FTE, at most two decimals.");
        }

        if (group.Weights is not { Count: > 0 })
        {
            errors.Add($"{path}.weights", "At least one category with its weight.");
            return;
        }

        if (group.Weights.Count > RatioGroup.MaxWeights || group.Weights.Any(w => w is null))
        {
            return;
        }

        for (var j = 0; j < group.Weights.Count; j++)
        {
            if (group.Weights[j].Weight is < 0 or > 1000 || decimal.Round(group.Weights[j].Weight, 4) != group.Weights[j].Weight)
            {
                errors.Add($"{path}.weights[{j}].weight", "0 to 1,000, at most four decimals.");
            }
        }

        foreach (var duplicate in group.Weights.GroupBy(w => w.Category).Where(g => g.Count() > 1))
        {
            errors.Add($"{path}.weights", $"Category {duplicate.Key} is listed twice.");
        }
    }
}
