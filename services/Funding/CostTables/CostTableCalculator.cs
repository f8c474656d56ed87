using System.ComponentModel.DataAnnotations;

namespace Mep.Funding.CostTables;

/// <param name="Printed">The figure a source printed for the line, when it printed one.</param>
/// <param name="Difference">Printed minus computed; 0.00 when the source agrees with its own inputs.</param>
public sealed record CostTableLine(
    [MaxLength(PrintedFigure.MaxLine)] string Line, [MaxLength(100)] string Label, decimal Amount, decimal? Printed, decimal? Difference);

public sealed record InvestmentPart(decimal GrantsForInvestment, decimal PurchaseOfMovableAssets, decimal Balance);

/// <param name="ReleaseOfSpecialItem">The grants released over their useful life: grants / years, to the cent.</param>
public sealed record YearlyPart(decimal ReleaseOfSpecialItem, decimal Personnel, decimal GoodsAndServices, decimal Depreciation, decimal Interest,
    decimal Balance);

/// <param name="PrintedDisagreements">How many printed figures differ from the computation.</param>
public sealed record CostTableResult(InvestmentPart Investment, YearlyPart PerYear, IReadOnlyList<CostTableLine> Lines, int PrintedDisagreements);

/// <summary>The council paper's arithmetic: investment balance = grants - purchases; yearly balance = release - every expense.</summary>
public static class CostTableCalculator
{
    public static CostTableResult Compute(CostTableInputs inputs, IReadOnlyList<PrintedFigure>? printed)
    {
        var grants = inputs.GrantsForInvestment!.Value;
        var purchases = inputs.PurchaseOfMovableAssets!.Value;
        var investment = new InvestmentPart(grants, purchases, grants - purchases);
        var release = Money.Cents(grants / inputs.UsefulLifeYears!.Value);
        var (personnel, goods, depreciation, interest) =
            (inputs.Personnel!.Value, inputs.GoodsAndServices!.Value, inputs.Depreciation!.Value, inputs.Interest!.Value);
        var year = new YearlyPart(release, personnel, goods, depreciation, interest, release - personnel - goods - depreciation - interest);
        var amounts = new Dictionary<string, decimal>(StringComparer.Ordinal)
        {
            ["grantsForInvestment"] = grants,
            ["purchaseOfMovableAssets"] = purchases,
            ["investmentBalance"] = investment.Balance,
            ["releaseOfSpecialItem"] = release,
            ["personnel"] = personnel,
            ["goodsAndServices"] = goods,
            ["depreciation"] = depreciation,
            ["interest"] = interest,
            ["yearBalance"] = year.Balance,
        };
        var lines = CostTableLines.All.Select(l =>
        {
            var figure = printed?.FirstOrDefault(p => p.Line == l.Line)?.Amount;
            return new CostTableLine(l.Line, l.Label, amounts[l.Line], figure, figure - amounts[l.Line]);
        }).ToList();
        return new CostTableResult(investment, year, lines, lines.Count(l => l.Difference is not null and not 0m));
    }
}
