using Mep.Assets.Devices;
using Mep.Assets.Loans;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Errors;

namespace Mep.Assets.Tests;

/// <summary>The loan's own rules, on the domain types alone: no database, no HTTP (LoanTests cover the way there).</summary>
public sealed class LoanAggregateTests
{
    private static readonly DateTimeOffset Now = new(2026, 9, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>The end of the school year: returns, losses and transfers are recorded after they happened.</summary>
    private static readonly DateTimeOffset EndOfYear = new(2027, 7, 31, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly LentOn = new(2026, 9, 1);
    private static readonly Guid School = Guid.NewGuid();

    private static readonly LoanProgrammeRule Immediate = new(FundingSource.ImmediateEquipmentLoan, true, false, 1095, "pupils");
    private static readonly LoanProgrammeRule Teachers = new(FundingSource.TeacherLoanDevices, false, true, 1825, "teachers");
    private static readonly LoanProgrammeRule Parents = new(FundingSource.ParentFinanced, false, false, null, "never");

    private static Device Tablet(FundingSource? programme = FundingSource.ImmediateEquipmentLoan, DeviceStatus status = DeviceStatus.InService,
        TabletOwnership ownership = TabletOwnership.Loan) =>
        Device.Register(Guid.NewGuid(), School, "LOAN-1", status,
            new DeviceFacts(DeviceKind.Tablet, "Apple", "iPad", null, MdmState.NotEnrolled, null, null, null, null, programme, null, ownership,
                null, null, null, null, null, null, null, null, null), Now);

    private static LoanHandOut HandOut(DateOnly? dueBack = null, string? guardian = "G-19AB", params string[] accessories) =>
        new(LentOn, dueBack ?? new DateOnly(2027, 7, 15), "5b", accessories.Length > 0 ? accessories : ["charger", "case"], DeviceCondition.New,
            new LoanAgreement("Leihvertrag Sofortausstattung", "2", new DateOnly(2026, 8, 28), guardian));

    private static Loan Lent(Device? device = null, LoanHandOut? handOut = null) =>
        Loan.Lend(Guid.NewGuid(), device ?? Tablet(), Immediate, deviceIsOut: false, new Borrower(BorrowerKind.Pupil, "p-7f3k2"), handOut ?? HandOut(), Now);

    private static string Refusal(Action action) => Assert.Throws<DomainRuleException>(action).Rule;

    [Fact]
    public void A_lent_device_is_out_with_its_agreement_and_the_guardians_paying_for_damage()
    {
        var loan = Lent();

        Assert.Equal((LoanState.Out, "P-7F3K2", "G-19AB", DamagePayer.Guardian, FundingSource.ImmediateEquipmentLoan),
            (loan.State, loan.BorrowerReference, loan.GuardianReference, loan.DamagePayer, loan.Programme));
    }

    [Fact]
    public void A_device_already_out_is_not_lent_again()
    {
        Assert.Equal("device-already-lent", Refusal(() =>
            Loan.Lend(Guid.NewGuid(), Tablet(), Immediate, deviceIsOut: true, new Borrower(BorrowerKind.Pupil, "P-1234"), HandOut(), Now)));
    }

    [Theory]
    [InlineData(DeviceStatus.InRepair)]
    [InlineData(DeviceStatus.Lost)]
    [InlineData(DeviceStatus.Ordered)]
    public void Only_a_device_in_service_or_delivered_is_lent(DeviceStatus status)
    {
        Assert.Equal("device-not-lendable", Refusal(() => Lent(Tablet(status: status))));
    }

    [Fact]
    public void A_parent_financed_device_is_never_lent()
    {
        Assert.Equal("device-not-lendable", Refusal(() => Loan.Lend(Guid.NewGuid(), Tablet(FundingSource.ParentFinanced), Parents, false,
            new Borrower(BorrowerKind.Pupil, "P-1234"), HandOut(), Now)));
    }

    [Fact]
    public void A_device_without_a_recorded_programme_is_not_lent()
    {
        Assert.Equal("device-programme-unknown", Refusal(() => Lent(Tablet(programme: null))));
    }

    [Fact]
    public void A_teacher_programme_device_is_not_lent_to_a_pupil()
    {
        Assert.Equal("programme-excludes-borrower", Refusal(() => Loan.Lend(Guid.NewGuid(), Tablet(FundingSource.TeacherLoanDevices), Teachers, false,
            new Borrower(BorrowerKind.Pupil, "P-1234"), HandOut(), Now)));
    }

    [Fact]
    public void A_loan_is_not_due_back_beyond_its_programmes_limit()
    {
        Assert.Equal("due-back-beyond-programme", Refusal(() => Lent(handOut: HandOut(LentOn.AddDays(1096)))));
    }

    [Fact]
    public void A_pupils_agreement_is_signed_by_a_guardian()
    {
        Assert.Equal("guardian-signature-required", Refusal(() => Lent(handOut: HandOut(guardian: null))));
    }

    [Theory]
    [InlineData("Max Mustermann")]
    [InlineData("MaxMustermann")]
    [InlineData("max@example.org")]
    [InlineData("   ")]
    public void A_reference_that_could_be_a_name_or_address_is_refused(string reference)
    {
        Assert.Equal("reference-not-pseudonymous", Refusal(() =>
            Loan.Lend(Guid.NewGuid(), Tablet(), Immediate, false, new Borrower(BorrowerKind.Pupil, reference), HandOut(), Now)));
    }

    [Fact]
    public void A_return_lists_only_accessories_that_were_handed_out_as_missing()
    {
        var loan = Lent();

        Assert.Equal("missing-accessory-not-handed-out", Refusal(() =>
            loan.Return(new LoanReturn(new DateOnly(2027, 7, 10), null, false, null, ["pen"]), EndOfYear)));
    }

    [Fact]
    public void A_damaged_return_keeps_its_note_and_missing_accessories()
    {
        var loan = Lent();

        loan.Return(new LoanReturn(new DateOnly(2027, 7, 10), null, true, " Display gesprungen ", [" Charger "]), EndOfYear);

        Assert.Equal((LoanState.Returned, true, "Display gesprungen", DeviceCondition.Damaged, "charger"),
            (loan.State, loan.Damaged, loan.DamageNote, loan.ConditionAtReturn, Assert.Single(loan.MissingAccessories)));
    }

    [Fact]
    public void A_returned_loan_is_not_returned_again()
    {
        var loan = Lent();
        loan.Return(new LoanReturn(new DateOnly(2027, 7, 10), DeviceCondition.Good, false, null, []), EndOfYear);

        Assert.Equal("loan-not-out", Refusal(() => loan.Return(new LoanReturn(new DateOnly(2027, 7, 11), null, false, null, []), EndOfYear)));
    }

    [Fact]
    public void A_stolen_device_ends_its_loan_and_becomes_lost()
    {
        var device = Tablet();
        var loan = Lent(device);

        var from = loan.ReportLoss(LossKind.Stolen, new DateOnly(2026, 11, 2), device, EndOfYear);

        Assert.Equal((DeviceStatus.InService, DeviceStatus.Lost, LoanState.Stolen, new DateOnly(2026, 11, 2)),
            (from, device.Status, loan.State, loan.LossReportedOn));
    }

    [Fact]
    public void An_extension_names_a_later_day()
    {
        var loan = Lent();

        Assert.Equal("extension-not-later", Refusal(() => loan.Extend(new DateOnly(2027, 7, 15), Immediate, Now)));
    }

    [Fact]
    public void An_extension_stays_within_the_programmes_limit()
    {
        var loan = Lent();

        Assert.Equal("due-back-beyond-programme", Refusal(() => loan.Extend(LentOn.AddDays(1096), Immediate, Now)));
    }

    [Fact]
    public void A_loan_is_overdue_the_day_after_it_was_due_back()
    {
        var loan = Lent();

        Assert.Equal((false, true), (loan.IsOverdue(new DateOnly(2027, 7, 15)), loan.IsOverdue(new DateOnly(2027, 7, 16))));
    }

    [Fact]
    public void A_transfer_ends_the_loan_here_and_continues_it_at_the_new_school_without_its_class()
    {
        var device = Tablet();
        var loan = Lent(device);
        var newSchool = Guid.NewGuid();

        var continued = loan.TransferTo(Guid.NewGuid(), newSchool, new DateOnly(2027, 1, 10), device, EndOfYear);

        Assert.Equal((LoanState.TransferredOut, LoanState.Out, newSchool, newSchool, null, new DateOnly(2027, 7, 15)),
            (loan.State, continued.State, continued.SchoolId, device.SchoolId, continued.ClassName, continued.DueBack));
    }

    [Fact]
    public void A_device_is_lent_again_only_on_or_after_the_day_its_last_loan_ended()
    {
        Assert.Equal("lent-before-last-loan-ended", Refusal(() => Loan.Lend(Guid.NewGuid(), Tablet(), Immediate, deviceIsOut: false,
            new Borrower(BorrowerKind.Pupil, "P-1234"), HandOut(), Now, lastLoanEndedOn: LentOn.AddDays(1))));
    }

    [Fact]
    public void A_loan_continued_after_a_transfer_keeps_the_programmes_term_from_the_first_hand_out()
    {
        var device = Tablet();
        var continued = Lent(device).TransferTo(Guid.NewGuid(), Guid.NewGuid(), new DateOnly(2027, 1, 10), device, EndOfYear);

        Assert.Equal("due-back-beyond-programme", Refusal(() => continued.Extend(LentOn.AddDays(1096), Immediate, Now)));
    }
}
