using Mep.Funding.Applications;
using Mep.Funding.Data;
using Mep.Funding.Programmes;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Deadlines;

/// <summary>
/// Finance's list of applications at deadline risk, in one statement: the near deadlines (per programme and status, judged on the rules
/// in memory) joined to the applications in those statuses, which ix_applications_programme_code_status_category finds (with a school,
/// ix_applications_school_id_status); the money open per row, and each row's school joined from the directory. The caller filters
/// the rows with money open, sorts and pages in the same statement.
/// </summary>
/// <remarks>
/// The programmes and statuses are also named as plain conditions on the applications: PostgreSQL cannot estimate a join to unnest()
/// and read every application (settled ones too) instead of the index; with them it reads the open applications from the index.
/// </remarks>
internal static class DeadlineRiskList
{
    public static IQueryable<RiskRow> Rows(FundingDbContext db, IReadOnlyList<(Programme Programme, ApplicationDeadline Deadline)> near,
        Guid? schoolId)
    {
        var codes = near.Select(n => n.Programme.Code).ToArray();
        var statuses = near.Select(n => n.Deadline.Status.ToString()).ToArray();
        var deadlines = near.Select(n => n.Deadline.Deadline).ToArray();
        var days = near.Select(n => n.Deadline.Day).ToArray();
        var proofRequired = near.Select(n => n.Programme.Rules.Settlement.ProofOfUseRequired).ToArray();
        // Before approval the planned amount (net: the surcharge is planning margin) lapses; after it, what is not drawn, and what is
        // drawn but not yet accounted for where the programme settles only after a proof of use.
        return db.Database.SqlQuery<RiskRow>($"""
            SELECT r.*, r.lapsing + r.unproven AS amount_open
            FROM (
                SELECT a.id AS application_id, a.title AS title, a.programme_code AS programme, a.school_id AS school_id,
                    s.number AS school_number, s.name AS school_name, a.status AS status, a.category AS category, d.deadline AS deadline,
                    d.day AS day,
                    CASE WHEN a.status IN ('Draft', 'Submitted') THEN a.planned_amount
                        ELSE coalesce(a.approved_amount, 0) - a.drawn_amount END AS lapsing,
                    CASE WHEN p.proof_missing THEN a.drawn_amount ELSE 0 END AS unproven,
                    p.proof_missing AS proof_of_use_missing
                FROM unnest({codes}, {statuses}, {deadlines}, {days}, {proofRequired})
                    AS d (programme_code, status, deadline, day, proof_required)
                JOIN applications a ON a.programme_code = d.programme_code AND a.status = d.status
                CROSS JOIN LATERAL (
                    SELECT d.proof_required AND a.status NOT IN ('Draft', 'Submitted') AND a.proof_of_use_submitted_on IS NULL AS proof_missing) p
                LEFT JOIN known_schools s ON s.school_id = a.school_id
                WHERE a.programme_code = ANY({codes}) AND a.status = ANY({statuses})
                    AND ({schoolId}::uuid IS NULL OR a.school_id = {schoolId})
            ) r
            """);
    }

    /// <summary>A row as the statement reads it; statuses and categories come as their stored names.</summary>
    internal sealed class RiskRow
    {
        public Guid ApplicationId { get; init; }
        public string Title { get; init; } = string.Empty;
        public string Programme { get; init; } = string.Empty;
        public Guid SchoolId { get; init; }
        public string? SchoolNumber { get; init; }
        public string? SchoolName { get; init; }
        public string Status { get; init; } = string.Empty;
        public string Category { get; init; } = string.Empty;
        public string Deadline { get; init; } = string.Empty;
        public DateOnly Day { get; init; }
        public decimal Lapsing { get; init; }
        public decimal Unproven { get; init; }
        public bool ProofOfUseMissing { get; init; }
        public decimal AmountOpen { get; init; }

        public DeadlineRiskRow ToResponse(DateOnly today)
        {
            var status = Enum.Parse<ApplicationStatus>(Status);
            List<DeadlineStep> waitingFor = status switch
            {
                ApplicationStatus.Draft => [DeadlineStep.Submission],
                ApplicationStatus.Submitted => [DeadlineStep.Approval],
                _ => [.. Lapsing > 0 ? [DeadlineStep.Draws] : Array.Empty<DeadlineStep>(),
                    .. ProofOfUseMissing ? [DeadlineStep.ProofOfUse] : Array.Empty<DeadlineStep>()],
            };
            return new DeadlineRiskRow(ApplicationId, Title, Programme, SchoolId, SchoolNumber, SchoolName, status,
                Enum.Parse<SpendingCategory>(Category), Deadline, Day, Day.DayNumber - today.DayNumber, Day < today, AmountOpen, waitingFor);
        }
    }
}
