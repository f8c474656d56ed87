using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;

namespace Mep.OutsideIn.Tests.Console;

/// <summary>
/// Finance downloads the per-school report through the console: the file is the API's own (the same bytes, type and name the API gives
/// finance directly), so the arranged school's figures in it are exactly the API's.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class FinanceDownloadTests(ConsolePlatform platform)
{

    [Fact]
    public async Task Finance_downloads_the_report_as_CSV_through_the_console_and_the_arranged_schools_row_is_the_APIs()
    {
        using var finance = platform.StaffClient("finance");
        await FinanceArrange.ApprovedMeasureAsync(finance, platform.SchoolId, planned: 10_000.00m, approved: 11_000.00m, drawn: 4_000.00m, spent: 3_456.78m);
        await using var session = await platform.SignInAsync(ConsolePeople.Finance);

        var (name, bytes) = await DownloadAsync(session.Page, "Förderbericht als CSV herunterladen");

        using var fromApi = await finance.GetAsync(ReportApi("csv"));
        var apiLines = await ExportFiles.CsvLinesAsync(fromApi);
        Assert.Equal(ExportFiles.FileName(fromApi).Name, name);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        Assert.Equal(apiLines[0], lines[0]);
        Assert.Equal(apiLines.Length, lines.Length);
        var schoolLine = Assert.Single(lines, l => l.StartsWith(platform.SchoolNumber + ";", StringComparison.Ordinal));
        Assert.Equal(Assert.Single(apiLines, l => l.StartsWith(platform.SchoolNumber + ";", StringComparison.Ordinal)), schoolLine);
        // And the figures are the JSON report's: allocated, approved (gross), spent, drawn, open, in the columns the header names.
        var row = await FinanceArrange.SchoolRowAsync(finance, platform.SchoolId);
        var header = lines[0].Split(';');
        var cells = schoolLine.Split(';');
        string Cell(string column) => cells[Array.IndexOf(header, column)];
        static string German(decimal amount) => amount.ToString("0.00", System.Globalization.CultureInfo.GetCultureInfo("de-DE"));
        Assert.Equal(
            [German(row.GetProperty("allocated").GetDecimal()), German(row.GetProperty("approved").GetDecimal()), German(row.GetProperty("spent").GetDecimal()),
                German(row.GetProperty("drawn").GetDecimal()), German(row.GetProperty("approvedNotDrawn").GetDecimal())],
            new[] { Cell("Zuweisung"), Cell("Bewilligt (brutto)"), Cell("Ausgegeben"), Cell("Abgerufen"), Cell("Bewilligt, nicht abgerufen (brutto)") });
    }

    [Fact]
    public async Task Finance_downloads_the_report_as_XLSX_through_the_console_and_the_arranged_schools_row_is_the_APIs()
    {
        using var finance = platform.StaffClient("finance");
        await FinanceArrange.ApprovedMeasureAsync(finance, platform.SchoolId, planned: 2_000.00m, approved: 2_400.00m, drawn: 1_000.00m, spent: 999.99m);
        await using var session = await platform.SignInAsync(ConsolePeople.Finance);

        var (name, bytes) = await DownloadAsync(session.Page, "Förderbericht als Excel-Datei (XLSX) herunterladen");

        using var fromApi = await finance.GetAsync(ReportApi("xlsx"));
        var apiSheets = await ExportFiles.WorkbookAsync(fromApi);
        Assert.Equal(ExportFiles.FileName(fromApi).Name, name);
        using var passedOn = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new ByteArrayContent(bytes) };
        passedOn.Content.Headers.ContentType = new MediaTypeHeaderValue(ExportFiles.XlsxMediaType);
        var sheets = await ExportFiles.WorkbookAsync(passedOn);
        Assert.Equal(apiSheets.Select(s => (s.Name, s.Rows.Count)), sheets.Select(s => (s.Name, s.Rows.Count)));
        Assert.Equal(apiSheets[0].Header, sheets[0].Header);
        var schoolRow = Assert.Single(sheets[0].Rows, r => r[0].Text == platform.SchoolNumber);
        var apiRow = Assert.Single(apiSheets[0].Rows, r => r[0].Text == platform.SchoolNumber);
        Assert.Equal(apiRow.Select(c => (c.Text, c.Number)), schoolRow.Select(c => (c.Text, c.Number)));
        var row = await FinanceArrange.SchoolRowAsync(finance, platform.SchoolId);
        decimal? Cell(string column) => schoolRow[sheets[0].Header.ToList().IndexOf(column)].Number;
        Assert.Equal(
            (row.GetProperty("allocated").GetDecimal(), row.GetProperty("approved").GetDecimal(), row.GetProperty("spent").GetDecimal(),
                row.GetProperty("drawn").GetDecimal()),
            (Cell("Zuweisung")!.Value, Cell("Bewilligt (brutto)")!.Value, Cell("Ausgegeben")!.Value, Cell("Abgerufen")!.Value));
    }

    [Fact]
    public async Task The_consoles_report_file_keeps_the_APIs_content_type_and_file_name()
    {
        using var finance = platform.StaffClient("finance");
        await using var session = await platform.SignInAsync(ConsolePeople.Finance);

        foreach (var format in new[] { "csv", "xlsx" })
        {
            var console = await session.Page.Context.APIRequest.GetAsync($"/finanzen/dateien/foerderbericht.{format}?programm={FinanceArrange.Programme}");
            using var api = await finance.GetAsync(ReportApi(format));

            Assert.Equal(200, console.Status);
            Assert.Equal(api.Content.Headers.ContentType?.ToString(), console.Headers["content-type"]);
            Assert.Equal(api.Content.Headers.ContentDisposition?.ToString(), console.Headers["content-disposition"]);
        }
    }

    [Fact]
    public async Task A_person_without_the_finance_role_gets_no_report_file_from_the_console()
    {
        await using var session = await platform.SignInAsync(ConsolePeople.SchoolContact);

        var answer = await session.Page.Context.APIRequest.GetAsync($"/finanzen/dateien/foerderbericht.csv?programm={FinanceArrange.Programme}");

        Assert.Equal(403, answer.Status);
        Assert.Contains("Kein Zugriff", await answer.TextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("Zuweisung", await answer.TextAsync(), StringComparison.Ordinal);
    }

    private static string ReportApi(string format) => $"/api/funding/reports/schools.{format}?programme={FinanceArrange.Programme}";

    /// <summary>Opens the overview for the arranged programme and clicks the link, as finance does; the browser's file.</summary>
    private static async Task<(string Name, byte[] Bytes)> DownloadAsync(IPage page, string link)
    {
        await page.GotoAsync($"/finanzen?programm={FinanceArrange.Programme}");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = link }).ClickAsync());
        await using var stream = await download.CreateReadStreamAsync();
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return (download.SuggestedFilename, copy.ToArray());
    }
}
