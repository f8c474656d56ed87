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
public sealed record CostTableInputs(decimal? GrantsForInvestment, decimal? PurchaseOfMovableAssets, int? UsefulLifeYears, decimal? Personnel,
    decimal? GoodsAndServices, decimal? Depreciation, decimal? Interest)
{
    private const decimal MaxAmount = 100_000_000_000m;

    public void Validate(ValidationErrors errors, string at)
    {
        Amount(errors, $"{at}.grantsForInvestment", GrantsForInvestment);
        Amount(errors, $"{at}.purchaseOfMovableAssets", PurchaseOfMovableAssets);
        if (errors.Required($"{at}.usefulLifeYears", UsefulLifeYears))
        {
            errors.Range($"{at}.usefulLifeYears", UsefulLifeYears, 1, 100);
        }

        Amount(errors, $"{at}.personnel", Personnel);
        Amount(errors, $"{at}.goodsAndServices", GoodsAndServices);
        Amount(errors, $"{at}.depreciation", Depreciation);
        Amount(errors, $"{at}.interest", Interest);
    }

    private static void Amount(ValidationErrors errors, string field, decimal? amount)
    {
        if (errors.Required(field, amount))
        {
            errors.Money(field, amount, MaxAmount);
        }
    }
}

/// <summary>A figure as the source prints it for one line of the table, compared with what the inputs compute.</summary>
public sealed record PrintedFigure(string? Line, decimal? Amount);

public static class CostTableLines
{
    /// <summary>The table's lines in the paper's order, with the paper's German labels for the export.</summary>
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

        errors.NullElements(at, printed);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < printed.Count; i++)
        {
            if (printed[i] is not { } figure)
            {
                continue;
            }

            if (errors.Text($"{at}[{i}].line", figure.Line, 40) && (All.All(l => l.Line != figure.Line) || !seen.Add(figure.Line!)))
            {
                errors.Add($"{at}[{i}].line", $"One of {string.Join(", ", All.Select(l => l.Line))}, each once.");
            }

            if (errors.Required($"{at}[{i}].amount", figure.Amount)
                && (Math.Abs(figure.Amount!.Value) > 100_000_000_000m || decimal.Round(figure.Amount.Value, 2) != figure.Amount))
            {
                errors.Add($"{at}[{i}].amount", "An amount in EUR (negative for a negative balance), in whole cents.");
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
        table.Property(t => t.Inputs).HasColumnType("jsonb").HasConversion(JsonColumn.Converter<CostTableInputs>());
        table.Property(t => t.PrintedFigures).HasColumnType("jsonb").HasConversion(JsonColumn.Converter<IReadOnlyList<PrintedFigure>>(),
            new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<IReadOnlyList<PrintedFigure>>(
                (a, b) => a!.SequenceEqual(b!), list => list.Aggregate(0, (hash, f) => HashCode.Combine(hash, f)), list => list.ToList()));
        table.Property(t => t.Version).IsPostgresRowVersion();
    }
}
