using System.Text;
using Mep.Exports;

namespace Mep.ServiceDefaults.Tests;

/// <summary>
/// The one CSV writer every export goes through (<see cref="GermanExcelCsv"/>), alone: a text a spreadsheet would run as a formula is
/// written quoted after an apostrophe, so that Excel shows it as text, and numbers stay numbers.
/// </summary>
public sealed class GermanExcelCsvTests
{
    private sealed record Line(string? Text, decimal? Amount);

    private static readonly ExportTable<Line> Table = new ExportTable<Line>("Probe").Text("Text", l => l.Text).Money("Betrag", l => l.Amount);

    private static async Task<string[]> CsvLinesAsync(params Line[] lines)
    {
        using var stream = new MemoryStream();
        await GermanExcelCsv.WriteAsync(stream, Table.Of(lines), CancellationToken.None);
        var bytes = stream.ToArray();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        return Encoding.UTF8.GetString(bytes[3..]).Split("\r\n")[1..^1];
    }

    [Theory]
    [InlineData("=1+1", "\"'=1+1\"")]
    [InlineData("+49 511 123", "\"'+49 511 123\"")]
    [InlineData("-2+3", "\"'-2+3\"")]
    [InlineData("@SUM(A1:A9)", "\"'@SUM(A1:A9)\"")]
    [InlineData("=HYPERLINK(\"https://example.org\";\"GS\")", "\"'=HYPERLINK(\"\"https://example.org\"\";\"\"GS\"\")\"")]
    [InlineData("\t=1+1", "\"'\t=1+1\"")]
    [InlineData("\r=1+1", "\"'\r=1+1\"")]
    public async Task A_text_that_starts_like_a_formula_is_written_after_an_apostrophe(string text, string written)
    {
        var lines = await CsvLinesAsync(new Line(text, null));

        Assert.Equal(written + ";", string.Join("\r\n", lines));
    }

    [Fact]
    public async Task A_text_that_does_not_start_like_a_formula_is_written_as_it_is()
    {
        Assert.Equal(["GS Am Welfenplatz;", "1+1=2;", "'Zitat';"],
            await CsvLinesAsync(new Line("GS Am Welfenplatz", null), new Line("1+1=2", null), new Line("'Zitat'", null)));
    }

    [Fact]
    public async Task A_negative_amount_stays_a_number_without_an_apostrophe()
    {
        Assert.Equal([";-5000,00"], await CsvLinesAsync(new Line(null, -5_000.00m)));
    }
}
