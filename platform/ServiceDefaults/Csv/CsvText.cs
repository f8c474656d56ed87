using System.Globalization;
using CsvHelper;

namespace Mep.ServiceDefaults.Csv;

/// <summary>Why a CSV body cannot be read at all (as opposed to a row with a bad value): answered as 400 naming the line.</summary>
public sealed class CsvFormatException(string message, int? line = null) : Exception(message)
{
    public int? Line { get; } = line;
}

/// <summary>One record of a CSV file and the line it starts on.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// The platform's CSV dialect on top of CsvHelper, one for every export: German Excel's, so that a double click opens it right.
/// RFC 4180 with CRLF, UTF-8 with a byte-order mark (without it Excel reads umlauts as ANSI), semicolons, decimal commas (numbers
/// written as numbers stay cells of numbers), a field quoted when it needs it or has whitespace at either end (so a trimming reader
/// keeps it), and a text a spreadsheet would run as a formula (starting with = + - @, tab or CR, as OWASP lists them) written with
/// a leading apostrophe, which <see cref="Unguard"/> strips again on import. The imports (<see cref="CsvTable"/>) read this dialect
/// and the comma-separated one.
/// </summary>
public static class CsvText
{
    private const string FormulaStarts = "=+-@\t\r";

    public static CsvWriterOptions GermanExcel { get; } = CsvWriterOptions.Default with
    {
        Separator = ';',
        Quoting = CsvQuoting.WhenNeededOrWhitespace,
        Injection = CsvInjection.Escape,
        InjectionCharacters = FormulaStarts,
        InjectionEscape = '\'',
        NewLine = "\r\n",
        WriteByteOrderMark = true,
        FormatProvider = CultureInfo.GetCultureInfo("de-DE"),
    };

    /// <summary>Undoes the formula guard of the writer options.</summary>
    public static string Unguard(string value) =>
        value.Length > 1 && value[0] == '\'' && FormulaStarts.Contains(value[1], StringComparison.Ordinal) ? value[1..] : value;
}
