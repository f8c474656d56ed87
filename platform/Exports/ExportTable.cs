using System.Globalization;
using System.Text.Json;

namespace Mep.Exports;

/// <summary>
/// An export's table, declared once beside its row type: the sheet's name and the German columns. The same declaration writes the
/// CSV (<see cref="GermanExcelCsv"/>) and the workbook (<see cref="XlsxWorkbook"/>), so that the two never disagree, and reads an
/// exported cell back into the API's text where an import takes the export again (<see cref="ApiText"/>).
/// </summary>
public sealed class ExportTable<TRow>
{
    /// <summary>Room for the filter button the workbook puts beside every header.</summary>
    private const int FilterButtonWidth = 3;

    private readonly ExportColumn<TRow>[] _columns;

    public ExportTable(string sheetName)
        : this(ExportSheet.CheckName(sheetName), [])
    {
    }

    private ExportTable(string sheetName, ExportColumn<TRow>[] columns) => (SheetName, _columns) = (sheetName, columns);

    public string SheetName { get; }

    /// <summary>The API field names of the columns that have one, in column order.</summary>
    public IReadOnlyList<string> Fields => [.. _columns.Where(c => c.Field is not null).Select(c => c.Field!)];

    /// <summary>Each German header that stands for an API field, and that field: what an import accepts in place of the field's name.</summary>
    public IReadOnlyDictionary<string, string> FieldsByHeader =>
        _columns.Where(c => c.Field is not null).ToDictionary(c => c.Header, c => c.Field!, StringComparer.OrdinalIgnoreCase);

    public ExportTable<TRow> Text(string header, Func<TRow, string?> value, double width = 16, string? field = null) =>
        With(new(header, ExportCellKind.Text, Width(header, width), field, row => value(row)));

    public ExportTable<TRow> Money(string header, Func<TRow, decimal?> value, string? field = null) =>
        With(new(header, ExportCellKind.Money, Width(header, 15), field, row => value(row)));

    public ExportTable<TRow> Whole(string header, Func<TRow, int?> value, string? field = null) =>
        With(new(header, ExportCellKind.Whole, Width(header, 8), field, row => value(row)));

    public ExportTable<TRow> Date(string header, Func<TRow, DateOnly?> value, string? field = null) =>
        With(new(header, ExportCellKind.Date, Width(header, 11), field, row => value(row), GermanDay.ToApiText));

    /// <summary>"ja" or "nein"; read back as true or false.</summary>
    public ExportTable<TRow> YesNo(string header, Func<TRow, bool?> value, string? field = null) =>
        With(new(header, ExportCellKind.Text, Width(header, 6), field, row => value(row) is { } yes ? GermanYesNo.Of(yes) : null,
            cell => cell.Trim().ToLowerInvariant() switch { GermanYesNo.Yes => "true", GermanYesNo.No => "false", _ => cell }));

    /// <summary>An enum member by its German name; read back as the API's name of the member (camelCase).</summary>
    public ExportTable<TRow> Choice<TEnum>(string header, Func<TRow, TEnum?> value, GermanNames<TEnum> names, double width = 16, string? field = null)
        where TEnum : struct, Enum =>
        With(new(header, ExportCellKind.Text, Width(header, width), field, row => value(row) is { } member ? names[member] : null,
            cell => names.TryRead(cell, out var member) ? JsonNamingPolicy.CamelCase.ConvertName(member.ToString()) : cell));

    /// <summary>The rows as a sheet of this table.</summary>
    public ExportSheet Of(IEnumerable<TRow> rows) => new(SheetName, _columns, rows.Select(Cells).ToAsyncEnumerable());

    /// <summary>The rows as a sheet of this table, read as the sheet is written (a query streamed from the database).</summary>
    public ExportSheet Of(IAsyncEnumerable<TRow> rows) => new(SheetName, _columns, rows.Select(Cells));

    /// <summary>
    /// The API's text of a cell of the column for <paramref name="field"/> as this table writes it: a German name becomes the member's
    /// name, a day dd.MM.yyyy becomes yyyy-MM-dd, ja/nein become true/false; anything else stays as it is.
    /// </summary>
    public string? ApiText(string field, string? cell) =>
        cell is null ? null : _columns.FirstOrDefault(c => c.Field == field) is { } column ? column.ApiText(cell) : cell;

    private object?[] Cells(TRow row) => Array.ConvertAll(_columns, column => column.Value(row));

    private ExportTable<TRow> With(ExportColumn<TRow> column)
    {
        if (_columns.Any(c => string.Equals(c.Header, column.Header, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"The sheet {SheetName} has two columns headed \"{column.Header}\".", nameof(column));
        }

        return new(SheetName, [.. _columns, column]);
    }

    private static double Width(string header, double least) => Math.Max(least, header.Length + FilterButtonWidth);
}

/// <summary>Days as German spreadsheets write them.</summary>
public static class GermanDay
{
    public const string Format = "dd.MM.yyyy";

    /// <summary>What German Excel writes back when it saves a day it read (01.08.2020, or 1.8.2020 where the cell was retyped).</summary>
    private static readonly string[] ReadFormats = [Format, "d.M.yyyy"];

    public static string Of(DateOnly day) => day.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>A German day as the API writes it (yyyy-MM-dd); any other text as it is, for the import's own check to name.</summary>
    public static string ToApiText(string cell) =>
        DateOnly.TryParseExact(cell.Trim(), ReadFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : cell;
}
