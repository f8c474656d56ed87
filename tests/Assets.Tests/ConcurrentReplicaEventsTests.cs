using Mep.Contracts;
using Mep.Contracts.Schools;

namespace Mep.Assets.Tests;

/// <summary>
/// Events that change one replica row arrive together (a fresh ./mep up republishes the whole directory): every one is applied,
/// none is parked in an error queue, and the row ends in the newest state. The bus's retries are off: a race for a row is the
/// consumer's to resolve on the first delivery, not something the bus hides by redelivering until load makes it lose five times.
/// </summary>
public sealed class ConcurrentReplicaEventsTests : IAsyncLifetime
{
    private readonly AssetsApi _api = new();

    public async Task InitializeAsync()
    {
        _api.SwitchOffBusRetries();
        await ((IAsyncLifetime)_api).InitializeAsync();
    }

    public Task DisposeAsync() => ((IAsyncLifetime)_api).DisposeAsync();

    [Fact]
    public async Task Events_about_one_school_and_one_room_at_once_leave_the_newest_state()
    {
        var start = DateTimeOffset.UtcNow;
        var (school, building, room) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var events = new List<object>();
        for (var i = 0; i < 10; i++)
        {
            var at = start.AddSeconds(i);
            events.Add(i % 2 == 0
                ? new SchoolRegistered(school, "41000", $"GY Version {i}", SchoolType.GY, $"District {i}", at)
                : new SchoolUpdated(school, "41000", $"GY Version {i}", SchoolType.GY, $"District {i}", true, at));
            events.Add(new RoomRecorded(school, building, room, "Hauptgebäude", $"H 0.{i:00}", i == 9 ? RoomKind.ComputerRoom : RoomKind.Classroom, at));
        }

        await _api.DeliverAllAtOnceAsync([.. events.AsEnumerable().Reverse()], "/api/assets");

        Assert.Equal(("District 9", true), (await _api.Database.ScalarAsync<string>($"SELECT district FROM known_schools WHERE school_id = '{school}'"),
            await _api.Database.ScalarAsync<bool>($"SELECT at_mep_standard FROM known_schools WHERE school_id = '{school}'")));
        Assert.Equal(("H 0.09", "ComputerRoom"), (await _api.Database.ScalarAsync<string>($"SELECT number FROM known_rooms WHERE room_id = '{room}'"),
            await _api.Database.ScalarAsync<string>($"SELECT kind FROM known_rooms WHERE room_id = '{room}'")));
    }
}
