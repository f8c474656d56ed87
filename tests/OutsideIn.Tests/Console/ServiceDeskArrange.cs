using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Mep.OutsideIn.Tests.Console;

/// <summary>
/// The service desk tests' data, arranged through the APIs with staff tokens: rooms at the console's school (once Support knows
/// them), tickets, knowledge-base articles; and each ticket read back as the API has it.
/// </summary>
internal sealed class ServiceDeskArrange(ConsolePlatform platform)
{
    private readonly HttpClient _planner = platform.StaffClient("planner");
    private readonly HttpClient _agent = platform.StaffClient("agent");

    /// <summary>The agent's client the checks read the API with.</summary>
    public HttpClient Agent => _agent;

    /// <summary>A word no other test uses, to name and find this test's tickets and articles.</summary>
    public static string UniqueWord(string stem) => stem + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A new room at the console's school, in a new building; returned once Support's directory knows it (a ticket can name it).</summary>
    public async Task<(Guid Id, string Building, string Number)> RoomAsync()
    {
        var building = "Haus " + UniqueWord("B");
        var buildingId = (await CreatedAsync(_planner, $"/api/schools/{platform.SchoolId}/buildings", new { name = building })).GetProperty("id").GetGuid();
        var number = "R " + Random.Shared.Next(100, 999).ToString(CultureInfo.InvariantCulture);
        var room = (await CreatedAsync(_planner, $"/api/schools/{platform.SchoolId}/buildings/{buildingId}/rooms", new { number, kind = "classroom" }))
            .GetProperty("id").GetGuid();
        // A fault the school solved itself is closed at once: it proves Support knows the room without adding to anyone's queue.
        await Eventually.AssertAsync(async () =>
        {
            var response = await _agent.PostAsync("/api/support/tickets", Json.Body(Report(platform.SchoolNumber, "printer", "Raumprobe", room) with { SolvedBySchool = true }));
            return response.StatusCode == HttpStatusCode.Created;
        }, "Support knows the new room", TimeSpan.FromSeconds(30));
        return (room, building, number);
    }

    /// <summary>An open mail ticket at the console's school, opened by the service desk through the API.</summary>
    public async Task<JsonElement> TicketAsync(string title) =>
        await CreatedAsync(_agent, "/api/support/tickets", Report(platform.SchoolNumber, "mail", title, roomId: null));

    public async Task<JsonElement> ArticleAsync(string title, string body) =>
        await CreatedAsync(_agent, "/api/support/knowledge/articles", new { title, body, category = (string?)null });

    public async Task<JsonElement> TicketByNumberAsync(long number)
    {
        var response = await _agent.GetAsync($"/api/support/tickets/by-number/{number}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    public async Task<JsonElement> HistoryAsync(Guid ticket)
    {
        var response = await _agent.GetAsync($"/api/support/tickets/{ticket}/history");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private static async Task<JsonElement> CreatedAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsync(path, Json.Body(body));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.ReadJsonAsync();
    }

    private static TicketReport Report(string schoolNumber, string category, string title, Guid? roomId) =>
        new(schoolNumber, roomId, category, title, "Seit heute Morgen, im ganzen Haus.", "medium", "medium", "Herr Meier", "meier@schule.example", null);

    private sealed record TicketReport(
        string SchoolNumber, Guid? RoomId, string Category, string Title, string Description, string Impact, string Urgency, string ReporterName,
        string ReporterEmail, bool? SolvedBySchool);
}
