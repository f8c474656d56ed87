using CsvHelper;
using Mep.ServiceDefaults.Csv;

namespace Mep.Funding.CostTables;

/// <summary>
/// The export as German Excel opens it with a double click: semicolons, decimal commas, no thousands separators (so cells are
/// numbers), and a byte-order mark so that umlauts are read as UTF-8.
/// </summary>
public static class CostTableCsv
{
    public const string MediaType = "text/csv";

    public static byte[] Write(CostTable table)
    {
        var result = CostTableCalculator.Compute(table.Inputs, table.PrintedFigures);
        var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, CsvText.GermanExcel with { WriteByteOrderMark = true }, leaveOpen: true))
        {
            csv.WriteHeader(["Zeile", "line", "Betrag EUR", "gedruckt EUR", "Differenz EUR"]);
            foreach (var line in result.Lines)
            {
                csv.WriteField(line.Label);
                csv.WriteField(line.Line);
                csv.WriteField(line.Amount, "0.00");
                csv.WriteField(line.Printed, "0.00");
                csv.WriteField(line.Difference, "0.00");
                csv.EndRecord();
            }
        }

        return buffer.ToArray();
    }
}
