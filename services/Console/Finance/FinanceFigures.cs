namespace Mep.Console.Finance;

// What the finance pages read from Funding's API, and no more: the API's JSON carries further fields (net and gross twins, the
// programme's rules) that these pages do not show.

/// <summary>A programme as the filter offers it.</summary>
public sealed record ProgrammeChoice(string Code, string Name);

/// <summary>Per school in one programme, as GET /reports/schools answers it.</summary>
public sealed record SchoolsReport(string Programme, string ProgrammeName, DateOnly Day, decimal? Pool, ReportTotals Totals,
    IReadOnlyList<SchoolFigures> Schools);

/// <summary>One school's money in one programme; approved and what is not drawn of it are gross (safety surcharge included).</summary>
public sealed record SchoolFigures(Guid SchoolId, string Number, string Name, string District, decimal Allocated, decimal Applied,
    decimal Approved, decimal PendingApproval, decimal Spent, decimal Drawn, decimal NotYetApplied, decimal ApprovedNotDrawn, int Applications,
    bool AtRisk, IReadOnlyList<DeadlineRisk> Risks);

public sealed record ReportTotals(decimal Allocated, decimal Applied, decimal Approved, decimal Spent, decimal Drawn, decimal NotYetApplied,
    decimal ApprovedNotDrawn, int SchoolsAtRisk, decimal AmountAtRisk);

/// <summary>A deadline near or passed while money is open for it.</summary>
/// <param name="Deadline">applicationsUntil, firstComeFirstServedUntil, approvalsUntil or settlementUntil.</param>
public sealed record DeadlineRisk(string Deadline, DateOnly Day, int DaysLeft, decimal Amount, bool Lapsed);

/// <summary>One school in every programme, as GET /reports/schools/{schoolId} answers it.</summary>
public sealed record OneSchoolReport(Guid SchoolId, DateOnly Day, IReadOnlyList<OneSchoolProgramme> Programmes);

public sealed record OneSchoolProgramme(string Programme, string ProgrammeName, SchoolFigures Figures);

/// <summary>An application at deadline risk, from finance's work list (GET /applications/deadline-risks).</summary>
public sealed record DeadlineRiskRow(Guid ApplicationId, string Title, string Programme, Guid SchoolId, string? SchoolNumber, string? SchoolName,
    string Status, string Deadline, DateOnly Day, int DaysLeft, bool Lapsed, decimal AmountOpen, IReadOnlyList<string> WaitingFor);

/// <summary>A page of a list endpoint.</summary>
public sealed record ApiPage<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int TotalItems);

/// <summary>A stored cost table, as GET /cost-tables lists it.</summary>
public sealed record CostTableSummary(string Code, string Name, string? Source, decimal InvestmentBalance, decimal YearBalance,
    int PrintedDisagreements, DateTimeOffset UpdatedAt);

/// <summary>One cost table with its computed lines beside the printed figures.</summary>
public sealed record CostTableDetail(string Code, string Name, string? Source, CostTableInputs Inputs, CostTableResult Result,
    DateTimeOffset UpdatedAt, string UpdatedBy);

public sealed record CostTableInputs(decimal GrantsForInvestment, decimal PurchaseOfMovableAssets, int UsefulLifeYears, decimal Personnel,
    decimal GoodsAndServices, decimal Depreciation, decimal Interest);

public sealed record CostTableResult(IReadOnlyList<CostTableLine> Lines, int PrintedDisagreements);

/// <param name="Difference">Printed minus computed, where the source printed a figure.</param>
public sealed record CostTableLine(string Line, string Label, decimal Amount, decimal? Printed, decimal? Difference);
