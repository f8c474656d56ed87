using System.Net;
using System.Text.Json;

namespace Mep.OutsideIn.Tests.Console;

/// <summary>
/// Schools for the rollout pages' tests, arranged through Schools' API as a planner would (each test its own district, so a board
/// filtered to it shows exactly that test's schools).
/// </summary>
public sealed class RolloutTestSchools(HttpClient planner)
{
    public string District { get; } = $"Testbezirk {Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>The API's day (Europe/Berlin), from which a milestone's days late count.</summary>
    public static DateOnly Today =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).DateTime);

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static string GermanDay(DateOnly day) => day.ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A school in the MEP-standard plan in <paramref name="wave"/>; its id, number and name.</summary>
    public async Task<(Guid Id, string Number, string Name)> InPlanAsync(string name, int wave, int targetYear = 2027)
    {
        var number = TestSchoolNumbers.Next();
        var registered = await planner.PostAsync("/api/schools", Json.Body(SchoolsHttp.SchoolBody(number, name, district: District)));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var id = (await registered.ReadJsonAsync()).GetProperty("id").GetGuid();
        await PutOkAsync($"/api/schools/{id}/programmes", new
        {
            mepPilot = new { participates = false, since = (string?)null },
            mepStandard = new { status = "planned", wave, targetYear, joinedOn = (string?)null },
            portal = new { participates = false, onboardedOn = (string?)null },
            mobileLearning = new { participates = false, mdmEnrolledOn = (string?)null },
        });
        return (id, number, name);
    }

    public Task<JsonElement> PlanMilestoneAsync(Guid school, string milestone, DateOnly plannedOn, DateOnly? reachedOn = null) =>
        PutOkAsync($"/api/schools/{school}/rollout/milestones/{milestone}",
            new { plannedOn = Day(plannedOn), reachedOn = reachedOn is { } reached ? Day(reached) : null });

    public async Task<Guid> AddBuildingAsync(Guid school, string name)
    {
        var response = await planner.PostAsync($"/api/schools/{school}/buildings", Json.Body(new { name }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("id").GetGuid();
    }

    /// <summary>A room with its WLAN planned: <paramref name="accessPoints"/> access points, none installed yet.</summary>
    public async Task<Guid> AddRoomAsync(Guid school, Guid building, string number, string kind = "classroom", int accessPoints = 2,
        bool boardSystemPlanned = true)
    {
        var response = await planner.PostAsync($"/api/schools/{school}/buildings/{building}/rooms", Json.Body(new { number, kind }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var room = (await response.ReadJsonAsync()).GetProperty("id").GetGuid();
        await PutOkAsync($"/api/schools/{school}/rooms/{room}/rollout", new
        {
            wlan = "planned", accessPointsPlanned = accessPoints, accessPointsInstalled = 0, boardSystemPlanned, computerRoomReplacement = "notStarted",
        });
        return room;
    }

    public async Task<JsonElement> RolloutAsync(Guid school) => await (await planner.GetAsync($"/api/schools/{school}/rollout")).ReadJsonAsync();

    public async Task<JsonElement> PutOkAsync(string path, object body)
    {
        var response = await planner.PutAsync(path, Json.Body(body));
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.ReadJsonAsync();
    }
}
