using System.Globalization;
using Mep.Assets.Data;
using Mep.Assets.Devices;
using Mep.Assets.Loans;
using Mep.Contracts.Assets;
using Mep.Messaging;
using Mep.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;

namespace Mep.Assets.Repairs;

/// <summary>
/// A replacement for the user of a device away for repair: a free loan device of the same school and kind, lent through
/// <see cref="Loan.Lend"/> like any loan (the programme's rules decide who may borrow it and until when), naming the repair case; and
/// taken back through <see cref="Loan.Return"/> when the user's own device is back.
/// </summary>
public static class ReplacementLoans
{
    /// <summary>
    /// The agreement a replacement is recorded under when the broken device was not itself lent: the terms of the user's own device
    /// (the parents' contract, a teacher's service device) cover the time it is away, and no new signature is collected for it.
    /// </summary>
    public const string AgreementTemplate = "Ersatzgerät während der Reparatur";

    public const string AgreementVersion = "1";

    /// <summary>
    /// Who uses the broken device and so borrows its replacement: the borrower of its loan if it is lent; the pupil of a parent-financed
    /// tablet; for a teacher's own device, whose teacher Assets does not record, a reference made from the device's id ("DEVICE-…"), so
    /// the school finds the replacement by the device it stands in for. A class set or a loan device in the pool has no personal user:
    /// null. A GUID always holds a digit (its version), so the device reference has the shape <see cref="LoanReference"/> asks for.
    /// </summary>
    public static Borrower? BorrowerOf(Device device, Loan? activeLoan)
    {
        var borrower = activeLoan is not null ? activeLoan.Borrower
            : device.Ownership == TabletOwnership.ParentFinancedPupil && device.PupilReference is { } pupil ? new Borrower(BorrowerKind.Pupil, pupil)
            : device.Ownership == TabletOwnership.Teacher ? new Borrower(BorrowerKind.Teacher, $"DEVICE-{device.Id:N}")
            : null;
        return borrower is not null && LoanReference.IsValid(LoanReference.Normalise(borrower.Reference)) ? borrower : null;
    }

    /// <summary>
    /// The hand-out of a replacement sent on <paramref name="sentOn"/>: under the broken device's own loan agreement when it was lent (same
    /// guardian, class and due date at the latest), else under <see cref="AgreementTemplate"/>; due back at the latest the programme allows,
    /// as the repair's end is not known. No accessories are recorded: the user keeps those of the own device.
    /// </summary>
    public static LoanHandOut HandOut(Borrower borrower, Loan? activeLoan, LoanProgrammeRule rule, DateOnly sentOn, DeviceCondition condition)
    {
        var latest = rule.LatestDueBack(sentOn);
        var dueBack = activeLoan is { DueBack: var due } && due > sentOn && due < latest ? due : latest;
        var agreement = activeLoan is { } lent
            ? lent.Agreement with { SignedOn = lent.AgreementSignedOn <= sentOn ? lent.AgreementSignedOn : sentOn }
            : new LoanAgreement(AgreementTemplate, AgreementVersion, sentOn, null,
                borrower.Kind == BorrowerKind.Pupil ? DamagePayer.Guardian : DamagePayer.Borrower);
        return new LoanHandOut(sentOn, dueBack, activeLoan?.ClassName, [], condition, agreement);
    }

