using System.Net;
using System.Text.Json;

namespace Mep.OutsideIn.Tests.Console;

/// <summary>
/// Money at the console's school, arranged through Funding's API as finance and planners would: a measure in the city's MEP budget (a
/// programme without deadlines, so the figures do not depend on the day the tests run) applied for, approved, partly drawn and spent.
/// </summary>
internal static class FinanceArrange
{
    public const string Programme = "city-mep-budget";

    /// <summary>A new approved measure at the school; its figures add to whatever the school had in the programme.</summary>
    public static async Task<Guid> ApprovedMeasureAsync(HttpClient finance, Guid schoolId, decimal planned, decimal approved, decimal drawn, decimal spent)
    {
        var title = $"Konsole {Guid.NewGuid():N}"[..30];
        JsonElement created = default;
        // Funding hears of the school through the directory's events; until then an application for it is a 422.
        await Eventually.AssertAsync(async () =>
        {
            using var response = await finance.PostAsJsonAsync("/api/funding/applications", new
            {
                schoolId, programmeCode = Programme, category = "schoolWlan", title, description = "Access points im Neubau",
                plannedAmount = planned, measureStart = "2026-01-15",
            });
            if (response.StatusCode != HttpStatusCode.Created)
            {
                return false;
            }

            created = await response.Content.ReadFromJsonAsync<JsonElement>();
            return true;
        }, "Funding knows the console's school and takes an application for it", TimeSpan.FromSeconds(60));
        var id = created.GetProperty("id").GetGuid();
        await OkAsync(finance, $"/api/funding/applications/{id}/submit", null);
        await OkAsync(finance, $"/api/funding/applications/{id}/approve", new { approvedAmount = approved });
        await OkAsync(finance, $"/api/funding/applications/{id}/draws", new { amount = drawn, drawnOn = "2026-03-01", reference = $"NBank-{title[8..]}" });
        await OkAsync(finance, $"/api/funding/applications/{id}/expenditures", new
        {
            vendor = "Bechtle Hannover", invoiceNumber = $"RE-{title[8..]}", invoiceDate = "2026-02-20", amount = spent, category = "schoolWlan",
            deviceIds = Array.Empty<Guid>(), rolloutItemIds = Array.Empty<Guid>(),
        });
        return id;
    }

    /// <summary>The school's figures in the programme as the API's JSON report has them.</summary>
    public static async Task<JsonElement> SchoolRowAsync(HttpClient finance, Guid schoolId)
    {
        var report = await finance.GetFromJsonAsync<JsonElement>($"/api/funding/reports/schools?programme={Programme}");
        return report.GetProperty("schools").EnumerateArray().Single(s => s.GetProperty("schoolId").GetGuid() == schoolId);
    }

    private static async Task OkAsync(HttpClient client, string path, object? body)
    {
        using var response = body is null ? await client.PostAsync(path, content: null) : await client.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"Arranging: POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
