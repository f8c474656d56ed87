using Mep.Console.Platform;
using Mep.Console.SignIn;

namespace Mep.Console.Finance;

/// <summary>
/// Finance's files (the per-school report, a cost table) as CSV and XLSX: the console asks Funding with the person's token and passes the
/// API's own file on unchanged, with its content type and file name, so what finance opens is exactly what the API wrote.
/// </summary>
public static class FinanceDownloads
{
    private const string Prefix = "/finanzen/dateien";
    private static readonly string[] Formats = ["csv", "xlsx"];

    /// <summary>The per-school report of a programme (all schools, or those at deadline risk).</summary>
    public static string ReportPath(string format, string programme, bool? atRiskOnly) =>
        $"{Prefix}/foerderbericht.{format}?programm={Uri.EscapeDataString(programme)}" + (atRiskOnly == true ? "&nurGefaehrdet=true" : string.Empty);

    public static string CostTablePath(string format, string code) => $"{Prefix}/kostentabelle/{Uri.EscapeDataString(code)}.{format}";

    public static IEndpointRouteBuilder MapFinanceDownloads(this IEndpointRouteBuilder app)
    {
        var files = app.MapGroup(Prefix).RequireAuthorization(ConsoleAreas.Finance).ExcludeFromDescription();
        foreach (var format in Formats)
        {
            files.MapGet($"/foerderbericht.{format}", (string? programm, bool? nurGefaehrdet, PlatformApi api, HttpContext http) =>
                string.IsNullOrWhiteSpace(programm)
                    ? Task.FromResult(Results.StatusCode(StatusCodes.Status400BadRequest))
                    : PassOnAsync(api, $"/api/funding/reports/schools.{format}?programme={Uri.EscapeDataString(programm.Trim())}"
                        + (nurGefaehrdet == true ? "&atRiskOnly=true" : string.Empty), http));
            files.MapGet($"/kostentabelle/{{code}}.{format}", (string code, PlatformApi api, HttpContext http) =>
                PassOnAsync(api, $"/api/funding/cost-tables/{Uri.EscapeDataString(code)}/{format}", http));
        }

        return app;
    }

    /// <summary>
    /// The API's file as it came; a refusal becomes the console's own page for its status (the API's problem document is for programs,
    /// not for a person who clicked a link).
    /// </summary>
    private static async Task<IResult> PassOnAsync(PlatformApi api, string path, HttpContext http)
    {
        HttpResponseMessage answer;
        try
        {
            answer = await api.DownloadAsync(path, http.RequestAborted);
        }
        catch (HttpRequestException)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        http.Response.RegisterForDispose(answer);
        if (!answer.IsSuccessStatusCode)
        {
            return Results.StatusCode((int)answer.StatusCode);
        }

        // Figures of schools' money: no cache on the way keeps a copy.
        http.Response.Headers.CacheControl = "no-store";
        if (answer.Content.Headers.ContentDisposition is { } disposition)
        {
            http.Response.Headers.ContentDisposition = disposition.ToString();
        }

        return Results.Stream(await answer.Content.ReadAsStreamAsync(http.RequestAborted),
            answer.Content.Headers.ContentType?.ToString() ?? "application/octet-stream");
    }
}
