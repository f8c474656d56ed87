using Mep.Contracts.Assets;
using Mep.Funding.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Lending;

/// <summary>
/// The loans of one programme lent within a period, counted per school and over all schools in one statement (the total's devices
/// are distinct across schools: a device lent at two schools, after a transfer, is one device of the programme).
/// </summary>
public sealed class LoanLedgerRow
{
    /// <summary>Null on the total row.</summary>
    public Guid? SchoolId { get; init; }
    public string? Number { get; init; }
    public string? Name { get; init; }
    public string? District { get; init; }
    public int DevicesLent { get; init; }
    public int Loans { get; init; }
    public int OutNow { get; init; }
    public int Overdue { get; init; }
    public int Returned { get; init; }
    public int ReturnedDamaged { get; init; }
    public int Lost { get; init; }
    public int Stolen { get; init; }
    public int TransferredAway { get; init; }
    public int TransferredIn { get; init; }
}

public static class LoanLedger
{
    /// <summary>
    /// The rows of the schools that lent devices of <paramref name="source"/> on a day from <paramref name="from"/> to
    /// <paramref name="until"/> (all schools, one, or one district's), by school number, then the total row. Overdue: out and due
    /// back before <paramref name="today"/>. A loan whose hand-out is not yet heard of has no source and is not counted.
    /// </summary>
    public static Task<List<LoanLedgerRow>> RowsAsync(FundingDbContext db, FundingSource source, DateOnly from, DateOnly until, Guid? schoolId,
        string? district, DateOnly today, CancellationToken cancellationToken) =>
        db.Database.SqlQuery<LoanLedgerRow>($"""
            WITH figures AS (
                SELECT l.school_id, grouping(l.school_id) = 1 AS is_total,
                    count(DISTINCT l.device_id)::integer AS devices_lent, count(*)::integer AS loans,
                    count(*) FILTER (WHERE l.ending IS NULL)::integer AS out_now,
                    count(*) FILTER (WHERE l.ending IS NULL AND l.due_back < {today})::integer AS overdue,
                    count(*) FILTER (WHERE l.ending = 'Returned')::integer AS returned,
                    count(*) FILTER (WHERE l.ending = 'Returned' AND l.damaged)::integer AS returned_damaged,
                    count(*) FILTER (WHERE l.ending = 'Lost')::integer AS lost,
                    count(*) FILTER (WHERE l.ending = 'Stolen')::integer AS stolen,
                    count(*) FILTER (WHERE l.ending = 'TransferredAway')::integer AS transferred_away,
                    count(*) FILTER (WHERE l.transferred_from_loan_id IS NOT NULL)::integer AS transferred_in
                FROM known_loans l
                WHERE l.funding_source = {source.ToString()} AND l.lent_on BETWEEN {from} AND {until}
                    AND ({schoolId}::uuid IS NULL OR l.school_id = {schoolId})
                    AND ({district}::text IS NULL OR l.school_id IN (SELECT school_id FROM known_schools WHERE district = {district}))
                GROUP BY GROUPING SETS ((l.school_id), ()))
            SELECT CASE WHEN f.is_total THEN NULL ELSE f.school_id END AS school_id, s.number AS number, s.name AS name, s.district AS district,
                f.devices_lent, f.loans, f.out_now, f.overdue, f.returned, f.returned_damaged, f.lost, f.stolen, f.transferred_away, f.transferred_in
            FROM figures f
            LEFT JOIN known_schools s ON s.school_id = f.school_id AND NOT f.is_total
            ORDER BY f.is_total, s.number, f.school_id
            """).ToListAsync(cancellationToken);
}
