using System.ComponentModel.DataAnnotations;
using Mep.Contracts.Schools;
using Mep.Funding.Applications;
using Mep.Funding.Programmes;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;

namespace Mep.Funding.Deadlines;

/// <param name="SchoolNumber">The school's number, from the school directory.</param>
/// <param name="SchoolName">The school's name, from the school directory.</param>
public sealed record DeadlineWarningResponse(
    [MaxLength(ProgrammeFields.MaxCode)] string Programme, [MaxLength(ProgrammeFields.MaxDeadlineName)] string Deadline, DateOnly Day,
    int WindowDays, Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string? SchoolNumber, [MaxLength(SchoolFields.MaxName)] string? SchoolName,
    int DaysLeft, decimal AmountAtRisk, DateTimeOffset WarnedAt);

/// <summary>Finance's work list: applications whose programme deadline is near or passed with money still open, fewest days left first.</summary>
/// <param name="Programme">Only this programme's applications (its code).</param>
/// <param name="SchoolId">Only this school's applications.</param>
/// <param name="SchoolNumber">Only the applications of the school with this number (with schoolId, both must name the same school).</param>
/// <param name="Page">Page number, from 1.</param>
/// <param name="PageSize">Items per page, 1 to 200 (default 50).</param>
public sealed record DeadlineRiskQuery(
    [MaxLength(ProgrammeFields.MaxCode)] string? Programme, Guid? SchoolId, [MaxLength(SchoolFields.NumberLength), SchoolNumber] string? SchoolNumber,
    [PageNumber] int? Page, [PageSize] int? PageSize) : IValidatableRequest;

/// <summary>
/// An application and the deadline it runs against in its status, with the money that lapses if the deadline passes: a draft's or a
/// submitted application's planned amount (net), a running measure's approved amount not yet drawn, plus what it drew and has not
/// accounted for in a proof of use where the programme settles only after one.
/// </summary>
/// <param name="Deadline">applicationsUntil (firstComeFirstServedUntil where the programme takes submissions after it), approvalsUntil or
/// settlementUntil.</param>
/// <param name="DaysLeft">Days from today (Berlin) to the deadline; negative once it has passed.</param>
/// <param name="Lapsed">The deadline has passed: the money is lost unless the programme's rules change.</param>
/// <param name="WaitingFor">What must happen by the deadline.</param>
public sealed record DeadlineRiskRow(
    Guid ApplicationId, [MaxLength(ApplicationLimits.MaxTitle)] string Title, [MaxLength(ProgrammeFields.MaxCode)] string Programme, Guid SchoolId,
    [MaxLength(SchoolFields.NumberLength)] string? SchoolNumber, [MaxLength(SchoolFields.MaxName)] string? SchoolName, ApplicationStatus Status,
    SpendingCategory Category, [MaxLength(ProgrammeFields.MaxDeadlineName)] string Deadline, DateOnly Day, int DaysLeft, bool Lapsed,
    decimal AmountOpen, [MaxLength(2)] IReadOnlyList<DeadlineStep> WaitingFor);

/// <summary>What an application must get done by its deadline.</summary>
public enum DeadlineStep
{
    /// <summary>The draft is submitted.</summary>
    Submission,

    /// <summary>The submitted application is decided.</summary>
    Approval,

    /// <summary>The approved money is drawn.</summary>
    Draws,

    /// <summary>The proof of use is submitted (the programme settles only after one).</summary>
    ProofOfUse,
}