    /// <summary>
    /// Lends a free loan device to the broken device's user, or says none is free (<see cref="ReplacementUnavailable"/>); either way the
    /// repair records it. Free: a loan device of the school and kind, in service, out on no loan, whose programme admits the borrower.
    /// Two replacements racing for one device collide on the loans' unique index, and the consumer applies the loser again.
    /// </summary>
    public static async Task LendAsync(AssetsDbContext db, DeviceRepair repair, Device broken, DateOnly sentOn, DateTimeOffset now, ILogger logger,
        CancellationToken cancellationToken)
    {
        var loans = db.Set<Loan>();
        var activeLoan = await loans.AsTracking().FirstOrDefaultAsync(l => l.DeviceId == broken.Id && l.State == LoanState.Out, cancellationToken);
        if (BorrowerOf(broken, activeLoan) is not { } borrower)
        {
            Unavailable(db, logger, repair, "no-personal-user", now);
            return;
        }

        var rules = await db.Set<LoanProgrammeRule>().ToDictionaryAsync(r => r.Programme, cancellationToken);
        var admitting = rules.Values.Where(r => r.Admits(borrower.Kind)).Select(r => (FundingSource?)r.Programme).ToList();
        var candidate = await db.Devices.AsTracking()
            .Where(d => d.SchoolId == broken.SchoolId && d.Kind == broken.Kind && d.Ownership == TabletOwnership.Loan && d.Status == DeviceStatus.InService
                        && admitting.Contains(d.FundingSource) && !loans.Any(l => l.DeviceId == d.Id && l.State == LoanState.Out))
            .OrderBy(d => d.SerialNumber)
            .FirstOrDefaultAsync(cancellationToken);
        if (candidate is null)
        {
            Unavailable(db, logger, repair, "no-loan-device-free", now);
            return;
        }

        // The device is handed out as it last came back; one never lent before is taken as good, as a pool device in service is.
        var condition = await loans.Where(l => l.DeviceId == candidate.Id && l.ConditionAtReturn != null).OrderByDescending(l => l.ReturnedOn)
            .Select(l => l.ConditionAtReturn).FirstOrDefaultAsync(cancellationToken) ?? DeviceCondition.Good;
        var rule = rules[candidate.FundingSource!.Value];
        Loan replacement;
        try
        {
            replacement = Loan.Lend(Guid.CreateVersion7(now), candidate, rule, deviceIsOut: false, borrower,
                HandOut(borrower, activeLoan, rule, sentOn, condition), now, repair.RepairCaseId);
        }
        catch (DomainRuleException refused)
        {
            // The choice above follows the loan rules, so a refusal here means the broken device's loan holds what a new loan may not
            // (a guardian who no longer passes the reference rules): no replacement, and the reason in the log, not a message parked forever.
            Unavailable(db, logger, repair, refused.Rule, now);
            return;
        }

        loans.Add(replacement);
        repair.ReplacementLent(replacement.Id, now);
        db.DevicesLent(replacement.SchoolId, [replacement], now);
    }

    /// <summary>
    /// After the case closed: the replacement goes back when the user's own device is in service again; the user keeps it otherwise
    /// (<see cref="DeviceRepair.ReplacementToTakeBack"/>). A written-off device that was itself lent comes back to the school for good: its
    /// loan ends as returned damaged on the day the case closed, and the replacement carries on in its place.
    /// </summary>
    public static async Task TakeBackAsync(AssetsDbContext db, DeviceRepair repair, Device device, DateOnly closedOn, bool writtenOffNow,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var loans = db.Set<Loan>();
        if (repair.ReplacementToTakeBack(device.Status, now) is { } replacementId
            && await loans.AsTracking().FirstOrDefaultAsync(l => l.Id == replacementId, cancellationToken) is { State: LoanState.Out } replacement)
        {
            replacement.Return(new LoanReturn(Later(closedOn, replacement.LentOn), null, false, null, []), now);
            db.DevicesReturned(replacement.SchoolId, [replacement], now);
        }

        if (writtenOffNow
            && await loans.AsTracking().FirstOrDefaultAsync(l => l.DeviceId == device.Id && l.State == LoanState.Out, cancellationToken) is { } ownLoan)
        {
            ownLoan.Return(new LoanReturn(Later(closedOn, ownLoan.LentOn), DeviceCondition.Damaged, true,
                string.Create(CultureInfo.InvariantCulture, $"Written off in repair case {repair.RepairCaseId}."), []), now);
            db.DevicesReturned(ownLoan.SchoolId, [ownLoan], now);
        }
    }

    private static DateOnly Later(DateOnly day, DateOnly other) => day > other ? day : other;

    private static void Unavailable(AssetsDbContext db, ILogger logger, DeviceRepair repair, string reason, DateTimeOffset now)
    {
        repair.NoReplacementFree(now);
        logger.LogInformation("Repair case {RepairCaseId} of device {DeviceId}: no replacement lent ({Reason})", repair.RepairCaseId, repair.DeviceId, reason);
        // Ordered with the school's loan events: a hand-out that names the case later, when a device is free, leaves after it.
        db.AddIntegrationEvent(new ReplacementUnavailable(repair.RepairCaseId, repair.DeviceId, repair.SchoolId, now),
            LoanIntegrationEvents.AggregateId(repair.SchoolId), now);
    }
}
