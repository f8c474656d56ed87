using System.Globalization;
using System.Net;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using Xunit;

namespace Mep.TestKit;

/// <summary>
/// Exports read back as a spreadsheet reads them: the CSV in German Excel's dialect (its bytes, the byte-order mark first), the
/// workbook with the Open XML SDK, checked against the Office schema first (sheets, cells with their kind and number format, the
/// frozen pane, the column widths).
/// </summary>
public static class ExportFiles
{
    public const string CsvMediaType = "text/csv";
    public const string XlsxMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Asserts a 200 CSV answer that starts with the UTF-8 byte-order mark; its lines (CRLF-separated, without the mark).</summary>
    public static async Task<string[]> CsvLinesAsync(HttpResponseMessage response)
    {
        var bytes = await OkBytesAsync(response, CsvMediaType);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        return Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Asserts a 200 workbook answer and opens it.</summary>
    public static async Task<IReadOnlyList<XlsxSheet>> WorkbookAsync(HttpResponseMessage response)
    {
        using var stream = new MemoryStream(await OkBytesAsync(response, XlsxMediaType));
        using var document = SpreadsheetDocument.Open(stream, isEditable: false);
        // The schema check Excel's own validation follows: a file that fails it opens with a repair prompt, if at all.
        Assert.Empty(new OpenXmlValidator(FileFormatVersions.Office2016).Validate(document).Select(error => $"{error.Path?.XPath}: {error.Description}"));
        var workbookPart = document.WorkbookPart!;
        var formats = workbookPart.WorkbookStylesPart?.Stylesheet?.CellFormats?.Elements<CellFormat>().ToList() ?? [];
        var customFormats = workbookPart.WorkbookStylesPart?.Stylesheet?.NumberingFormats?.Elements<NumberingFormat>()
            .ToDictionary(f => f.NumberFormatId!.Value, f => f.FormatCode!.Value!) ?? [];
        var sheets = new List<XlsxSheet>();
        foreach (var sheet in workbookPart.Workbook!.Sheets!.Elements<Sheet>())
        {
            var worksheet = ((WorksheetPart)workbookPart.GetPartById(sheet.Id!.Value!)).Worksheet!;
            var pane = worksheet.Descendants<Pane>().SingleOrDefault();
            var rows = worksheet.Descendants<Row>().Select(row => (IReadOnlyList<XlsxCell>)[.. row.Elements<Cell>().Select(cell =>
            {
                var format = cell.StyleIndex is { } style ? formats[(int)style.Value].NumberFormatId?.Value ?? 0 : 0;
                var code = customFormats.GetValueOrDefault(format) ?? (format == 0 ? "General" : $"builtin {format}");
                return XlsxCell.Of(cell, code);
            })]).ToList();
            sheets.Add(new XlsxSheet(sheet.Name!.Value!, rows, pane?.State?.Value == PaneStateValues.Frozen ? pane.TopLeftCell?.Value : null,
                [.. worksheet.Descendants<Column>().Select(c => c.Width?.Value ?? 0)], worksheet.Descendants<AutoFilter>().SingleOrDefault()?.Reference?.Value));
        }

        return sheets;
    }

    /// <summary>The file name a browser saves an answer under: the UTF-8 filename* where given, and the ASCII filename beside it.</summary>
    public static (string? Name, string? AsciiName) FileName(HttpResponseMessage response)
    {
        var disposition = response.Content.Headers.ContentDisposition;
        Assert.Equal("attachment", disposition?.DispositionType);
        return (disposition!.FileNameStar, disposition.FileName?.Trim('"'));
    }

    private static async Task<byte[]> OkBytesAsync(HttpResponseMessage response, string mediaType)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {Encoding.UTF8.GetString(bytes)}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        return bytes;
    }
}

/// <param name="FrozenAt">The first cell below and right of the frozen pane (A2: the header row stays), null when nothing is frozen.</param>
/// <param name="Filter">The range of the autofilter, if any.</param>
public sealed record XlsxSheet(string Name, IReadOnlyList<IReadOnlyList<XlsxCell>> Rows, string? FrozenAt, IReadOnlyList<double> Widths, string? Filter)
{
    public IReadOnlyList<string?> Header => [.. Rows[0].Select(cell => cell.Text)];

    /// <summary>The data row whose first cell is <paramref name="text"/>, as cells by header.</summary>
    public IReadOnlyDictionary<string, XlsxCell> Row(string text)
    {
        var row = Rows.Skip(1).Single(r => r.Count > 0 && r[0].Text == text);
        return row.ToDictionary(cell => Header[ColumnIndex(cell.Reference)]!);
    }

    private static int ColumnIndex(string reference) => reference.TakeWhile(char.IsLetter).Aggregate(0, (n, letter) => n * 26 + letter - 'A' + 1) - 1;
}

/// <summary>A cell as Excel sees it: text (never a formula), a number, or a day (a number shown through a date format).</summary>
public sealed record XlsxCell(string Reference, string? Text, decimal? Number, DateOnly? Day, string NumberFormat, bool IsFormula)
{
    internal static XlsxCell Of(Cell cell, string numberFormat)
    {
        var reference = cell.CellReference!.Value!;
        var formula = cell.CellFormula is not null;
        if (cell.DataType?.Value == CellValues.InlineString)
        {
            return new(reference, cell.InlineString!.InnerText, null, null, numberFormat, formula);
        }

        Assert.True(cell.DataType is null || cell.DataType.Value == CellValues.Number, $"{reference} is neither text nor a number.");
        var number = decimal.Parse(cell.CellValue!.Text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return numberFormat.Contains("yy", StringComparison.Ordinal)
            ? new(reference, null, null, DateOnly.FromDateTime(DateTime.FromOADate((double)number)), numberFormat, formula)
            : new(reference, null, number, null, numberFormat, formula);
    }
}
