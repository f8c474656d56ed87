using System.ComponentModel.DataAnnotations;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Funding.CostTables;

/// <summary>
/// The inputs of the council paper's cost table (Kostentabelle): the investment part (Teilfinanzhaushalt) and the yearly running
/// part (Teilergebnishaushalt). Expenses are given as positive amounts, as the paper prints them.
/// </summary>
/// <param name="GrantsForInvestment">Investment grants received (DigitalPakt funds): 783,960.00.</param>
/// <param name="PurchaseOfMovableAssets">Payments for movable assets: 4,767,000.00.</param>
/// <param name="UsefulLifeYears">Over how many years the grants are released as a special item (Sonderposten): 5.</param>
public sealed record CostTableInputs(
    [Required, Money(CostTableInputs.MaxAmount)] decimal? GrantsForInvestment,
    [Required, Money(CostTableInputs.MaxAmount)] decimal? PurchaseOfMovableAssets,
    [Required, Range(1, 100)] int? UsefulLifeYears,
    [Required, Money(CostTableInputs.MaxAmount)] decimal? Personnel,
    [Required, Money(CostTableInputs.MaxAmount)] decimal? GoodsAndServices,
    [Required, Money(CostTableInputs.MaxAmount)] decimal? Depreciation,
    [Required, Money(CostTableInputs.MaxAmount)] decimal? Interest)
{
    public const double MaxAmount = 100_000_000_000;
}

/// <summary>A figure as the source prints it for one line of the table, compared with what the inputs compute.</summary>
public sealed record PrintedFigure(
    [Required, MaxLength(PrintedFigure.MaxLine)] string? Line,
    [Required, DecimalRange(-CostTableInputs.MaxAmount, CostTableInputs.MaxAmount,
        Message = "An amount in EUR (negative for a negative balance), in whole cents.")] decimal? Amount)
{
    public const int MaxLine = 40;
}

public static class CostTableLines
{
    /// <summary>The table's lines in the paper's order, with the paper's German labels for the export.</summary>
    /// <summary>How many lines a table has: at most one printed figure each.</summary>
    public const int Count = 9;

    public static readonly IReadOnlyList<(string Line, string Label)> All =
    [
        ("grantsForInvestment", "Zuwendungen für Investitionsmaßnahmen"),
        ("purchaseOfMovableAssets", "Erwerb von beweglichem Vermögen"),
        ("investmentBalance", "Saldo Investitionstätigkeit"),
        ("releaseOfSpecialItem", "Erträge aus der Auflösung von Sonderposten (Anteil Zuwendungen)"),
        ("personnel", "Personalaufwendungen"),
        ("goodsAndServices", "Sach- und Dienstleistungen"),
        ("depreciation", "Abschreibungen"),
        ("interest", "Zinsen und ähnliche Aufwendungen"),
        ("yearBalance", "Saldo ordentliches Ergebnis (jährlich)"),
    ];

    public static void Validate(ValidationErrors errors, string at, IReadOnlyList<PrintedFigure?>? printed)
    {
        if (printed is null)
        {
            return;
        }

        // Null entries, missing or overlong lines and amounts are reported by the declared rules.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < printed.Count; i++)
        {
            if (printed[i] is { Line: { } line } && !string.IsNullOrWhiteSpace(line) && line.Trim().Length <= PrintedFigure.MaxLine
                && (All.All(l => l.Line != line) || !seen.Add(line)))
            {
                errors.Add($"{at}[{i}].line", $"One of {string.Join(", ", All.Select(l => l.Line))}, each once.");
            }
        }
    }
}

/// <summary>A named cost table: its inputs, and the figures a source printed for it (to show where they differ from the computation).</summary>
public sealed class CostTable
{
    private CostTable()
    {
    }

    /// <summary>Stable code, e.g. "drucksache-1000-2020".</summary>
    public string Code { get; private set; } = string.Empty;
    public string Name { get; private set; } = string.Empty;
    public string? Source { get; private set; }
    public CostTableInputs Inputs { get; private set; } = null!;
    public IReadOnlyList<PrintedFigure> PrintedFigures { get; private set; } = [];
    public DateTimeOffset UpdatedAt { get; private set; }
    public string UpdatedBy { get; private set; } = string.Empty;
    public uint Version { get; private set; }

    internal static CostTable Create(string code, string name, string? source, CostTableInputs inputs, IReadOnlyList<PrintedFigure> printed,
        string actor, DateTimeOffset now)
    {
        var table = new CostTable { Code = code };
        table.Change(name, source, inputs, printed, actor, now);
        return table;
    }

    internal void Change(string name, string? source, CostTableInputs inputs, IReadOnlyList<PrintedFigure> printed, string actor, DateTimeOffset now) =>
        (Name, Source, Inputs, PrintedFigures, UpdatedBy, UpdatedAt) = (name, source, inputs, printed, actor, now);
}

internal sealed class CostTableConfiguration : IEntityTypeConfiguration<CostTable>
{
    public void Configure(EntityTypeBuilder<CostTable> table)
    {
        table.ToTable("cost_tables");
        table.HasKey(t => t.Code);
        table.Property(t => t.Inputs).IsJsonColumn();
        table.Property(t => t.PrintedFigures).IsJsonColumn(
            new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<IReadOnlyList<PrintedFigure>>(
                (a, b) => a!.SequenceEqual(b!), list => list.Aggregate(0, (hash, f) => HashCode.Combine(hash, f)), list => list.ToList()));
    }
}
