using Mep.Exports;

namespace Mep.Funding.CostTables;

/// <summary>A cost table as finance opens it in Excel: its computed lines beside the printed figures and their differences.</summary>
public static class CostTableExport
{
    public static readonly ExportTable<CostTableLine> Lines = new ExportTable<CostTableLine>("Kostentabelle")
        .Text("Zeile", l => l.Label, width: 44)
        .Text("Schlüssel", l => l.Line, width: 24)
        .Money("Betrag EUR", l => l.Amount)
        .Money("gedruckt EUR", l => l.Printed)
        .Money("Differenz EUR", l => l.Difference);

    public static ExportDocument Of(CostTable table) =>
        new($"Kostentabelle_{table.Code}", Lines.Of(CostTableCalculator.Compute(table.Inputs, table.PrintedFigures).Lines));
}
