using Mep.Contracts.Assets;
using Mep.Funding.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Lending;

/// <summary>
/// Applies Assets' loan events to <see cref="KnownLoan"/> rows keyed by loan id, so that an event told twice (even under another message
/// id) or out of order leaves the same rows: a hand-out's facts are set whenever they come, an ending only replaces an older one.
/// </summary>
internal static class LoanReplica
{
    /// <summary>A hand-out of up to 5,000 devices in one statement.</summary>
    public static async Task LendAsync(FundingDbContext db, DevicesLent lent, CancellationToken cancellationToken)
    {
        var loans = lent.Loans;
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO known_loans AS l (loan_id, device_id, school_id, funding_source, borrower_kind, lent_on, due_back, repair_case_id, ended_as_of)
            SELECT n.loan_id, n.device_id, {lent.SchoolId}, n.funding_source, n.borrower_kind, n.lent_on, n.due_back, n.repair_case_id, '-infinity'
            FROM unnest({loans.Select(l => l.LoanId).ToArray()}, {loans.Select(l => l.DeviceId).ToArray()},
                {loans.Select(l => l.FundingSource?.ToString()).ToArray()}, {loans.Select(l => l.BorrowerKind.ToString()).ToArray()},
                {loans.Select(l => l.LentOn).ToArray()}, {loans.Select(l => l.DueBack).ToArray()}, {loans.Select(l => l.RepairCaseId).ToArray()})
                AS n(loan_id, device_id, funding_source, borrower_kind, lent_on, due_back, repair_case_id)
            ON CONFLICT (loan_id) DO UPDATE SET funding_source = excluded.funding_source, borrower_kind = excluded.borrower_kind,
                lent_on = excluded.lent_on, due_back = excluded.due_back, repair_case_id = excluded.repair_case_id
            """, cancellationToken);
        await HandDownAsync(db, [.. loans.Select(l => l.LoanId)], cancellationToken);
    }

    /// <summary>Ends loans (returned, lost, stolen, transferred away) unless a newer ending is already known.</summary>
    public static Task EndAsync(FundingDbContext db, Guid schoolId, IReadOnlyList<LoanEnd> ends, DateTimeOffset asOf, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO known_loans AS l (loan_id, device_id, school_id, ending, ended_on, damaged, ended_as_of)
            SELECT n.loan_id, n.device_id, {schoolId}, n.ending, n.ended_on, n.damaged, {asOf}
            FROM unnest({ends.Select(e => e.LoanId).ToArray()}, {ends.Select(e => e.DeviceId).ToArray()}, {ends.Select(e => e.Ending.ToString()).ToArray()},
                {ends.Select(e => e.EndedOn).ToArray()}, {ends.Select(e => e.Damaged).ToArray()}) AS n(loan_id, device_id, ending, ended_on, damaged)
            ON CONFLICT (loan_id) DO UPDATE SET ending = excluded.ending, ended_on = excluded.ended_on, damaged = excluded.damaged,
                ended_as_of = excluded.ended_as_of
            WHERE excluded.ended_as_of >= l.ended_as_of
            """, cancellationToken);

    /// <summary>
    /// The loan ends at the school the borrower left and continues as a new loan at the new one, from the day of the transfer, with the
    /// hand-out's facts of the loan it continues (now, or when they arrive: <see cref="HandDownAsync"/>).
    /// </summary>
    public static async Task TransferAsync(FundingDbContext db, LoanTransferred transfer, CancellationToken cancellationToken)
    {
        await EndAsync(db, transfer.FromSchoolId, [new LoanEnd(transfer.LoanId, transfer.DeviceId, LoanEnding.TransferredAway, transfer.TransferredOn, null)],
            transfer.OccurredAt, cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO known_loans AS l (loan_id, device_id, school_id, lent_on, transferred_from_loan_id, ended_as_of)
            VALUES ({transfer.NewLoanId}, {transfer.DeviceId}, {transfer.ToSchoolId}, {transfer.TransferredOn}, {transfer.LoanId}, '-infinity')
            ON CONFLICT (loan_id) DO UPDATE SET transferred_from_loan_id = excluded.transferred_from_loan_id, lent_on = coalesce(l.lent_on, excluded.lent_on)
            """, cancellationToken);
        await HandDownAsync(db, [transfer.LoanId], cancellationToken);
    }

    /// <summary>
    /// Gives the loans that continue <paramref name="loanIds"/> after a transfer the programme, borrower and due day of the loan they
    /// continue, where they have none of their own yet; down the chain when a borrower moved more than once.
    /// </summary>
    private static async Task HandDownAsync(FundingDbContext db, Guid[] loanIds, CancellationToken cancellationToken)
    {
        while (loanIds.Length > 0)
        {
            loanIds = [.. await db.Database.SqlQuery<Guid>($"""
                UPDATE known_loans s SET funding_source = p.funding_source, borrower_kind = p.borrower_kind, due_back = p.due_back
                FROM known_loans p
                WHERE s.transferred_from_loan_id = p.loan_id AND p.loan_id = ANY({loanIds}) AND s.borrower_kind IS NULL AND p.borrower_kind IS NOT NULL
                RETURNING s.loan_id AS "Value"
                """).ToListAsync(cancellationToken)];
        }
    }
}

/// <param name="Damaged">For a return: whether the device came back damaged; null for other endings.</param>
internal sealed record LoanEnd(Guid LoanId, Guid DeviceId, LoanEnding Ending, DateOnly EndedOn, bool? Damaged);
