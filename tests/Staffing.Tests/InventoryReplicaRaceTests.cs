using Mep.Contracts.Assets;
using Mep.Staffing.Counts;
using Mep.Staffing.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.Staffing.Tests;

/// <summary>
/// Two events about one device that Staffing has not seen yet, applied in overlapping transactions (two consumers, or two
/// replicas of the service): whichever creates the device's row, the counts of every school the device is or was at end right.
/// The interleaving is forced with real transactions, so it happens on every run instead of once in a few hundred.
/// </summary>
public sealed class InventoryReplicaRaceTests(StaffingApi api) : IClassFixture<StaffingApi>
{
    private static readonly DateTimeOffset T0 = new(2026, 9, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_registration_waiting_behind_a_newer_move_that_created_the_row_recounts_the_school_the_device_moved_to()
    {
        var (from, to) = ((await api.SchoolAsync()).Id, (await api.SchoolAsync()).Id);
        var device = StaffingApi.Device(DeviceKind.ComputerRoomDevice);

        // The move arrives first and creates the row: the device is at "to", but of no known kind, so "to" counts nothing yet.
        // The older registration starts while the move is not committed, and has to wait for it.
        Task? registration = null;
        await InTransactionAsync(async moveDb =>
        {
            await InventoryReplica.ApplyDevicesAsync(moveDb, [DeviceFact.SchoolOnly(device.DeviceId, to, T0.AddMinutes(5))], [from], T0.AddHours(1),
                CancellationToken.None);
            registration = Task.Run(() => InTransactionAsync(db => InventoryReplica.ApplyDevicesAsync(db,
                [DeviceFact.Full(device.DeviceId, from, device.Classification, T0)], [], T0.AddHours(1), CancellationToken.None)));
            await Eventually.AssertAsync(async () => registration.IsCompleted || await api.Database.ScalarAsync<long>(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") > 0,
                "the registration waits for the move's transaction");
        });
        await registration!;

        // The registration brought the kind; the school stays the newer one, and it is that school which counts the device.
        var counts = ((await api.CountsAsync(from)).GetProperty("counts").GetProperty("computerRoomDevices").GetInt32(),
            (await api.CountsAsync(to)).GetProperty("counts").GetProperty("computerRoomDevices").GetInt32());
        Assert.Equal((0, 1), counts);
    }

    /// <summary>Runs the work in a transaction of its own on a context of its own, as a consumer does, and commits it.</summary>
    private async Task InTransactionAsync(Func<StaffingDbContext, Task> work)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StaffingDbContext>();
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await work(db);
            await transaction.CommitAsync();
        });
    }
}
