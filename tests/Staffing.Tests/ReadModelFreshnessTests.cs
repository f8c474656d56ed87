using Mep.Contracts.Assets;

namespace Mep.Staffing.Tests;

/// <summary>Answers built from replicas fed by events say how fresh they are: the time the last event was applied.</summary>
public sealed class ReadModelFreshnessTests(StaffingApi api) : IClassFixture<StaffingApi>
{
    [Fact]
    public async Task Counts_carry_the_time_the_last_event_was_applied_and_the_operator_view_shows_it_per_consumer()
    {
        var school = (await api.SchoolAsync()).Id;
        await api.PublishAsync(new DevicesRegistered(school, [.. StaffingApi.Many(3, DeviceKind.ComputerRoomDevice)], DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () => (await api.CountsAsync(school)).GetProperty("counts").GetProperty("computerRoomDevices").GetInt32() == 3,
            "the devices are counted");
        var lastApplied = (await api.Database.ScalarAsync<DateTime>("SELECT max(processed_at) FROM inbox_messages")).ToString("O",
            System.Globalization.CultureInfo.InvariantCulture);
        var lastRegistration = (await api.Database.ScalarAsync<DateTime>(
            "SELECT max(processed_at) FROM inbox_messages WHERE consumer = 'staffing/devices-registered'")).ToString("O",
            System.Globalization.CultureInfo.InvariantCulture);

        // The header's value is read at most once a second, so it reaches the newest applied event within that.
        await Eventually.AssertAsync(async () =>
        {
            var response = await api.Planner.GetAsync($"/api/staffing/counts/{school}");
            return response.Headers.TryGetValues("Mep-Last-Event-Applied-At", out var values) && values.Single() == lastApplied;
        }, "the counts carry the time the last event was applied");
        var operations = await StaffingApi.GetOkAsync(api.Admin, "/api/staffing/admin/operations");
        var readModels = operations.GetProperty("readModels");
        Assert.Equal(lastApplied, readModels.GetProperty("lastEventAppliedAt").GetDateTimeOffset().UtcDateTime.ToString("O",
            System.Globalization.CultureInfo.InvariantCulture));
        var registrations = readModels.GetProperty("byConsumer").EnumerateArray().Single(c => c.GetProperty("consumer").GetString() == "staffing/devices-registered");
        Assert.Equal(lastRegistration, registrations.GetProperty("lastAppliedAt").GetDateTimeOffset().UtcDateTime.ToString("O",
            System.Globalization.CultureInfo.InvariantCulture));
    }
}
