using System.Text.Json;
using Mep.Contracts.Assets;
using Mep.Contracts.Support;

namespace Mep.Staffing.Tests;

/// <summary>
/// What loans and repairs change in the counts, from exactly the events Assets and Support publish for them: a lost or
/// stolen loan device and a written-off device stop counting, a device that went along with its borrower counts at the new school,
/// and a device away for repair still counts (it is still supported). Staffing reads the device events; the loan and repair events
/// beside them it does not need.
/// </summary>
public sealed class LoanEffectsTests(StaffingApi api) : IClassFixture<StaffingApi>
{
    private static readonly DateTimeOffset T0 = new(2026, 9, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(T0.UtcDateTime);

    private static RegisteredDevice LoanTablet() =>
        new(Guid.NewGuid(), null, $"L-{Guid.NewGuid():N}"[..14], StaffingApi.Classification(DeviceKind.Tablet, TabletOwnership.Loan) with
        {
            FundingSource = FundingSource.ImmediateEquipmentLoan,
        });

    private static (int Loan, int Teacher) Counts(JsonElement response) =>
        (response.GetProperty("counts").GetProperty("loanTablets").GetInt32(), response.GetProperty("counts").GetProperty("teacherTablets").GetInt32());

    /// <summary>A school with <paramref name="count"/> loan tablets of the immediate-equipment programme, all lent out.</summary>
    private async Task<(Guid School, RegisteredDevice[] Devices, LentDevice[] Loans)> LentOutAsync(int count)
    {
        var school = (await api.SchoolAsync()).Id;
        var devices = Enumerable.Range(0, count).Select(_ => LoanTablet()).ToArray();
        var loans = devices.Select(d => new LentDevice(Guid.NewGuid(), d.DeviceId, FundingSource.ImmediateEquipmentLoan, BorrowerKind.Pupil, Today,
            Today.AddMonths(10), null)).ToArray();
        await api.PublishAsync(new DevicesRegistered(school, devices, T0));
        await api.PublishAsync(new DevicesLent(school, loans, T0.AddMinutes(1)));
        await Eventually.AssertAsync(async () => Counts(await api.CountsAsync(school)).Loan == count, $"school {school} counts {count} loan tablets");
        return (school, devices, loans);
    }

    /// <summary>
    /// Publishes what a service publishes for one step, in order, and waits until Staffing applied the device events among them (the
    /// loan and repair events have no consumer here).
    /// </summary>
    private async Task PublishStepAsync(params object[] messages)
    {
        var applied = new List<Guid>();
        foreach (var message in messages)
        {
            var id = Guid.NewGuid();
            await api.PublishAsync((dynamic)message, id);
            if (message is DeviceStatusChanged or DeviceMoved or DeviceRetired)
            {
                applied.Add(id);
            }
        }

        var ids = string.Join(",", applied.Select(id => $"'{id}'"));
        await Eventually.AssertAsync(async () => await api.Database.ScalarAsync<long>($"SELECT count(*) FROM inbox_messages WHERE message_id IN ({ids})")
            == applied.Count, $"Staffing applied {applied.Count} device events");
    }

    [Fact]
    public async Task A_lost_loan_device_and_a_stolen_one_stop_counting_at_their_school()
    {
        var (school, devices, loans) = await LentOutAsync(3);

        await PublishStepAsync(
            new LoanLost(loans[0].LoanId, devices[0].DeviceId, school, LossKind.Lost, Today, T0.AddDays(5)),
            new DeviceStatusChanged(devices[0].DeviceId, school, DeviceStatus.InService, DeviceStatus.Lost, T0.AddDays(5)),
            new LoanLost(loans[1].LoanId, devices[1].DeviceId, school, LossKind.Stolen, Today, T0.AddDays(6)),
            new DeviceStatusChanged(devices[1].DeviceId, school, DeviceStatus.InService, DeviceStatus.Lost, T0.AddDays(6)));

        Assert.Equal((1, 0), Counts(await api.CountsAsync(school)));
    }

    [Fact]
    public async Task A_loan_device_that_went_along_with_its_pupil_counts_at_the_new_school()
    {
        var (from, devices, loans) = await LentOutAsync(2);
        var to = (await api.SchoolAsync()).Id;

        await PublishStepAsync(
            new LoanTransferred(loans[0].LoanId, Guid.NewGuid(), devices[0].DeviceId, from, to, Today.AddDays(30), T0.AddDays(30)),
            new DeviceMoved(devices[0].DeviceId, from, to, null, null, T0.AddDays(30)));

        Assert.Equal(((1, 0), (1, 0)), (Counts(await api.CountsAsync(from)), Counts(await api.CountsAsync(to))));
    }

    [Fact]
    public async Task A_device_away_for_repair_still_counts_and_so_does_the_replacement_lent_meanwhile()
    {
        var school = (await api.SchoolAsync()).Id;
        var teacherTablet = StaffingApi.Device(DeviceKind.Tablet, TabletOwnership.Teacher);
        var replacement = LoanTablet();
        await api.PublishAsync(new DevicesRegistered(school, [teacherTablet, replacement], T0));
        await Eventually.AssertAsync(async () => Counts(await api.CountsAsync(school)) == (1, 1), "the teacher tablet and the loan tablet count");
        var repairCase = Guid.NewGuid();

        await PublishStepAsync(
            new DeviceSentForRepair(repairCase, Guid.NewGuid(), teacherTablet.DeviceId, school, RepairPayer.ManufacturerWarranty, Today, true, T0.AddDays(1)),
            new DeviceStatusChanged(teacherTablet.DeviceId, school, DeviceStatus.InService, DeviceStatus.InRepair, T0.AddDays(1)),
            new DevicesLent(school, [new LentDevice(Guid.NewGuid(), replacement.DeviceId, FundingSource.ImmediateEquipmentLoan, BorrowerKind.Teacher, Today,
                Today.AddDays(14), repairCase)], T0.AddDays(1)));

        Assert.Equal((1, 1), Counts(await api.CountsAsync(school)));
    }

    [Fact]
    public async Task A_device_written_off_after_its_repair_stops_counting()
    {
        var (school, devices, _) = await LentOutAsync(2);
        var repairCase = Guid.NewGuid();
        await PublishStepAsync(
            new DeviceSentForRepair(repairCase, Guid.NewGuid(), devices[0].DeviceId, school, RepairPayer.City, Today, false, T0.AddDays(1)),
            new DeviceStatusChanged(devices[0].DeviceId, school, DeviceStatus.InService, DeviceStatus.InRepair, T0.AddDays(1)));

        await PublishStepAsync(
            new RepairCaseClosed(repairCase, devices[0].DeviceId, school, RepairOutcome.WrittenOff, Today.AddDays(10), T0.AddDays(10)),
            new DeviceStatusChanged(devices[0].DeviceId, school, DeviceStatus.InRepair, DeviceStatus.Retired, T0.AddDays(10)),
            new DeviceRetired(devices[0].DeviceId, school, T0.AddDays(10)));

        Assert.Equal((1, 0), Counts(await api.CountsAsync(school)));
    }
}
