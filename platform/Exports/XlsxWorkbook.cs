using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Mep.Exports;

/// <summary>
/// Sheets as an Excel workbook (Open XML SDK): per sheet a bold header row that stays in view (frozen) with a filter on it, the
/// declared column widths, amounts as number cells with two places, whole numbers as number cells, days as date cells (dd.mm.yyyy),
/// and text as text cells, which Excel never runs as a formula.
/// </summary>
public static class XlsxWorkbook
{
    public const string MediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    // The cell formats of Styles(), by index.
    private const uint HeaderStyle = 1;
    private const uint MoneyStyle = 2;
    private const uint WholeStyle = 3;
    private const uint DateStyle = 4;

    // Custom number formats start at 164; 1 is Excel's built-in "0".
    private const uint MoneyFormat = 164;
    private const uint DateFormat = 165;
    private const uint WholeFormat = 1;

    public static async Task WriteAsync(Stream destination, IReadOnlyList<ExportSheet> sheets, CancellationToken cancellationToken)
    {
        // The package is a zip, written synchronously and complete only when closed, so it is built here and copied out. What it costs
        // is not this buffer but the parts: the SDK reads the package's relationships back while it builds it, so System.IO.Packaging
        // opens the zip for update, and that keeps every part uncompressed in memory until the package closes, whatever stream lies
        // under it (a package opened for writing only, which would compress each part as it comes, the SDK refuses). Measured with
        // 18 cells a row: about 6 KB a row at the peak for 5,000 rows (+30 MB) and 2 KB for 50,000 (+100 MB), against some 30 bytes a
        // row for the finished file here; a temporary file in place of this buffer would save only those 30 bytes. The exports are a
        // row per school or per device of one school: thousands of rows, not millions.
        using var buffer = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            workbookPart.Workbook = new Workbook();
            workbookPart.AddNewPart<WorkbookStylesPart>().Stylesheet = Styles();
            var sheetList = new Sheets();
            var filterRanges = new DefinedNames();
            for (var index = 0; index < sheets.Count; index++)
            {
                var sheet = sheets[index];
                var part = workbookPart.AddNewPart<WorksheetPart>();
                var range = await WriteSheetAsync(part, sheet, selected: index == 0, cancellationToken);
                sheetList.Append(new Sheet { Id = workbookPart.GetIdOfPart(part), SheetId = (uint)index + 1, Name = sheet.Name });
                // Excel keeps a filter's range under this hidden name; without it, it repairs the file on opening.
                filterRanges.Append(new DefinedName($"'{sheet.Name.Replace("'", "''", StringComparison.Ordinal)}'!{Absolute(range)}")
                {
                    Name = "_xlnm._FilterDatabase", LocalSheetId = (uint)index, Hidden = true,
                });
            }

            workbookPart.Workbook.Append(sheetList, filterRanges);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(destination, cancellationToken);
    }

    /// <summary>Writes one sheet as its rows are read; returns the range of the header and the rows (A1:R20).</summary>
    private static async Task<string> WriteSheetAsync(WorksheetPart part, ExportSheet sheet, bool selected, CancellationToken cancellationToken)
    {
        using var writer = OpenXmlWriter.Create(part);
        writer.WriteStartElement(new Worksheet());
        writer.WriteElement(new SheetViews(new SheetView(
            new Pane { VerticalSplit = 1D, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
            new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } })
        {
            TabSelected = selected, WorkbookViewId = 0U,
        }));
        writer.WriteElement(new Columns(sheet.Columns.Select((column, i) =>
            new Column { Min = (uint)i + 1, Max = (uint)i + 1, Width = column.Width, CustomWidth = true })));
        writer.WriteStartElement(new SheetData());
        writer.WriteStartElement(new Row { RowIndex = 1U });
        for (var i = 0; i < sheet.Columns.Count; i++)
        {
            writer.WriteElement(TextCell(Reference(i, 1), sheet.Columns[i].Header, HeaderStyle));
        }

        writer.WriteEndElement();
        var rowNumber = 1;
        await foreach (var row in sheet.Rows.WithCancellation(cancellationToken))
        {
            rowNumber++;
            writer.WriteStartElement(new Row { RowIndex = (uint)rowNumber });
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] is { } value)
                {
                    writer.WriteElement(Cell(Reference(i, rowNumber), sheet.Columns[i].Kind, value));
                }
            }

            writer.WriteEndElement();
        }

        writer.WriteEndElement();
        var range = $"A1:{Reference(sheet.Columns.Count - 1, rowNumber)}";
        writer.WriteElement(new AutoFilter { Reference = range });
        writer.WriteEndElement();
        writer.Close();
        return range;
    }

    private static Cell Cell(string reference, ExportCellKind kind, object value) => value switch
    {
        decimal amount => new Cell
        {
            CellReference = reference, DataType = CellValues.Number, CellValue = new CellValue(amount),
            StyleIndex = kind == ExportCellKind.Money ? MoneyStyle : WholeStyle,
        },
        int whole => new Cell { CellReference = reference, DataType = CellValues.Number, CellValue = new CellValue(whole), StyleIndex = WholeStyle },
        // Excel's date cells are day numbers (OLE Automation dates) shown through a date format.
        DateOnly day => new Cell
        {
            CellReference = reference, CellValue = new CellValue(day.ToDateTime(TimeOnly.MinValue).ToOADate()), StyleIndex = DateStyle,
        },
        _ => TextCell(reference, (string)value, 0U),
    };

    private static Cell TextCell(string reference, string text, uint style) => new()
    {
        CellReference = reference, DataType = CellValues.InlineString, StyleIndex = style,
        InlineString = new InlineString(new Text(XmlSafe(text)) { Space = SpaceProcessingModeValues.Preserve }),
    };

    /// <summary>The text with every character XML cannot carry (control characters, lone surrogates) replaced by U+FFFD.</summary>
    private static string XmlSafe(string text)
    {
        if (text.All(XmlConvert.IsXmlChar))
        {
            return text;
        }

        var safe = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (XmlConvert.IsXmlChar(text[i]))
            {
                safe.Append(text[i]);
            }
            else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                safe.Append(text, i++, 2);
            }
            else
            {
                safe.Append('\uFFFD');
            }
        }

        return safe.ToString();
    }

    /// <summary>A cell's name: column letters (A..Z, AA..) and the row number, from a column index from 0.</summary>
    private static string Reference(int column, int row)
    {
        var letters = string.Empty;
        for (var n = column + 1; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + ((n - 1) % 26)) + letters;
        }

        return letters + row.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Absolute(string range) => string.Join(':', range.Split(':').Select(cell =>
        "$" + new string([.. cell.TakeWhile(char.IsLetter)]) + "$" + new string([.. cell.SkipWhile(char.IsLetter)])));

    private static Stylesheet Styles() => new(
        new NumberingFormats(
            new NumberingFormat { NumberFormatId = MoneyFormat, FormatCode = "#,##0.00\\ \"€\"" },
            new NumberingFormat { NumberFormatId = DateFormat, FormatCode = "dd.mm.yyyy" }) { Count = 2U },
        new Fonts(
            new Font(new FontSize { Val = 11D }, new FontName { Val = "Calibri" }),
            new Font(new Bold(), new FontSize { Val = 11D }, new FontName { Val = "Calibri" })) { Count = 2U },
        // The first two fills are reserved by the format (none, gray125); the third is the header's.
        new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
            new Fill(new PatternFill(new ForegroundColor { Rgb = "FFDDEBF7" }) { PatternType = PatternValues.Solid })) { Count = 3U },
        new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1U },
        new CellStyleFormats(new CellFormat { NumberFormatId = 0U, FontId = 0U, FillId = 0U, BorderId = 0U }) { Count = 1U },
        new CellFormats(
            new CellFormat { NumberFormatId = 0U, FontId = 0U, FillId = 0U, BorderId = 0U, FormatId = 0U },
            new CellFormat { NumberFormatId = 0U, FontId = 1U, FillId = 2U, BorderId = 0U, FormatId = 0U, ApplyFont = true, ApplyFill = true },
            new CellFormat { NumberFormatId = MoneyFormat, FontId = 0U, FillId = 0U, BorderId = 0U, FormatId = 0U, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = WholeFormat, FontId = 0U, FillId = 0U, BorderId = 0U, FormatId = 0U, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = DateFormat, FontId = 0U, FillId = 0U, BorderId = 0U, FormatId = 0U, ApplyNumberFormat = true })
        {
            Count = 5U,
        },
        new CellStyles(new CellStyle { Name = "Normal", FormatId = 0U, BuiltinId = 0U }) { Count = 1U });
}
