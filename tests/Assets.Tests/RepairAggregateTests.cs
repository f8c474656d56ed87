using Mep.Assets.Devices;
using Mep.Assets.Repairs;
using Mep.Contracts.Assets;
using Mep.Contracts.Support;

namespace Mep.Assets.Tests;

/// <summary>The rules of <see cref="DeviceRepair"/>, Assets' record of a Support repair case, on the type alone: no database, no broker.</summary>
public sealed class RepairAggregateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly SentOn = new(2026, 11, 2);
    private static readonly DateOnly ClosedOn = new(2026, 11, 20);
    private static readonly Guid School = Guid.NewGuid();

    private static Device Tablet(DeviceStatus status = DeviceStatus.InService) =>
        Device.Register(Guid.NewGuid(), School, "REP-UNIT-1", status, new DeviceFacts(DeviceKind.Tablet, "Apple", "iPad", null, MdmState.NotEnrolled,
            null, null, null, null, FundingSource.TeacherLoanDevices, null, TabletOwnership.Teacher, null, null, null, null, null, null, null, null, null), Now);

    private static Device Tablet(TabletOwnership ownership, string? pupil = null) =>
        Device.Register(Guid.NewGuid(), School, "REP-UNIT-2", DeviceStatus.InService, new DeviceFacts(DeviceKind.Tablet, "Apple", "iPad", null,
            MdmState.NotEnrolled, null, null, null, null, null, null, ownership, pupil, null, null, null, null, null, null, null, null), Now);

    private static RepairStep Send(DeviceRepair repair, Device? device, bool replacementWanted = true) =>
        repair.Send(device?.Id ?? Guid.NewGuid(), School, SentOn, replacementWanted, device, Now, Now);

    private static RepairStep Close(DeviceRepair repair, Device? device, RepairOutcome outcome = RepairOutcome.Repaired) =>
        repair.Close(device?.Id ?? Guid.NewGuid(), School, outcome, ClosedOn, device, Now, Now);

    [Fact]
    public void Sending_puts_a_device_in_service_in_repair_and_names_its_status_before()
    {
        var device = Tablet();

        var step = Send(DeviceRepair.Track(Guid.NewGuid()), device);

        Assert.Equal((DeviceStatus.InService, null, DeviceStatus.InRepair), (step.DeviceWas, step.Skipped, device.Status));
    }

    [Fact]
    public void Sending_a_device_already_in_repair_leaves_it_so_and_still_awaits_the_replacement()
    {
        var device = Tablet(DeviceStatus.InService);
        device.ChangeStatus(DeviceStatus.InRepair, Now);
        var repair = DeviceRepair.Track(Guid.NewGuid());

        var step = Send(repair, device);

        Assert.Equal((null, null, true), (step.DeviceWas, step.Skipped, repair.AwaitsReplacement));
    }

    [Fact]
    public void A_second_send_of_the_case_changes_nothing()
    {
        var device = Tablet();
        var repair = DeviceRepair.Track(Guid.NewGuid());
        Send(repair, device);
        repair.ReplacementLent(Guid.NewGuid(), Now);

        var step = Send(repair, device);

        Assert.Equal(("repair-already-sent", RepairReplacement.Lent), (step.Skipped, repair.Replacement));
    }

    [Fact]
    public void A_send_after_the_close_changes_nothing_and_awaits_no_replacement()
    {
        var device = Tablet();
        var repair = DeviceRepair.Track(Guid.NewGuid());
        Close(repair, device);

        var step = Send(repair, device);

        Assert.Equal(("repair-closed-before-sent", DeviceStatus.InService, false), (step.Skipped, device.Status, repair.AwaitsReplacement));
        Assert.Equal("repair-closed-before-sent", repair.DeviceNotFollowed);
    }

    [Theory]
    [InlineData(DeviceStatus.Lost, "device-lost")]
    [InlineData(DeviceStatus.Retired, "device-retired")]
    [InlineData(DeviceStatus.Ordered, "device-status-transition")]
    public void A_device_that_cannot_go_in_repair_is_left_as_it_is_with_the_reason_and_no_replacement(DeviceStatus status, string rule)
    {
        var device = Tablet(status == DeviceStatus.Ordered ? DeviceStatus.Ordered : DeviceStatus.InService);
        if (status != DeviceStatus.Ordered)
        {
            device.ChangeStatus(status, Now);
        }

        var repair = DeviceRepair.Track(Guid.NewGuid());

        var step = Send(repair, device);

        Assert.Equal((rule, status, false), (step.Skipped, device.Status, repair.AwaitsReplacement));
        Assert.Equal(rule, repair.DeviceNotFollowed);
    }

    [Fact]
    public void A_device_assets_does_not_know_is_skipped()
    {
        Assert.Equal("device-unknown", Send(DeviceRepair.Track(Guid.NewGuid()), device: null).Skipped);
    }

    [Fact]
    public void Closing_as_repaired_puts_a_device_in_repair_back_in_service()
    {
        var device = Tablet();
        var repair = DeviceRepair.Track(Guid.NewGuid());
        Send(repair, device);

        var step = Close(repair, device);

        Assert.Equal((DeviceStatus.InRepair, DeviceStatus.InService), (step.DeviceWas, device.Status));
    }

    [Fact]
    public void Closing_as_repaired_leaves_a_device_no_longer_in_repair_as_it_is()
    {
        var device = Tablet();

        var step = Close(DeviceRepair.Track(Guid.NewGuid()), device);

        Assert.Equal((null, null, DeviceStatus.InService), (step.DeviceWas, step.Skipped, device.Status));
    }

    [Fact]
    public void Closing_as_written_off_retires_the_device()
    {
        var device = Tablet();
        var repair = DeviceRepair.Track(Guid.NewGuid());
        Send(repair, device);

        var step = Close(repair, device, RepairOutcome.WrittenOff);

        Assert.Equal((DeviceStatus.InRepair, DeviceStatus.Retired), (step.DeviceWas, device.Status));
    }

    [Fact]
    public void A_second_close_of_the_case_changes_nothing()
    {
        var device = Tablet();
        var repair = DeviceRepair.Track(Guid.NewGuid());
        Close(repair, device, RepairOutcome.WrittenOff);

        Assert.Equal("repair-already-closed", Close(repair, device, RepairOutcome.WrittenOff).Skipped);
    }

    [Fact]
    public void The_replacement_goes_back_once_when_the_device_is_back_in_service()
    {
        var device = Tablet();
        var repair = DeviceRepair.Track(Guid.NewGuid());
        var loan = Guid.NewGuid();
        Send(repair, device);
        repair.ReplacementLent(loan, Now);
        Close(repair, device);

        Assert.Equal(loan, repair.ReplacementToTakeBack(device.Status, Now));
        Assert.Equal((null, RepairReplacement.Returned), (repair.ReplacementToTakeBack(device.Status, Now), repair.Replacement));
    }

    [Fact]
    public void The_user_keeps_the_replacement_of_a_written_off_device()
    {
        var device = Tablet();
        var repair = DeviceRepair.Track(Guid.NewGuid());
        Send(repair, device);
        repair.ReplacementLent(Guid.NewGuid(), Now);
        Close(repair, device, RepairOutcome.WrittenOff);

        Assert.Equal((null, RepairReplacement.KeptByUser), (repair.ReplacementToTakeBack(device.Status, Now), repair.Replacement));
    }

    [Fact]
    public void Nothing_is_taken_back_while_the_case_is_open()
    {
        var device = Tablet();
        var repair = DeviceRepair.Track(Guid.NewGuid());
        Send(repair, device);
        repair.ReplacementLent(Guid.NewGuid(), Now);

        Assert.Null(repair.ReplacementToTakeBack(device.Status, Now));
        Assert.Equal(RepairReplacement.Lent, repair.Replacement);
    }

    [Fact]
    public void The_pupil_of_a_parent_financed_tablet_borrows_its_replacement()
    {
        Assert.Equal(new Loans.Borrower(BorrowerKind.Pupil, "P-0042"),
            ReplacementLoans.BorrowerOf(Tablet(TabletOwnership.ParentFinancedPupil, "P-0042"), activeLoan: null));
    }

    [Fact]
    public void A_teachers_own_tablet_is_replaced_under_a_reference_made_from_the_device()
    {
        var device = Tablet(TabletOwnership.Teacher);

        Assert.Equal(new Loans.Borrower(BorrowerKind.Teacher, $"DEVICE-{device.Id:N}"), ReplacementLoans.BorrowerOf(device, activeLoan: null));
    }

    [Theory]
    [InlineData(TabletOwnership.SchoolClassSet)]
    [InlineData(TabletOwnership.Loan)]
    public void A_device_without_a_personal_user_has_nobody_to_lend_a_replacement_to(TabletOwnership ownership)
    {
        Assert.Null(ReplacementLoans.BorrowerOf(Tablet(ownership), activeLoan: null));
    }

    [Fact]
    public void A_pupil_reference_the_loans_refuse_lends_no_replacement()
    {
        Assert.Null(ReplacementLoans.BorrowerOf(Tablet(TabletOwnership.ParentFinancedPupil, "PUPIL-ONLY-LETTERS"), activeLoan: null));
    }
}
