namespace Mep.Contracts.Funding;

/// <summary>Money was drawn (Mittelabruf) against an approved application; never above approved minus drawn before.</summary>
public sealed record FundsDrawn(
    Guid DrawId, Guid ApplicationId, Guid SchoolId, string ProgrammeCode, decimal Amount, decimal DrawnTotal, decimal ApprovedAmount, DateOnly DrawnOn,
    DateTimeOffset OccurredAt);

/// <summary>An application (a funded measure) moved through its lifecycle: draft, submitted, approved, inProgress, completed, settled, rejected, withdrawn.</summary>
public sealed record ApplicationStatusChanged(
    Guid ApplicationId, Guid SchoolId, string ProgrammeCode, string From, string To, DateTimeOffset OccurredAt);

/// <summary>
/// A programme deadline comes near while money is still open: published once per deadline, warning window and school (a restart or
/// a second replica never repeats it).
/// </summary>
/// <param name="Deadline">applicationsUntil (or firstComeFirstServedUntil where submissions are taken after it), approvalsUntil or settlementUntil.</param>
/// <param name="AmountAtRisk">What the school would lose: for applications the allocation not yet applied for, for settlement the approved amount not yet drawn.</param>
public sealed record DeadlineApproaching(
    string ProgrammeCode, string Deadline, DateOnly Day, int DaysLeft, Guid SchoolId, decimal AmountAtRisk, DateTimeOffset OccurredAt);
