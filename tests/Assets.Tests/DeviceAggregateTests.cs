using Mep.Assets.Devices;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Errors;

namespace Mep.Assets.Tests;

/// <summary>The device's own rules, on the domain type alone: no database, no HTTP (the API tests cover the way there).</summary>
public sealed class DeviceAggregateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private static readonly Guid School = Guid.NewGuid();
    private static readonly Guid Room = Guid.NewGuid();

    private static DeviceFacts Facts(DeviceKind kind = DeviceKind.Tablet, TabletOwnership? ownership = TabletOwnership.SchoolClassSet,
        decimal? monthlyRate = null, int? months = null, Guid? boardSystem = null) =>
        new(kind, " Apple ", "iPad (10th generation)", Room, MdmState.Enrolled, null, new DateOnly(2026, 8, 1), 449m, null, null, 60,
            ownership, null, null, null, null, monthlyRate, months, " Leasing GmbH ", boardSystem, null);

    private static Device Registered(DeviceStatus status = DeviceStatus.InService, DeviceFacts? facts = null) =>
        Device.Register(Guid.NewGuid(), School, " c02x 1abc ", status, facts ?? Facts(), Now);

    [Fact]
    public void A_serial_number_is_kept_without_spaces_and_in_upper_case()
    {
        Assert.Equal("C02X1ABC", Registered().SerialNumber);
    }

    [Fact]
    public void Recorded_text_is_kept_without_surrounding_spaces()
    {
        var device = Registered();

        Assert.Equal(("Apple", "Leasing GmbH"), (device.Manufacturer, device.ContractProvider));
    }

    [Fact]
    public void A_device_does_not_enter_the_inventory_retired()
    {
        var refused = Assert.Throws<DomainRuleException>(() => Registered(DeviceStatus.Retired));

        Assert.Equal("device-register-retired", refused.Rule);
    }

    [Theory]
    [InlineData(DeviceStatus.Ordered, DeviceStatus.Delivered)]
    [InlineData(DeviceStatus.Delivered, DeviceStatus.InService)]
    [InlineData(DeviceStatus.InService, DeviceStatus.InRepair)]
    [InlineData(DeviceStatus.InRepair, DeviceStatus.InService)]
    [InlineData(DeviceStatus.Lost, DeviceStatus.InService)]
    [InlineData(DeviceStatus.InService, DeviceStatus.Retired)]
    public void An_allowed_status_change_is_made_and_dated(DeviceStatus from, DeviceStatus to)
    {
        var device = Registered(from == DeviceStatus.Lost ? DeviceStatus.InService : from);
        if (from == DeviceStatus.Lost)
        {
            device.ChangeStatus(DeviceStatus.Lost, Now);
        }

        device.ChangeStatus(to, Now.AddDays(1));

        Assert.Equal((to, Now.AddDays(1)), (device.Status, device.StatusChangedAt));
    }

    [Theory]
    [InlineData(DeviceStatus.Ordered, DeviceStatus.InService)]
    [InlineData(DeviceStatus.InService, DeviceStatus.Ordered)]
    [InlineData(DeviceStatus.InService, DeviceStatus.Delivered)]
    public void A_status_change_outside_the_lifecycle_is_refused_with_its_rule(DeviceStatus from, DeviceStatus to)
    {
        var device = Registered(from);

        var refused = Assert.Throws<DomainRuleException>(() => device.ChangeStatus(to, Now));

        Assert.Equal(("device-status-transition", false, from), (refused.Rule, refused.IsStateConflict, device.Status));
    }

    [Fact]
    public void Retired_is_final_and_a_change_from_it_is_a_state_conflict()
    {
        var device = Registered();
        device.ChangeStatus(DeviceStatus.Retired, Now);

        var refused = Assert.Throws<DomainRuleException>(() => device.ChangeStatus(DeviceStatus.InService, Now));

        Assert.Equal(("device-status-transition", true), (refused.Rule, refused.IsStateConflict));
    }

    [Fact]
    public void A_retired_part_frees_its_place_in_the_board_system()
    {
        var device = Registered(facts: Facts(DeviceKind.BoardSystemComponent, ownership: null, boardSystem: Guid.NewGuid()));

        device.ChangeStatus(DeviceStatus.Retired, Now);

        Assert.Null(device.BoardSystemId);
    }

    [Fact]
    public void A_retired_device_is_not_updated_moved_or_renamed()
    {
        var device = Registered();
        device.ChangeStatus(DeviceStatus.Retired, Now);

        Action[] changes =
        [
            () => device.Update(Facts(DeviceKind.ComputerRoomDevice), Now),
            () => device.MoveTo(School, null, Now),
            () => device.CorrectSerialNumber("NEW-1", Now),
        ];

        foreach (var change in changes)
        {
            var refused = Assert.Throws<DomainRuleException>(change);
            Assert.Equal(("device-retired", true), (refused.Rule, refused.IsStateConflict));
        }
    }

    [Fact]
    public void Recording_the_same_facts_again_is_no_update()
    {
        var device = Registered();

        Assert.False(device.Update(Facts(), Now.AddDays(1)));
    }

    [Fact]
    public void Recording_other_facts_is_an_update()
    {
        var device = Registered();

        Assert.Equal((true, DeviceKind.ComputerRoomDevice, Now.AddDays(1)), (device.Update(Facts(DeviceKind.ComputerRoomDevice), Now.AddDays(1)), device.Kind, device.UpdatedAt));
    }

    [Fact]
    public void Moving_to_another_room_leaves_the_rooms_board_system()
    {
        var device = Registered(facts: Facts(DeviceKind.BoardSystemComponent, ownership: null, boardSystem: Guid.NewGuid()));

        device.MoveTo(School, Guid.NewGuid(), Now);

        Assert.Null(device.BoardSystemId);
    }

    [Fact]
    public void Staying_in_its_room_keeps_the_board_system()
    {
        var board = Guid.NewGuid();
        var device = Registered(facts: Facts(DeviceKind.BoardSystemComponent, ownership: null, boardSystem: board));

        device.MoveTo(School, Room, Now);

        Assert.Equal(board, device.BoardSystemId);
    }

    [Fact]
    public void Only_a_parent_financed_pupil_tablet_with_a_rate_and_a_term_has_a_parents_contract()
    {
        var contracts = new[]
        {
            Registered(facts: Facts(ownership: TabletOwnership.ParentFinancedPupil, monthlyRate: 15m, months: 36)),
            Registered(facts: Facts(ownership: TabletOwnership.ParentFinancedPupil, monthlyRate: 15m)),
            Registered(facts: Facts(ownership: TabletOwnership.SchoolClassSet, monthlyRate: 15m, months: 36)),
            Registered(facts: Facts(DeviceKind.ComputerRoomDevice, ownership: TabletOwnership.ParentFinancedPupil, monthlyRate: 15m, months: 36)),
        }.Select(device => device.Financials.ParentContract);

        Assert.Equal([new ParentContract(15m, 36, "Leasing GmbH"), null, null, null], contracts);
    }
}
