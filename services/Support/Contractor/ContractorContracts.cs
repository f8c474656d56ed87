using System.ComponentModel.DataAnnotations;
using Mep.Contracts.Schools;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Validation;

namespace Mep.Support.Contractor;

/// <param name="Hours">Hours worked, in quarter hours or finer, at most 24 per booking.</param>
public sealed record BookingRequest(
    [Required] DateOnly? WorkedOn,
    [Required, DecimalRange(0.01, BookingRequest.MaxHours, Message = "More than 0 and at most 24, with at most two decimal places.")] decimal? Hours,
    [Required, MaxLength(BookingRequest.MaxDescription)] string? Description) : IValidatableRequest
{
    public const double MaxHours = 24;
    public const int MaxDescription = 2_000;
}

/// <param name="Amount">Required (not nullable: <see cref="StrictJson"/> refuses a body without it or with null).</param>
public sealed record BudgetRequest([Money(BudgetRequest.MaxAmount)] decimal Amount) : IValidatableRequest
{
    public const double MaxAmount = 10_000_000;
}

/// <param name="HourlyRate">Required (not nullable: <see cref="StrictJson"/> refuses a body without it or with null).</param>
public sealed record RateRequest([Money(RateRequest.MaxRate)] decimal HourlyRate) : IValidatableRequest
{
    public const double MaxRate = 10_000;
}

/// <param name="SchoolNumber">The school's five-digit number, beside its id; null while Support's directory has not heard of the school.</param>
/// <param name="SchoolName">The school's name, likewise.</param>
public sealed record BookingResponse(
    Guid Id, Guid TicketId, Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string? SchoolNumber, [MaxLength(SchoolFields.MaxName)] string? SchoolName,
    DateOnly WorkedOn, [Range(1990, 2200)] int BudgetYear,
    [DecimalRange(0.01, BookingRequest.MaxHours)] decimal Hours, [Money(RateRequest.MaxRate)] decimal HourlyRate, decimal Amount,
    [MaxLength(BookingRequest.MaxDescription)] string Description, [MaxLength(CallerClaims.MaxActorLength)] string BookedBy, DateTimeOffset BookedAt)
{
    public static BookingResponse From(ContractorBooking b, KnownSchool? school) =>
        new(b.Id, b.TicketId, b.SchoolId, school?.Number, school?.Name, b.WorkedOn, b.BudgetYear, b.Hours, b.HourlyRate, b.Amount, b.Description, b.BookedBy, b.BookedAt);
}

/// <summary>A school's system-support budget of a year against the contractor hours booked on it, exact to the cent.</summary>
/// <param name="Budget">Null when finance has not set one for the year: every booking is then over budget.</param>
public sealed record BudgetStatus(
    Guid SchoolId, int Year, decimal? Budget, decimal BookedHours, decimal BookedAmount, decimal Remaining, bool OverBudget, decimal Overrun, int Bookings);

public sealed record BookingResult(BookingResponse Booking, BudgetStatus Budget);
