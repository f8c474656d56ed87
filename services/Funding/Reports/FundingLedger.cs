using Mep.Funding.Applications;
using Mep.Funding.Data;
using Mep.Funding.Deadlines;
using Mep.Funding.Programmes;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Reports;

/// <summary>
/// One school's money in one programme, summed from allocations, applications, invoices and draws. Net and gross are an application's
/// planned amount without and with the programme's safety surcharge. Applied counts the net planned amounts of applications past their
/// draft (not rejected or withdrawn), applied gross the same applications with their surcharge; approved the approved amounts, which
/// are decided against the gross planned total (an approval never exceeds it), so approved is a gross figure.
/// </summary>
public sealed class LedgerRow
{
    public Guid SchoolId { get; init; }
    public string Number { get; init; } = string.Empty;
    public string Name { get; init; } = string.Empty;
    public string District { get; init; } = string.Empty;
    public string SchoolType { get; init; } = string.Empty;
    public decimal BaseAmount { get; init; }
    public decimal PerPupilShare { get; init; }
    /// <summary>Net: planned amounts without the safety surcharge.</summary>
    public decimal Applied { get; init; }

    /// <summary>Gross: the same applications' planned totals, the safety surcharge included.</summary>
    public decimal AppliedGross { get; init; }

    /// <summary>Gross: approved amounts, decided against the planned totals with surcharge.</summary>
    public decimal Approved { get; init; }

    /// <summary>Net planned amounts of submitted applications not yet decided: lost if the approval day passes.</summary>
    public decimal PendingApproval { get; init; }
    public decimal Spent { get; init; }
    public decimal Drawn { get; init; }
    public int Applications { get; init; }

    public decimal Allocated => BaseAmount + PerPupilShare;

    /// <summary>Allocation not yet applied for, against the net applied amounts (negative when applications ask for more than is allocated).</summary>
    public decimal NotYetApplied => Allocated - Applied;

    /// <summary>Approved money not yet drawn: lost if the programme's settlement day passes.</summary>
    public decimal ApprovedNotDrawn => Approved - Drawn;
}

/// <summary>What is at risk for a school in a programme on a day: the deadlines near (or passed) with money still open.</summary>
/// <param name="Deadline">applicationsUntil (or firstComeFirstServedUntil where submissions are taken after it), approvalsUntil or settlementUntil.</param>
/// <param name="Lapsed">The day has passed: the money is lost unless the programme's rules change.</param>
public sealed record Risk([System.ComponentModel.DataAnnotations.MaxLength(Programmes.ProgrammeFields.MaxDeadlineName)] string Deadline, DateOnly Day, int DaysLeft, decimal Amount, bool Lapsed);

public static class FundingLedger
{
    /// <summary>Ledger rows of one programme for every known school (or one), by school number.</summary>
    public static Task<List<LedgerRow>> RowsAsync(FundingDbContext db, string programmeCode, Guid? schoolId, CancellationToken cancellationToken) =>
        RowsAsync(db, programmeCode, schoolId, district: null, cancellationToken);

    /// <summary>
    /// Ledger rows of one programme for every known school (or one, or those of one district, as stored), by school number. One statement;
    /// every sum is over an index, and a district is found by ix_known_schools_district before any application is summed.
    /// </summary>
    public static Task<List<LedgerRow>> RowsAsync(FundingDbContext db, string programmeCode, Guid? schoolId, string? district,
        CancellationToken cancellationToken) =>
        db.Database.SqlQuery<LedgerRow>($"""
            WITH applied AS (
                SELECT school_id,
                    sum(planned_amount) FILTER (WHERE status NOT IN ('Draft', 'Rejected', 'Withdrawn')) AS applied,
                    sum(planned_amount + surcharge_amount) FILTER (WHERE status NOT IN ('Draft', 'Rejected', 'Withdrawn')) AS applied_gross,
                    sum(approved_amount) FILTER (WHERE status IN ('Approved', 'InProgress', 'Completed', 'Settled')) AS approved,
                    sum(planned_amount) FILTER (WHERE status = 'Submitted') AS pending_approval,
                    sum(drawn_amount) AS drawn,
                    sum(spent_amount) AS spent,
                    count(*) AS applications
                FROM applications WHERE programme_code = {programmeCode} AND ({schoolId}::uuid IS NULL OR school_id = {schoolId})
                    AND ({district}::text IS NULL OR school_id IN (SELECT school_id FROM known_schools WHERE district = {district}))
                GROUP BY school_id)
            SELECT s.school_id AS school_id, s.number AS number, s.name AS name, s.district AS district, s.type AS school_type,
                coalesce(a.base_amount, 0) AS base_amount, coalesce(a.per_pupil_share, 0) AS per_pupil_share,
                coalesce(p.applied, 0) AS applied, coalesce(p.applied_gross, 0) AS applied_gross, coalesce(p.approved, 0) AS approved,
                coalesce(p.pending_approval, 0) AS pending_approval, coalesce(p.spent, 0) AS spent,
                coalesce(p.drawn, 0) AS drawn, coalesce(p.applications, 0)::integer AS applications
            FROM known_schools s
            LEFT JOIN allocations a ON a.school_id = s.school_id AND a.programme_code = {programmeCode}
            LEFT JOIN applied p ON p.school_id = s.school_id
            WHERE ({schoolId}::uuid IS NULL OR s.school_id = {schoolId}) AND ({district}::text IS NULL OR s.district = {district})
            ORDER BY s.number, s.school_id
            """).ToListAsync(cancellationToken);

    /// <summary>
    /// The risks of one ledger row: a deadline within the programme's widest warning window (or passed) while money is open for it.
    /// Applications: the allocation not yet applied for; approvals: submitted and not yet decided; settlement: approved but not drawn.
    /// </summary>
    public static IReadOnlyList<Risk> RisksOf(LedgerRow row, ProgrammeRules rules, DateOnly today)
    {
        var risks = new List<Risk>();
        // The school's money per deadline: what the deadline's statuses would lose (ApplicationDeadline names the deadlines).
        foreach (var deadline in ApplicationDeadline.Of(rules.Dates).DistinctBy(d => d.Deadline).Where(d => d.IsNear(rules, today)))
        {
            var amount = deadline.Status switch
            {
                ApplicationStatus.Draft => row.NotYetApplied,
                ApplicationStatus.Submitted => row.PendingApproval,
                _ => row.ApprovedNotDrawn,
            };
            if (amount > 0)
            {
                risks.Add(new Risk(deadline.Deadline, deadline.Day, deadline.Day.DayNumber - today.DayNumber, amount, Lapsed: deadline.Day < today));
            }
        }

        return risks;
    }
}
