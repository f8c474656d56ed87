using System.Text;

namespace Mep.Exports;

/// <summary>
/// An export as an answer: the file in the format of the route that was asked (<see cref="ExportEndpoints.MapExport"/>), as an
/// attachment under a German file name. The CSV holds the main sheet; the workbook holds it and the further sheets.
/// </summary>
/// <param name="fileName">The file's name without extension ("Förderbericht_digitalpakt-2019-ni_2024-10-15").</param>
public sealed class ExportDocument(string fileName, ExportSheet main, params IReadOnlyList<ExportSheet> more) : IResult
{
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
    /// <c>filename</c> in ASCII (umlauts written out, ä as ae) for the clients that read only that.
    /// </summary>
    internal static string Attachment(string fileName)
    {
        var name = new string([.. fileName.Select(c => char.IsControl(c) || "\\/:*?\"<>|".Contains(c, StringComparison.Ordinal) ? '_' : c)]);
        return $"attachment; filename=\"{Ascii(name)}\"; filename*=UTF-8''{Uri.EscapeDataString(name)}";
    }

    private static string Ascii(string name)
    {
        var ascii = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (Transliterations.TryGetValue(c, out var written))
            {
                ascii.Append(written);
            }
            else
            {
                // é becomes e; what has no Latin letter under its accents becomes _.
                var letter = c.ToString().Normalize(NormalizationForm.FormD)[0];
                ascii.Append(letter < 128 ? letter : '_');
            }
        }

        return ascii.ToString();
    }
}
