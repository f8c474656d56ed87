using System.Net;
using Mep.ServiceDefaults.Errors;

namespace Mep.Assets.Tests;

/// <summary>
/// The installation day as the service parsed it is not a field a caller sends: sent anyway (even with a NUL in it), it is refused
/// like any unknown or read-only field, not skipped without a word (the outside-in suite found parsedInstalledOn accepted).
/// </summary>
public sealed class ComputedFieldTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    [Fact]
    public async Task A_computed_field_sent_with_a_board_system_is_refused_and_nothing_is_set_up()
    {
        var school = await api.SchoolAsync();

        var response = await api.ClientFor(school).PostAsync("/api/assets/board-systems",
            Json.Body(new { roomId = school.Rooms[1], parsedInstalledOn = "2024-08-01" }));

        Assert.Equal(["$.parsedInstalledOn"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.MalformedRequest)).ErrorFields());
        Assert.Equal(0, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM board_systems WHERE school_id = '{school.Id}'"));
    }
}
