using Mep.Assets.Data;
using Mep.Contracts.Assets;
using Mep.Messaging;

namespace Mep.Assets.Loans;

/// <summary>
/// What Assets tells the others about loans, in its outbox with the change itself. A school's loan events are ordered per school
/// (a hand-out, its returns and losses leave in the order they were written); the device's own status and move travel beside them,
/// ordered per device (<see cref="Devices.DeviceIntegrationEvents"/>).
/// </summary>
public static class LoanIntegrationEvents
{
    public static string AggregateId(Guid schoolId) => $"school-loans:{schoolId}";

    /// <summary>One event for every device of a hand-out.</summary>
    public static void DevicesLent(this AssetsDbContext db, Guid schoolId, IReadOnlyList<Loan> loans, DateTimeOffset now) =>
        db.AddIntegrationEvent(new DevicesLent(schoolId,
            loans.Select(l => new LentDevice(l.Id, l.DeviceId, l.Programme, l.BorrowerKind, l.LentOn, l.DueBack, l.RepairCaseId)).ToList(), now),
            AggregateId(schoolId), now);

    /// <summary>One event for every loan of one school that came back in a call.</summary>
    public static void DevicesReturned(this AssetsDbContext db, Guid schoolId, IReadOnlyList<Loan> loans, DateTimeOffset now) =>
        db.AddIntegrationEvent(new DevicesReturned(schoolId,
            loans.Select(l => new ReturnedLoan(l.Id, l.DeviceId, l.ReturnedOn!.Value, l.Damaged, l.MissingAccessories.Count, l.RepairCaseId)).ToList(), now),
            AggregateId(schoolId), now);

    public static void LoanLost(this AssetsDbContext db, Loan loan, DateTimeOffset now) =>
        db.AddIntegrationEvent(new LoanLost(loan.Id, loan.DeviceId, loan.SchoolId, loan.State == LoanState.Stolen ? LossKind.Stolen : LossKind.Lost,
            loan.LossReportedOn!.Value, now), AggregateId(loan.SchoolId), now);

    /// <summary>Ordered with the old school's loan events: the loan that ended there.</summary>
    public static void LoanTransferred(this AssetsDbContext db, Loan ended, Loan continued, DateTimeOffset now) =>
        db.AddIntegrationEvent(new LoanTransferred(ended.Id, continued.Id, ended.DeviceId, ended.SchoolId, continued.SchoolId, ended.TransferredOn!.Value, now),
            AggregateId(ended.SchoolId), now);
}
