using Mep.Contracts;
using Mep.Contracts.Assets;
using Mep.Contracts.Schools;

namespace Mep.Funding.Tests;

/// <summary>
/// Events that change one replica row arrive together (a fresh ./mep up republishes the whole directory): every one is applied,
/// none is parked in an error queue, and the row ends in the newest state. The bus's retries are off: a race for a row is the
/// consumer's to resolve on the first delivery, not something the bus hides by redelivering until load makes it lose five times.
/// </summary>
public sealed class ConcurrentReplicaEventsTests : IAsyncLifetime
{
    private readonly FundingApi _api = new();

    public async Task InitializeAsync()
    {
        _api.SwitchOffBusRetries();
        await ((IAsyncLifetime)_api).InitializeAsync();
    }

    public Task DisposeAsync() => ((IAsyncLifetime)_api).DisposeAsync();

    [Fact]
    public async Task Figures_of_many_schools_at_once_recompute_every_base_amount_and_the_newest_figures_of_a_school_win()
    {
        // Every school's figures change the DigitalPakt programme's one allocation set row; the corrected school's ten versions also
        // change one school-year row. The newest of them (50 pupils) gives 25,000 EUR, every older one 30,000 EUR.
        var start = DateTimeOffset.UtcNow;
        var others = Enumerable.Range(0, 24).Select(_ => Guid.NewGuid()).ToList();
        var corrected = Guid.NewGuid();
        var versions = Enumerable.Range(0, 10)
            .Select(i => new SchoolYearFiguresRecorded(corrected, 2019, i == 9 ? 50 : 600 + i, 40, 20, start.AddSeconds(i)))
            .OrderBy(e => e.Pupils % 3).ToList();
        var figures = others.Select(id => new SchoolYearFiguresRecorded(id, 2019, 600, 40, 20, start)).Cast<object>().Concat(versions).ToList();

        await _api.DeliverAllAtOnceAsync(figures, "/api/funding");

        Assert.Equal(24L, await _api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM allocations WHERE programme_code = 'digitalpakt-2019-ni' AND base_amount = 30000 AND school_id IN ({string.Join(",", others.Select(id => $"'{id}'"))})"));
        Assert.Equal((50, 25_000.00m), (await _api.Database.ScalarAsync<int>($"SELECT pupils FROM known_school_years WHERE school_id = '{corrected}'"),
            await _api.Database.ScalarAsync<decimal>($"SELECT base_amount FROM allocations WHERE programme_code = 'digitalpakt-2019-ni' AND school_id = '{corrected}'")));
    }

    [Fact]
    public async Task Directory_and_device_events_about_one_row_at_once_leave_the_newest_state()
    {
        var start = DateTimeOffset.UtcNow;
        var school = Guid.NewGuid();
        var (device, from, to) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var schoolVersions = Enumerable.Range(0, 10).Select(i => (object)(i % 2 == 0
            ? new SchoolRegistered(school, "81000", $"GY Version {i}", SchoolType.GY, $"District {i}", start.AddSeconds(i))
            : new SchoolUpdated(school, "81000", $"GY Version {i}", SchoolType.GY, $"District {i}", i == 9, start.AddSeconds(i))));
        var deviceVersions = Enumerable.Range(0, 10).Select(i => (object)(i % 2 == 0
            ? new DeviceMoved(device, to, from, null, null, start.AddSeconds(i))
            : new DeviceStatusChanged(device, from, DeviceStatus.InService, i == 9 ? DeviceStatus.InRepair : DeviceStatus.InService, start.AddSeconds(i))));

        await _api.DeliverAllAtOnceAsync([.. schoolVersions.Concat(deviceVersions).Reverse()], "/api/funding");

        Assert.Equal(("District 9", true), (await _api.Database.ScalarAsync<string>($"SELECT district FROM known_schools WHERE school_id = '{school}'"),
            await _api.Database.ScalarAsync<bool>($"SELECT at_mep_standard FROM known_schools WHERE school_id = '{school}'")));
        Assert.Equal((from.ToString(), "InRepair"), (await _api.Database.ScalarAsync<string>($"SELECT school_id::text FROM known_devices WHERE device_id = '{device}'"),
            await _api.Database.ScalarAsync<string>($"SELECT status FROM known_devices WHERE device_id = '{device}'")));
    }
}
