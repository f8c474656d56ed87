using Mep.Contracts.Schools;
using System.ComponentModel.DataAnnotations;
using Mep.Funding.Programmes;

namespace Mep.Funding.Reports;

/// <summary>
/// One school's money in one programme. Net and gross are an application's planned amount without and with the programme's safety
/// surcharge; approvals are decided against the gross planned total, so approved amounts are gross.
/// </summary>
/// <param name="Applied">Net: planned amounts of the applications past their draft (not rejected or withdrawn), without the safety
/// surcharge. The same as appliedNet, which says so in its name; kept for the clients that read it.</param>
/// <param name="AppliedGross">Gross: the same applications' planned totals, safety surcharge included.</param>
/// <param name="Approved">Gross: approved amounts. The same as approvedGross, which says so in its name; kept for the clients that read it.</param>
/// <param name="PendingApproval">Net: planned amounts of submitted applications not yet decided.</param>
/// <param name="NotYetApplied">Allocated minus applied (net).</param>
/// <param name="ApprovedNotDrawn">Approved (gross) minus drawn.</param>
/// <param name="Number">The school's number (also as schoolNumber, the name every row that refers to a school uses).</param>
/// <param name="Name">The school's name (also as schoolName).</param>
public sealed record SchoolFigures(
    Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string Number, [MaxLength(SchoolFields.MaxName)] string Name,
    [MaxLength(SchoolFields.MaxDistrict)] string District, [MaxLength(SchoolFields.MaxTypeCode)] string SchoolType, decimal BaseAmount,
    decimal PerPupilShare, decimal Allocated, decimal Applied, decimal AppliedGross, decimal Approved, decimal PendingApproval, decimal Spent,
    decimal Drawn, decimal NotYetApplied, decimal ApprovedNotDrawn, int Applications, bool AtRisk, IReadOnlyList<Risk> Risks)
{
    [MaxLength(SchoolFields.NumberLength)]
    public string SchoolNumber => Number;

    [MaxLength(SchoolFields.MaxName)]
    public string SchoolName => Name;

    /// <summary>Net: planned amounts applied for, without the safety surcharge (applied, by a name that says which).</summary>
    public decimal AppliedNet => Applied;

    /// <summary>Gross: approved amounts (approved, by a name that says which).</summary>
    public decimal ApprovedGross => Approved;

    public static SchoolFigures From(LedgerRow r, IReadOnlyList<Risk> risks) => new(r.SchoolId, r.Number, r.Name, r.District, r.SchoolType,
        r.BaseAmount, r.PerPupilShare, r.Allocated, r.Applied, r.AppliedGross, r.Approved, r.PendingApproval, r.Spent, r.Drawn, r.NotYetApplied,
        r.ApprovedNotDrawn, r.Applications, risks.Count > 0, risks);
}

/// <summary>The sums of <see cref="SchoolFigures"/> over a programme's schools; net and gross as there.</summary>
/// <param name="Applied">Net; the same as appliedNet, kept for the clients that read it.</param>
/// <param name="AppliedGross">Gross: safety surcharge included.</param>
/// <param name="Approved">Gross; the same as approvedGross, kept for the clients that read it.</param>
/// <param name="NotYetApplied">Allocated minus applied (net).</param>
/// <param name="ApprovedNotDrawn">Approved (gross) minus drawn.</param>
public sealed record ProgrammeTotals(decimal Allocated, decimal Applied, decimal AppliedGross, decimal Approved, decimal Spent, decimal Drawn,
    decimal NotYetApplied, decimal ApprovedNotDrawn, int SchoolsAtRisk, decimal AmountAtRisk)
{
    /// <summary>Net: planned amounts applied for, without the safety surcharge (applied, by a name that says which).</summary>
    public decimal AppliedNet => Applied;

    /// <summary>Gross: approved amounts (approved, by a name that says which).</summary>
    public decimal ApprovedGross => Approved;

    public static ProgrammeTotals Of(IReadOnlyList<SchoolFigures> rows) => new(rows.Sum(r => r.Allocated), rows.Sum(r => r.Applied),
        rows.Sum(r => r.AppliedGross), rows.Sum(r => r.Approved), rows.Sum(r => r.Spent), rows.Sum(r => r.Drawn), rows.Sum(r => r.NotYetApplied),
        rows.Sum(r => r.ApprovedNotDrawn), rows.Count(r => r.AtRisk), rows.Sum(r => r.Risks.Sum(k => k.Amount)));
}

/// <param name="Pool">The programme's pool, when it has one; <see cref="ProgrammeTotals.Allocated"/> beside it shows what is not distributed.</param>
public sealed record SchoolReport([MaxLength(ProgrammeFields.MaxCode)] string Programme, [MaxLength(ProgrammeFields.MaxName)] string ProgrammeName, DateOnly Day, decimal? Pool, ProgrammeTotals Totals, IReadOnlyList<SchoolFigures> Schools);

public sealed record ProgrammeSummary([MaxLength(ProgrammeFields.MaxCode)] string Programme, [MaxLength(ProgrammeFields.MaxName)] string ProgrammeName, ProgrammeKind Kind, decimal? Pool, ProgrammeTotals Totals);

public sealed record OneSchoolReport(Guid SchoolId, DateOnly Day, IReadOnlyList<OneSchoolProgramme> Programmes);

public sealed record OneSchoolProgramme([MaxLength(ProgrammeFields.MaxCode)] string Programme, [MaxLength(ProgrammeFields.MaxName)] string ProgrammeName, SchoolFigures Figures);
