using System.Text;

namespace Mep.ServiceDefaults.Csv;

/// <summary>More rows than a batch may hold: answered as 413 before anything else is checked.</summary>
public sealed class TooManyRowsException(int maxRows, string rows) : Exception($"A batch holds at most {maxRows} {rows}.")
{
    public int MaxRows { get; } = maxRows;
}

/// <summary>
/// A CSV upload as a table: UTF-8 text, a header line naming known columns (any order, case-insensitive), comma or
/// semicolon as delimiter (German Excel writes semicolons, and then decimal commas), RFC 4180 quoting. What makes the
/// file unreadable as a whole is a <see cref="CsvFormatException"/> naming the line; a bad value in a row is the
/// caller's to report per row.
/// </summary>
public sealed class CsvTable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly Dictionary<string, int> _columns;

    private CsvTable(char delimiter, Dictionary<string, int> columns, List<CsvRecord> rows) =>
        (Delimiter, _columns, Rows) = (delimiter, columns, rows);

    public char Delimiter { get; }

    /// <summary>Whether numbers may have a decimal comma: the file came from a German spreadsheet.</summary>
    public bool DecimalComma => Delimiter == ';';

    /// <summary>The data rows (without the header); row number n is Rows[n - 1].</summary>
    public IReadOnlyList<CsvRecord> Rows { get; }

    public bool Has(string column) => _columns.ContainsKey(column);

    /// <summary>The trimmed value of a column in a row, null when the column is absent or the cell blank; the formula guard is undone.</summary>
    public string? Text(CsvRecord row, string column) =>
        _columns.TryGetValue(column, out var index) && !string.IsNullOrWhiteSpace(row.Fields[index]) ? CsvText.Unguard(row.Fields[index].Trim()) : null;

    /// <param name="rowNoun">What a row is, for the too-many-rows message ("devices", "rooms").</param>
    public static CsvTable Read(ReadOnlyMemory<byte> body, IReadOnlyList<string> columns, IReadOnlyList<string> required, int maxRows, string rowNoun)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(body.Span).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            throw new CsvFormatException("The CSV is not UTF-8 text. Save it as \"CSV UTF-8\".");
        }

        var firstLineEnd = text.AsSpan().IndexOfAny('\r', '\n');
        var headerLine = firstLineEnd >= 0 ? text[..firstLineEnd] : text;
        if (string.IsNullOrWhiteSpace(headerLine))
        {
            throw new CsvFormatException("The CSV is empty or its first line is blank; the first line names the columns.", 1);
        }

        var delimiter = DetectDelimiter(headerLine);
        using var records = CsvText.Read(text, delimiter).GetEnumerator();
        records.MoveNext();
        var header = ReadHeader(records.Current.Fields, columns, required, delimiter);
        var rows = new List<CsvRecord>();
        while (records.MoveNext())
        {
            var record = records.Current;
            if (record.Fields.Count == 1 && record.Fields[0].Length == 0)
            {
                // A blank line: tolerated at the end of the file (spreadsheets write one), refused in between.
                if (records.MoveNext())
                {
                    throw new CsvFormatException($"Line {record.Line} is blank; remove empty lines between rows.", record.Line);
                }

                break;
            }

            if (rows.Count == maxRows)
            {
                throw new TooManyRowsException(maxRows, rowNoun);
            }

            if (record.Fields.Count != header.Count)
            {
                throw new CsvFormatException(
                    $"Line {record.Line} has {record.Fields.Count} field(s), the header {header.Count}: check the delimiter (\"{delimiter}\") and quoting.",
                    record.Line);
            }

            rows.Add(record);
        }

        return new CsvTable(delimiter, header, rows);
    }

    /// <summary>The header with the index of each known column.</summary>
    private static Dictionary<string, int> ReadHeader(IReadOnlyList<string> header, IReadOnlyList<string> known, IReadOnlyList<string> required,
        char delimiter)
    {
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var unknown = new List<string>();
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            var column = known.FirstOrDefault(c => c.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (column is null)
            {
                unknown.Add(name);
            }
            else if (!columns.TryAdd(column, i))
            {
                throw new CsvFormatException($"The header names the column \"{column}\" twice.", 1);
            }
        }

        var missing = required.Where(c => !columns.ContainsKey(c)).ToList();
        if (unknown.Count > 0 || missing.Count > 0)
        {
            var problems = new List<string>();
            if (unknown.Count > 0)
            {
                problems.Add($"unknown column(s) {string.Join(", ", unknown.Select(u => $"\"{Shorten(u)}\""))}");
            }

            if (missing.Count > 0)
            {
                problems.Add($"missing required column(s) {string.Join(", ", missing)}");
            }

            throw new CsvFormatException(
                $"The header is not recognised (read with delimiter \"{delimiter}\"): {string.Join("; ", problems)}. "
                + $"Expected the columns {string.Join(", ", known)}, separated by commas or semicolons.", 1);
        }

        return columns;
    }

    /// <summary>Comma, or semicolon when the header has semicolons and no commas; any other delimiter shows as an unrecognised header.</summary>
    private static char DetectDelimiter(string headerLine) =>
        headerLine.Contains(';', StringComparison.Ordinal) && !headerLine.Contains(',', StringComparison.Ordinal) ? ';' : ',';

    /// <summary>A value quoted in a message, cut short so that a runaway cell does not flood the answer.</summary>
    public static string Shorten(string text) => text.Length > 40 ? text[..40] + "..." : text;
}
