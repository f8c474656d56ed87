using Mep.Contracts;
using Mep.Contracts.Assets;
using Mep.Contracts.Schools;

namespace Mep.Staffing.Tests;

/// <summary>
/// Events that change one replica row arrive together (a fresh ./mep up republishes the whole directory): every one is applied,
/// none is parked in an error queue, and the row ends in the newest state. The bus's retries are off: a race for a row is the
/// consumer's to resolve on the first delivery, not something the bus hides by redelivering until load makes it lose five times.
/// </summary>
public sealed class ConcurrentReplicaEventsTests : IAsyncLifetime
{
    private readonly StaffingApi _api = new();

    public async Task InitializeAsync()
    {
        _api.SwitchOffBusRetries();
        await ((IAsyncLifetime)_api).InitializeAsync();
    }

    public Task DisposeAsync() => ((IAsyncLifetime)_api).DisposeAsync();

    [Fact]
    public async Task Events_about_one_school_one_device_and_one_school_year_at_once_leave_the_newest_state_and_counts()
    {
        var start = DateTimeOffset.UtcNow;
        var (school, other) = ((await _api.SchoolAsync()).Id, (await _api.SchoolAsync()).Id);
        var (directory, device) = (Guid.NewGuid(), Guid.NewGuid());
        var events = new List<object>();
        for (var i = 0; i < 10; i++)
        {
            var at = start.AddSeconds(i);
            events.Add(i % 2 == 0
                ? new SchoolRegistered(directory, "71000", $"GY Version {i}", SchoolType.GY, $"District {i}", at)
                : new SchoolUpdated(directory, "71000", $"GY Version {i}", SchoolType.GY, $"District {i}", true, at));
            // The device goes back and forth between two schools; its newest state is at the other school, in service.
            events.Add(new DeviceUpdated(device, i % 2 == 0 ? school : other, null, StaffingApi.Classification(DeviceKind.ComputerRoomDevice), at));
            events.Add(new SchoolYearFiguresRecorded(directory, 2020, 500 + i, 40, 20, at));
        }

        await _api.DeliverAllAtOnceAsync([.. events.AsEnumerable().Reverse()], "/api/staffing");

        Assert.Equal(("District 9", 509), (await _api.Database.ScalarAsync<string>($"SELECT district FROM known_schools WHERE school_id = '{directory}'"),
            await _api.Database.ScalarAsync<int>($"SELECT pupils FROM known_school_years WHERE school_id = '{directory}' AND start_year = 2020")));
        Assert.Equal((0, 1), ((await _api.CountsAsync(school)).GetProperty("counts").GetProperty("computerRoomDevices").GetInt32(),
            (await _api.CountsAsync(other)).GetProperty("counts").GetProperty("computerRoomDevices").GetInt32()));
    }
}
