using Mep.Contracts.Assets;
using Mep.Contracts.Support;
using Mep.ServiceDefaults.Errors;
using Mep.Support.Directory;
using Mep.Support.Repairs;
using Mep.Support.Routing;
using Mep.Support.Tickets;

namespace Mep.Support.Tests;

/// <summary>A repair case's rules on the domain type alone (no database): its device, the order of its days, once sent, final when closed.</summary>
public sealed class RepairCaseAggregateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 12, 7);
    private static readonly DateOnly OpenedOn = new(2026, 11, 2);
    private static readonly Guid School = Guid.NewGuid();
    private static readonly PayerDecision CityPays = new(RepairPayer.City, "city", "Out of warranty.", null);

    private static KnownDevice Device(TabletOwnership? ownership = TabletOwnership.Teacher, DeviceKind kind = DeviceKind.Tablet, Guid? school = null) =>
        new() { DeviceId = Guid.NewGuid(), SchoolId = school ?? School, SerialNumber = "DMPXK1", Kind = kind, Ownership = ownership };

    private static Ticket TicketFor(Guid? deviceId) => Ticket.Open(
        new TicketReport(School, "Frau Schulz", "it@gy.example", null, "device", null, deviceId, null, "iPad", "Display broken",
            Severity.Low, Severity.Medium, NeedsOnSite: false, SolvedBySchool: false),
        new TicketRoute(1, "service-desk", 1, 1), 7, "agent-anna", Now);

    private static RepairCase Opened(KnownDevice? device = null, PayerDecision? payer = null, int earlier = 0)
    {
        device ??= Device();
        return RepairCase.Open(TicketFor(device.DeviceId), device, " Display broken ", OpenedOn, Today, payer ?? CityPays, earlier, false, false,
            "agent-anna", Now);
    }

    private static DomainRuleException Refused(Action act) => Assert.Throws<DomainRuleException>(act);

    [Fact]
    public void A_case_is_for_the_device_its_ticket_reports()
    {
        var device = Device();

        var refusal = Refused(() => RepairCase.Open(TicketFor(Guid.NewGuid()), device, "x", OpenedOn, Today, CityPays, 0, false, false, "a", Now));

        Assert.Equal(("repair-device-not-the-tickets", "deviceId"), (refusal.Rule, refusal.Field));
    }

    [Fact]
    public void A_device_of_another_school_is_unknown_to_the_tickets_school()
    {
        var device = Device(school: Guid.NewGuid());

        var refusal = Refused(() => RepairCase.Open(TicketFor(null), device, "x", OpenedOn, Today, CityPays, 0, false, false, "a", Now));

        Assert.Equal(("device-unknown", "deviceId"), (refusal.Rule, refusal.Field));
    }

    [Fact]
    public void A_device_with_an_open_case_gets_no_second_one()
    {
        var device = Device();

        var refusal = Refused(() => RepairCase.Open(TicketFor(device.DeviceId), device, "x", OpenedOn, Today, CityPays, 0, false, true, "a", Now));

        Assert.Equal(("repair-case-open-for-device", true), (refusal.Rule, refusal.IsStateConflict));
    }

    [Fact]
    public void A_ticket_has_one_case()
    {
        var device = Device();

        var refusal = Refused(() => RepairCase.Open(TicketFor(device.DeviceId), device, "x", OpenedOn, Today, CityPays, 0, true, false, "a", Now));

        Assert.Equal(("repair-case-exists-for-ticket", true), (refusal.Rule, refusal.IsStateConflict));
    }

    [Fact]
    public void A_case_is_not_opened_on_a_day_still_to_come()
    {
        var device = Device();

        var refusal = Refused(() => RepairCase.Open(TicketFor(device.DeviceId), device, "x", Today.AddDays(1), Today, CityPays, 0, false, false, "a", Now));

        Assert.Equal(("repair-date-in-future", "openedOn"), (refusal.Rule, refusal.Field));
    }

    [Theory]
    [InlineData(TabletOwnership.ParentFinancedPupil, true)]
    [InlineData(TabletOwnership.Teacher, true)]
    [InlineData(TabletOwnership.Loan, true)]
    [InlineData(TabletOwnership.SchoolClassSet, false)]
    public void A_replacement_is_wanted_for_a_device_with_a_personal_user(TabletOwnership ownership, bool wanted)
    {
        Assert.Equal(wanted, Opened(Device(ownership)).ReplacementWanted);
    }

    [Fact]
    public void A_computer_room_device_wants_no_replacement()
    {
        Assert.False(Opened(Device(null, DeviceKind.ComputerRoomDevice)).ReplacementWanted);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void The_third_repair_within_twelve_months_is_flagged(int earlier, bool flagged)
    {
        Assert.Equal(flagged, Opened(earlier: earlier).RepeatRepair);
    }

    [Fact]
    public void Sending_tells_assets_the_payer_and_whether_a_replacement_is_wanted()
    {
        var repair = Opened(Device(TabletOwnership.Teacher));

        var sent = repair.SendTo(" Apple Service ", new DateOnly(2026, 11, 3), Today, Now);

        Assert.Equal(new DeviceSentForRepair(repair.Id, repair.TicketId, repair.DeviceId, School, RepairPayer.City, new DateOnly(2026, 11, 3), true, Now), sent);
        Assert.Equal((RepairStatus.Sent, "Apple Service"), (repair.Status, repair.SentTo));
    }

    [Fact]
    public void A_case_is_sent_once()
    {
        var repair = Opened();
        repair.SendTo("Apple", new DateOnly(2026, 11, 3), Today, Now);

        var refusal = Refused(() => repair.SendTo("Apple", new DateOnly(2026, 11, 4), Today, Now));

        Assert.Equal(("repair-already-sent", true), (refusal.Rule, refusal.IsStateConflict));
    }

    [Fact]
    public void Sending_before_the_case_was_opened_is_refused()
    {
        var refusal = Refused(() => Opened().SendTo("Apple", OpenedOn.AddDays(-1), Today, Now));

        Assert.Equal(("repair-date-before-previous", "sentOn"), (refusal.Rule, refusal.Field));
    }

    [Fact]
    public void Back_before_sent_is_refused()
    {
        var repair = Opened();
        repair.SendTo("Apple", new DateOnly(2026, 11, 10), Today, Now);

        var refusal = Refused(() => repair.ComeBack(new DateOnly(2026, 11, 9), Today));

        Assert.Equal(("repair-date-before-previous", "backOn"), (refusal.Rule, refusal.Field));
    }

    [Fact]
    public void Back_without_being_sent_is_a_state_conflict()
    {
        var refusal = Refused(() => Opened().ComeBack(new DateOnly(2026, 11, 9), Today));

        Assert.Equal(("repair-not-sent", true), (refusal.Rule, refusal.IsStateConflict));
    }

    [Fact]
    public void Days_out_of_service_run_from_sent_to_back()
    {
        var repair = Opened();
        repair.SendTo("Apple", new DateOnly(2026, 11, 3), Today, Now);
        repair.ComeBack(new DateOnly(2026, 11, 17), Today);

        Assert.Equal(14, repair.DaysOutOfService);
    }

    [Fact]
    public void Repaired_needs_the_device_back()
    {
        var repair = Opened();
        repair.SendTo("Apple", new DateOnly(2026, 11, 3), Today, Now);

        var refusal = Refused(() => repair.Close(RepairOutcome.Repaired, new DateOnly(2026, 11, 20), Today, Now));

        Assert.Equal(("repair-not-back", true), (refusal.Rule, refusal.IsStateConflict));
    }

    [Fact]
    public void A_device_not_worth_repairing_is_written_off_without_being_sent()
    {
        var repair = Opened();

        var closed = repair.Close(RepairOutcome.WrittenOff, OpenedOn, Today, Now);

        Assert.Equal(new RepairCaseClosed(repair.Id, repair.DeviceId, School, RepairOutcome.WrittenOff, OpenedOn, Now), closed);
    }

    [Fact]
    public void A_closed_case_is_final()
    {
        var repair = Opened();
        repair.Close(RepairOutcome.WrittenOff, OpenedOn, Today, Now);

        Assert.Equal("repair-case-closed", Refused(() => repair.SendTo("Apple", OpenedOn, Today, Now)).Rule);
        Assert.Equal("repair-case-closed", Refused(() => repair.Close(RepairOutcome.WrittenOff, OpenedOn, Today, Now)).Rule);
        Assert.Equal("repair-case-closed", Refused(() => repair.OverridePayer(RepairPayer.City, "x", "a", Now)).Rule);
    }

    [Fact]
    public void An_override_keeps_the_rules_payer_beside_it_with_who_and_why()
    {
        var repair = Opened();

        repair.OverridePayer(RepairPayer.ManufacturerWarranty, " Goodwill by the vendor ", "agent-anna", Now);

        Assert.Equal((RepairPayer.City, RepairPayer.ManufacturerWarranty, "agent-anna", "Goodwill by the vendor"),
            (repair.DecidedPayer, repair.Payer, repair.PayerOverriddenBy, repair.PayerOverrideReason));
    }

    [Fact]
    public void An_override_to_the_same_payer_is_refused()
    {
        Assert.Equal("repair-payer-unchanged", Refused(() => Opened().OverridePayer(RepairPayer.City, "x", "a", Now)).Rule);
    }

    [Fact]
    public void A_cost_against_the_schools_budget_goes_through_the_contractors_hours()
    {
        var repair = Opened(payer: new PayerDecision(RepairPayer.SchoolSystemSupportBudget, "school-budget", "Paid.", null));

        var refusal = Refused(() => repair.RecordCost(10m, "Display", OpenedOn, Today, "a", Now));

        Assert.Equal("repair-cost-through-contractor-hours", refusal.Rule);
    }

    [Fact]
    public void A_cost_is_recorded_against_the_cases_payer()
    {
        var repair = Opened(payer: new PayerDecision(RepairPayer.ParentsProvider, "parents-contract", "Provider.", null));

        var cost = repair.RecordCost(89.90m, " Display ", OpenedOn, Today, "agent-anna", Now);

        Assert.Equal((RepairPayer.ParentsProvider, 89.90m, "Display", repair.Id), (cost.Payer, cost.Amount, cost.Description, cost.RepairCaseId));
    }

    [Fact]
    public void Unavailable_news_that_arrives_after_the_replacement_does_not_undo_it()
    {
        var repair = Opened();
        var (device, loan) = (Guid.NewGuid(), Guid.NewGuid());

        repair.RecordReplacement(device, loan);
        repair.RecordReplacementUnavailable();

        Assert.Equal((device, loan, false), (repair.ReplacementDeviceId, repair.ReplacementLoanId, repair.ReplacementUnavailable));
    }

    [Fact]
    public void The_return_of_another_loan_leaves_the_replacement_out()
    {
        var repair = Opened();
        repair.RecordReplacement(Guid.NewGuid(), Guid.NewGuid());

        repair.RecordReplacementReturned(Guid.NewGuid(), Guid.NewGuid(), new DateOnly(2026, 11, 20));

        Assert.Null(repair.ReplacementReturnedOn);
    }

    [Fact]
    public void A_return_heard_before_its_hand_out_stays_returned_when_the_hand_out_arrives()
    {
        var repair = Opened();
        var (device, loan) = (Guid.NewGuid(), Guid.NewGuid());

        repair.RecordReplacementReturned(loan, device, new DateOnly(2026, 11, 20));
        repair.RecordReplacement(device, loan);

        Assert.Equal((device, loan, (DateOnly?)new DateOnly(2026, 11, 20)), (repair.ReplacementDeviceId, repair.ReplacementLoanId, repair.ReplacementReturnedOn));
    }
}
