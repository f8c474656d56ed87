using CsvHelper;
using Mep.ServiceDefaults.Csv;

namespace Mep.Exports;

/// <summary>
/// A sheet as CSV in German Excel's dialect (<see cref="CsvText.GermanExcel"/>): UTF-8 with a byte-order mark, semicolons, decimal
/// commas without thousands separators (so that Excel reads numbers as numbers), days as dd.MM.yyyy, RFC 4180 quoting, CRLF, and
/// text that a spreadsheet would run as a formula written with a leading apostrophe.
/// </summary>
public static class GermanExcelCsv
{
    public const string MediaType = "text/csv";

    /// <summary>Writes the header and then the rows as they are read, flushing as the writer's buffer fills: a large export never sits in memory.</summary>
    public static async Task WriteAsync(Stream destination, ExportSheet sheet, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter.Create(destination, CsvText.GermanExcel, leaveOpen: true);
        csv.WriteHeader([.. sheet.Columns.Select(column => column.Header)]);
        await foreach (var row in sheet.Rows.WithCancellation(cancellationToken))
        {
            for (var i = 0; i < row.Length; i++)
            {
                Write(csv, sheet.Columns[i].Kind, row[i]);
            }

            await csv.EndRecordAsync(cancellationToken);
        }

        await csv.FlushAsync(cancellationToken);
    }

    private static void Write(CsvWriter csv, ExportCellKind kind, object? value)
    {
        switch (value)
        {
            case decimal amount:
                csv.WriteField(amount, kind == ExportCellKind.Money ? "0.00" : "0");
                break;
            case int whole:
                csv.WriteField(whole, "0");
                break;
            case DateOnly day:
                csv.WriteField(day, GermanDay.Format);
                break;
            default:
                // Text goes through the writer's formula guard; numbers and days above are not text and need none.
                csv.WriteField((string?)value);
                break;
        }
    }
}
