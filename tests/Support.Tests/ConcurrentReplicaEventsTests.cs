using Mep.Contracts;
using Mep.Contracts.Assets;
using Mep.Contracts.Schools;

namespace Mep.Support.Tests;

/// <summary>
/// Events that change one replica row arrive together (a fresh ./mep up republishes the whole directory): every one is applied,
/// none is parked in an error queue, and the row ends in the newest state. The bus's retries are off: a race for a row is the
/// consumer's to resolve on the first delivery, not something the bus hides by redelivering until load makes it lose five times.
/// </summary>
public sealed class ConcurrentReplicaEventsTests : IAsyncLifetime
{
    private readonly SupportApi _api = new();

    public async Task InitializeAsync()
    {
        _api.SwitchOffBusRetries();
        await ((IAsyncLifetime)_api).InitializeAsync();
    }

    public Task DisposeAsync() => ((IAsyncLifetime)_api).DisposeAsync();

    [Fact]
    public async Task Events_about_one_school_one_device_and_one_room_at_once_leave_the_newest_state()
    {
        var start = DateTimeOffset.UtcNow;
        var (school, other, device, room) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var classification = new DeviceClassification(DeviceKind.Tablet, TabletOwnership.Teacher, null, null, null, null, DeviceStatus.InService);
        var events = new List<object>();
        for (var i = 0; i < 10; i++)
        {
            var at = start.AddSeconds(i);
            events.Add(i % 2 == 0
                ? new SchoolRegistered(school, "51000", $"GY Version {i}", SchoolType.GY, $"District {i}", at)
                : new SchoolUpdated(school, "51000", $"GY Version {i}", SchoolType.GY, $"District {i}", true, at));
            // None of these rows exists before: the first events race to insert it.
            events.Add(i % 2 == 0
                ? new DevicesRegistered(i == 8 ? other : school, [new RegisteredDevice(device, null, "SUP-CONCURRENT-1", classification)], at)
                : new DeviceMoved(device, other, school, null, null, at));
            events.Add(new RoomRecorded(school, Guid.Empty, room, "Hauptgebäude", $"H 0.{i:00}", RoomKind.Classroom, at));
        }

        await _api.DeliverAllAtOnceAsync([.. events.AsEnumerable().Reverse()], "/api/support");

        Assert.Equal("District 9", await _api.Database.ScalarAsync<string>($"SELECT district FROM known_schools WHERE school_id = '{school}'"));
        Assert.Equal(school.ToString(), await _api.Database.ScalarAsync<string>($"SELECT school_id::text FROM known_devices WHERE device_id = '{device}'"));
        Assert.Equal("H 0.09", await _api.Database.ScalarAsync<string>($"SELECT number FROM known_rooms WHERE room_id = '{room}'"));
    }
}
