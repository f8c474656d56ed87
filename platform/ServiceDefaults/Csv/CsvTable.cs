using System.Text;
using System.Text.Unicode;
using CsvHelper;

namespace Mep.ServiceDefaults.Csv;

/// <summary>More rows than a batch may hold: answered as 413 before anything else is checked.</summary>
public sealed class TooManyRowsException(int maxRows, string rows) : Exception($"A batch holds at most {maxRows} {rows}.")
{
    public int MaxRows { get; } = maxRows;
}

/// <summary>
/// A CSV upload as a table: UTF-8 text (a byte-order mark is skipped), a header line naming known columns (any order, case-insensitive), comma or
/// semicolon as delimiter (German Excel writes semicolons, and then decimal commas), RFC 4180 quoting (read by CsvHelper). What makes the
/// file unreadable as a whole is a <see cref="CsvFormatException"/> naming the line; a bad value in a row is the
/// caller's to report per row.
/// </summary>
public sealed class CsvTable
{
    private static readonly byte[] Utf8Bom = Encoding.UTF8.GetPreamble();
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
    /// <param name="headers">Headers that name a column too (German Excel's export headers: "Seriennummer" for serialNumber), so that
    /// an export imports again as it is.</param>
    public static CsvTable Read(ReadOnlyMemory<byte> body, IReadOnlyList<string> columns, IReadOnlyList<string> required, int maxRows, string rowNoun,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        // CsvHelper would transcode or replace bytes that are not UTF-8; a spreadsheet's ANSI export must be refused instead.
        if (!Utf8.IsValid(body.Span))
        {
            throw new CsvFormatException("The CSV is not UTF-8 text. Save it as \"CSV UTF-8\".");
        }

        var text = body.Span[(body.Span.StartsWith(Utf8Bom) ? Utf8Bom.Length : 0)..];
        var firstLineEnd = text.IndexOfAny((byte)'\r', (byte)'\n');
        var headerLine = Encoding.UTF8.GetString(firstLineEnd >= 0 ? text[..firstLineEnd] : text);
        if (string.IsNullOrWhiteSpace(headerLine))
        {
            throw new CsvFormatException("The CSV is empty or its first line is blank; the first line names the columns.", 1);
        }

        // Our own choice between comma and semicolon: CsvHelper's detection would also take tabs and pipes.
        var delimiter = DetectDelimiter(headerLine);
        using var reader = CsvReader.Create(body, ReaderOptions(delimiter));
        var header = ReadHeader(reader.Headers, columns, required, delimiter, headers ?? new Dictionary<string, string>());
        var rows = new List<CsvRecord>();
        while (reader.Read())
        {
            var line = (int)reader.LineNumber;
            var fields = new string[reader.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = reader.GetString(i);
            }

            if (fields is [""])
            {
                // A blank line: tolerated at the end of the file (spreadsheets write one), refused in between.
                if (reader.Read())
                {
                    throw new CsvFormatException($"Line {line} is blank; remove empty lines between rows.", line);
                }

                break;
            }

            if (rows.Count == maxRows)
            {
                throw new TooManyRowsException(maxRows, rowNoun);
            }

            if (fields.Length != header.Count)
            {
                throw new CsvFormatException(
                    $"Line {line} has {fields.Length} field(s), the header {header.Count}: check the delimiter (\"{delimiter}\") and quoting.", line);
            }

            rows.Add(new CsvRecord(line, fields));
        }

        return new CsvTable(delimiter, header, rows);
    }

    /// <summary>
    /// RFC 4180 as read by CsvHelper, with every quoting mistake refused with the line its record starts on, never
    /// recovered from: a guess would shift values into the wrong columns.
    /// </summary>
    private static CsvReaderOptions ReaderOptions(char delimiter) => CsvReaderOptions.Default with
    {
        Separator = delimiter,
        HasHeader = true,
        Mode = CsvMode.Rfc4180,
        AllowLineBreaksInQuotes = true,
        SkipEmptyLines = false,
        TrimWhitespace = false,
        TrackLineNumbers = true,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        MalformedData = CsvMalformedDataHandling.Recover,
        OnMalformedRecord = record => throw Malformed(record),
    };

    private static CsvFormatException Malformed(CsvMalformedRecord record)
    {
        var line = (int)record.LineNumber;
        return record.Reason switch
        {
            CsvMalformedReason.UnterminatedQuote => new CsvFormatException($"A quoted field opened on line {line} is never closed: a quote is missing.", line),
            CsvMalformedReason.TextAfterClosingQuote => new CsvFormatException(
                $"Broken quoting on line {line}: a closing quote must end the field (quotes inside a quoted field are doubled: \"\").", line),
            _ => new CsvFormatException(
                $"Broken quoting on line {line}: a field with quotes must be quoted as a whole, with inner quotes doubled (\"\").", line),
        };
    }

    /// <summary>The header with the index of each known column.</summary>
    private static Dictionary<string, int> ReadHeader(IReadOnlyList<string> header, IReadOnlyList<string> known, IReadOnlyList<string> required,
        char delimiter, IReadOnlyDictionary<string, string> headers)
    {
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var unknown = new List<string>();
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            var column = known.FirstOrDefault(c => c.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
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
                + $"Expected the columns {string.Join(", ", known)}{(headers.Count > 0 ? $" (or the export's headers: {string.Join(", ", headers.Keys)})" : "")}, "
                + "separated by commas or semicolons.", 1);
        }

        return columns;
    }

    /// <summary>Comma, or semicolon when the header has semicolons and no commas; any other delimiter shows as an unrecognised header.</summary>
    private static char DetectDelimiter(string headerLine) =>
        headerLine.Contains(';', StringComparison.Ordinal) && !headerLine.Contains(',', StringComparison.Ordinal) ? ';' : ',';

    /// <summary>A value quoted in a message, cut short so that a runaway cell does not flood the answer.</summary>
    public static string Shorten(string text) => text.Length > 40 ? text[..40] + "..." : text;
}
