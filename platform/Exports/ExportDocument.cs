using System.Text;

namespace Mep.Exports;

/// <summary>
/// An export as an answer: the file in the format of the route that was asked (<see cref="ExportEndpoints.MapExport"/>), as an
/// attachment under a German file name. The CSV holds the main sheet; the workbook holds it and the further sheets.
/// </summary>
/// <param name="fileName">The file's name without extension ("Förderbericht_digitalpakt-2019-ni_2024-10-15").</param>
public sealed class ExportDocument(string fileName, ExportSheet main, params IReadOnlyList<ExportSheet> more) : IResult
{
    /// <summary>What Windows refuses in a file name.</summary>
    private const string ReservedInNames = "\\/:*?\"<>|";

    private static readonly Dictionary<char, string> Transliterations = new()
    {
        ['ä'] = "ae", ['ö'] = "oe", ['ü'] = "ue", ['Ä'] = "Ae", ['Ö'] = "Oe", ['Ü'] = "Ue", ['ß'] = "ss",
    };

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var format = httpContext.GetEndpoint()?.Metadata.GetMetadata<ExportFormatMetadata>()?.Format
            ?? throw new InvalidOperationException("An export answers on a route mapped with MapExport, which names its format.");
        var response = httpContext.Response;
        response.ContentType = format == ExportFormat.Csv ? $"{GermanExcelCsv.MediaType}; charset=utf-8" : XlsxWorkbook.MediaType;
        response.Headers.ContentDisposition = Attachment($"{fileName}.{format.Extension()}");
        if (format == ExportFormat.Csv)
        {
            await GermanExcelCsv.WriteAsync(response.Body, main, httpContext.RequestAborted);
        }
        else
        {
            await XlsxWorkbook.WriteAsync(response.Body, [main, .. more], httpContext.RequestAborted);
        }
    }

    /// <summary>
    /// <c>attachment</c> with the name twice (RFC 6266): <c>filename*</c> in UTF-8 for what every current browser reads, and
    /// <c>filename</c> in ASCII (umlauts written out, ä as ae) for the clients that read only that. The name is read as Unicode
    /// characters (runes), not UTF-16 units: a character beyond the first plane (an emoji) is two units, and half of one, which a
    /// query string can carry, is no character at all; either way it becomes _ where it cannot be written.
    /// </summary>
    internal static string Attachment(string fileName)
    {
        var name = new StringBuilder(fileName.Length);
        var ascii = new StringBuilder(fileName.Length);
        foreach (var rune in fileName.EnumerateRunes())
        {
            // EnumerateRunes reads half a surrogate pair as U+FFFD; control characters and what file systems refuse have no place in a name.
            if (rune == Rune.ReplacementChar || Rune.IsControl(rune) || (rune.IsAscii && ReservedInNames.Contains((char)rune.Value, StringComparison.Ordinal)))
            {
                name.Append('_');
                ascii.Append('_');
            }
            else
            {
                name.Append(rune.ToString());
                ascii.Append(Ascii(rune));
            }
        }

        return $"attachment; filename=\"{ascii}\"; filename*=UTF-8''{Uri.EscapeDataString(name.ToString())}";
    }

    /// <summary>The character in ASCII: itself, ä as ae, é as e (its letter without the accents), and _ for what has no Latin letter (an emoji).</summary>
    private static string Ascii(Rune rune)
    {
        if (rune.IsAscii)
        {
            return rune.ToString();
        }

        if (rune.IsBmp && Transliterations.TryGetValue((char)rune.Value, out var written))
        {
            return written;
        }

        return Rune.GetRuneAt(rune.ToString().Normalize(NormalizationForm.FormD), 0) is { IsAscii: true } letter ? letter.ToString() : "_";
    }
}
