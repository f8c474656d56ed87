using Mep.Support.Tickets;
using System.ComponentModel.DataAnnotations;
using Mep.Contracts.Support;
using Mep.ServiceDefaults.Validation;

namespace Mep.Support.Sla;

public sealed record PolicyRequest(
    [Range(1, PolicyRequest.MaxFirstResponseMinutes)] int? FirstResponseMinutes,
    [Required, Range(1, PolicyRequest.MaxResolutionMinutes)] int? ResolutionMinutes,
    [Required] bool? RunsInSchoolHolidays,
    bool? AutoEscalate,
    [Required, MaxLength(TicketFields.MaxCode)] string? Calendar)
    : IValidatableRequest
{
    public const int MaxFirstResponseMinutes = 100_000;
    public const int MaxResolutionMinutes = 1_000_000;
}

/// <param name="Day">monday .. sunday.</param>
public sealed record OpeningHoursRequest([MaxLength(9)] string? Day, TimeOnly? Opens, TimeOnly? Closes);

public sealed record CalendarHoursRequest(
    [Required(ErrorMessage = "Required (an empty list closes the calendar).")]
    [MaxLength(CalendarHoursRequest.MaxIntervals)]
    IReadOnlyList<OpeningHoursRequest?>? OpeningHours) : IValidatableRequest
{
    /// <summary>Opening hours of a week: a few intervals per day at most.</summary>
    public const int MaxIntervals = 50;

    public void Validate(ValidationErrors errors)
    {
        for (var i = 0; i < (OpeningHours?.Count ?? 0); i++)
        {
            // A null interval is reported by the declared rules.
            if (OpeningHours![i] is { } hours && (!Enum.TryParse<DayOfWeek>(hours.Day, ignoreCase: true, out _) || hours.Opens is null
                || hours.Closes is null || hours.Opens >= hours.Closes))
            {
                errors.Add($"openingHours[{i}]", "A day (monday..sunday) with opens before closes, e.g. 07:30 and 16:00.");
            }
        }
    }
}

public sealed record SchoolHolidayRequest(
    [Required, MaxLength(SchoolHolidayRequest.MaxName)] string? Name, [Required] DateOnly? FirstDay, [Required] DateOnly? LastDay) : IValidatableRequest
{
    public const int MaxName = 100;

    public void Validate(ValidationErrors errors)
    {
        if (FirstDay > LastDay)
        {
            errors.Add("lastDay", "The last day is on or after the first day.");
        }
    }
}

public sealed record CalendarResponse(
    [MaxLength(TicketFields.MaxCode)] string Code, [MaxLength(TicketFields.MaxName)] string Name,
    [MaxLength(CalendarHoursRequest.MaxIntervals)] IReadOnlyList<OpeningHoursResponse> OpeningHours);

public sealed record SlaPolicyResponse(
    TicketPriority Priority, [MaxLength(SlaClocks.MaxName)] string Clock, [Range(1, PolicyRequest.MaxFirstResponseMinutes)] int? FirstResponseMinutes,
    [Range(1, PolicyRequest.MaxResolutionMinutes)] int ResolutionMinutes, bool RunsInSchoolHolidays, bool AutoEscalate,
    [MaxLength(TicketFields.MaxCode)] string CalendarCode)
{
    public static SlaPolicyResponse From(SlaPolicy p) =>
        new(p.Priority, p.Clock, p.FirstResponseMinutes, p.ResolutionMinutes, p.RunsInSchoolHolidays, p.AutoEscalate, p.CalendarCode);
}

public sealed record SchoolHolidayResponse(
    [Range(1, DeclaredLimits.MaxSafeInteger)] long Id, [MaxLength(SchoolHolidayRequest.MaxName)] string Name, DateOnly FirstDay, DateOnly LastDay)
{
    public static SchoolHolidayResponse From(SchoolHoliday h) => new(h.Id, h.Name, h.FirstDay, h.LastDay);
}

/// <param name="Kind">slaWarning or slaBreach.</param>
public sealed record NotificationResponse(
    [Range(1, DeclaredLimits.MaxSafeInteger)] long Id, Guid TicketId, [MaxLength(TicketFields.MaxCode)] string GroupCode,
    [OneOf("slaWarning", "slaBreach")] string Kind, [MaxLength(SlaClocks.MaxName)] string Clock, [MaxLength(SlaClocks.MaxName)] string Target,
    [MaxLength(SlaClocks.MaxReason)] string Message, DateTimeOffset CreatedAt);

public sealed record OpeningHoursResponse(DayOfWeek Day, TimeOnly Opens, TimeOnly Closes);
