using System.Globalization;
using System.Text;
using Mep.Assets.Devices;

namespace Mep.Assets.Registration;

/// <summary>
/// The CSV form of <see cref="DeviceRow"/>, for import and export: a header line with the JSON field names
/// (any order; serialNumber, kind, manufacturer and model required), comma or semicolon as delimiter (German
/// Excel writes semicolons, and then decimal commas), RFC 4180 quoting, UTF-8.
/// </summary>
public static class DeviceCsv
{
    public const string MediaType = "text/csv";

    /// <summary>The columns, in the order an export writes them.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "serialNumber", "kind", "manufacturer", "model", "roomId", "status", "mdmState", "mdmEnrolledOn", "purchaseDate", "purchasePrice",
        "warrantyEnd", "fundingSource", "usefulLifeMonths", "ownership", "pupilReference", "subsidyCategory", "familyReference", "siblingOrder",
        "contractMonthlyRate", "contractMonths", "contractProvider", "boardSystemId", "componentKind",
    ];

    private static readonly string[] RequiredColumns = ["serialNumber", "kind", "manufacturer", "model"];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads every data row; a value of the wrong type becomes a row error, a broken file a <see cref="CsvFormatException"/>.</summary>
    public static (List<DeviceRow> Rows, List<RowError> Errors) Read(ReadOnlyMemory<byte> body, int maxRows)
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
        var columns = ReadHeader(records.Current.Fields, delimiter);
        var rows = new List<DeviceRow>();
        var errors = new List<RowError>();
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
                throw new TooManyRowsException(maxRows);
            }

            if (record.Fields.Count != columns.Count)
            {
                throw new CsvFormatException(
                    $"Line {record.Line} has {record.Fields.Count} field(s), the header {columns.Count}: check the delimiter (\"{delimiter}\") and quoting.",
                    record.Line);
            }

            rows.Add(ReadRow(record.Fields, columns, rows.Count + 1, decimalComma: delimiter == ';', errors));
        }

        return (rows, errors);
    }

    /// <summary>The header with the index of each known column.</summary>
    private static Dictionary<string, int> ReadHeader(IReadOnlyList<string> header, char delimiter)
    {
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var unknown = new List<string>();
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            var known = Columns.FirstOrDefault(c => c.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                unknown.Add(name);
            }
            else if (!columns.TryAdd(known, i))
            {
                throw new CsvFormatException($"The header names the column \"{known}\" twice.", 1);
            }
        }

        var missing = RequiredColumns.Where(c => !columns.ContainsKey(c)).ToList();
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
                + $"Expected the columns {string.Join(", ", Columns)}, separated by commas or semicolons.", 1);
        }

        return columns;
    }

    /// <summary>Comma, or semicolon when the header has semicolons and no commas; any other delimiter shows as an unrecognised header.</summary>
    private static char DetectDelimiter(string headerLine) =>
        headerLine.Contains(';', StringComparison.Ordinal) && !headerLine.Contains(',', StringComparison.Ordinal) ? ';' : ',';

    private static DeviceRow ReadRow(IReadOnlyList<string> fields, Dictionary<string, int> columns, int number, bool decimalComma, List<RowError> errors)
    {
        string? Text(string column) =>
            columns.TryGetValue(column, out var index) && !string.IsNullOrWhiteSpace(fields[index]) ? CsvText.Unguard(fields[index].Trim()) : null;

        Guid? Id(string column)
        {
            var text = Text(column);
            if (text is null)
            {
                return null;
            }

            if (Guid.TryParse(text, out var id))
            {
                return id;
            }

            errors.Add(new RowError(number, column, $"\"{Shorten(text)}\" is not an id (a UUID)."));
            return null;
        }

        int? Whole(string column)
        {
            var text = Text(column);
            if (text is null)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            errors.Add(new RowError(number, column, $"\"{Shorten(text)}\" is not a whole number."));
            return null;
        }

        decimal? Amount(string column)
        {
            var text = Text(column);
            if (text is null)
            {
                return null;
            }

            // With semicolons as delimiter the file comes from a German spreadsheet: 10,90 means 10.90.
            var normalised = decimalComma && !text.Contains('.', StringComparison.Ordinal) ? text.Replace(',', '.') : text;
            if (decimal.TryParse(normalised, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            errors.Add(new RowError(number, column, $"\"{Shorten(text)}\" is not an amount in EUR (e.g. 10.90)."));
            return null;
        }

        return new DeviceRow(
            Text("serialNumber"), Text("kind"), Text("manufacturer"), Text("model"), Id("roomId"), Text("status"), Text("mdmState"),
            Text("mdmEnrolledOn"), Text("purchaseDate"), Amount("purchasePrice"), Text("warrantyEnd"), Text("fundingSource"),
            Whole("usefulLifeMonths"), Text("ownership"), Text("pupilReference"), Text("subsidyCategory"), Text("familyReference"),
            Whole("siblingOrder"), Amount("contractMonthlyRate"), Whole("contractMonths"), Text("contractProvider"), Id("boardSystemId"),
            Text("componentKind"));
    }

    public static string HeaderLine => string.Join(',', Columns);

    /// <summary>One device as a CSV line in <see cref="Columns"/> order, in the API's spelling, ready to import again.</summary>
    public static string Line(Device d)
    {
        static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        static string? Name<T>(T? value) where T : struct, Enum => value is { } v ? DeviceRules.Name(v) : null;
        string?[] values =
        [
            d.SerialNumber, DeviceRules.Name(d.Kind), d.Manufacturer, d.Model, d.RoomId?.ToString(), DeviceRules.Name(d.Status),
            DeviceRules.Name(d.MdmState), Day(d.MdmEnrolledOn), Day(d.PurchaseDate), d.PurchasePrice?.ToString("0.00", CultureInfo.InvariantCulture),
            Day(d.WarrantyEnd), Name(d.FundingSource), d.UsefulLifeMonths?.ToString(CultureInfo.InvariantCulture), Name(d.Ownership),
            d.PupilReference, Name(d.SubsidyCategory), d.FamilyReference, d.SiblingOrder?.ToString(CultureInfo.InvariantCulture),
            d.ContractMonthlyRate?.ToString("0.00", CultureInfo.InvariantCulture), d.ContractMonths?.ToString(CultureInfo.InvariantCulture),
            d.ContractProvider, d.BoardSystemId?.ToString(), Name(d.ComponentKind),
        ];
        return string.Join(',', values.Select(v => CsvText.Field(v, ',')));
    }

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "..." : text;
}

/// <summary>More rows than a batch may hold: answered as 413 before anything else is checked.</summary>
public sealed class TooManyRowsException(int maxRows) : Exception($"A batch holds at most {maxRows} devices.")
{
    public int MaxRows { get; } = maxRows;
}
