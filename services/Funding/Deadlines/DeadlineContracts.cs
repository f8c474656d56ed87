using Mep.Funding.Programmes;
using System.ComponentModel.DataAnnotations;

namespace Mep.Funding.Deadlines;

public sealed record DeadlineWarningResponse(
    [MaxLength(ProgrammeFields.MaxCode)] string Programme, [MaxLength(ProgrammeFields.MaxDeadlineName)] string Deadline, DateOnly Day, int WindowDays, Guid SchoolId, int DaysLeft,
    decimal AmountAtRisk, DateTimeOffset WarnedAt);
